# SPDX-License-Identifier: GPL-3.0-or-later
# fish completion for zxmem(1).
# zxmem itself knows its commands, options, formats and live handle names:
# `zxmem __complete WORDS... CUR` prints the candidates for CUR, one a line.

function __fish_zxmem_complete
    set -l words (commandline -opc)
    set -e words[1]
    # Quoted, so an empty current word is still passed as one argument.
    set -l cur (commandline -ct)
    command zxmem __complete $words "$cur" 2>/dev/null
end

complete -c zxmem -f -a '(__fish_zxmem_complete)'
