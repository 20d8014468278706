# SPDX-License-Identifier: GPL-3.0-or-later
# fish completion for zxmem(1).
# zxmem itself knows its commands, options, formats, PIDs and live handle
# names: `zxmem __complete WORDS... CUR` prints the candidates for CUR, one a
# line ("WORD<TAB>DESCRIPTION", as fish takes them), and last, when file
# names complete CUR too, ":path" or ":dir" (":path<TAB>--opt=" when the
# name follows "--opt=").

function __fish_zxmem_complete
    set -l words (commandline -opc)
    set -e words[1]
    # Quoted, so an empty current word is still passed as one argument.
    set -l cur (commandline -ct)
    for line in (command zxmem __complete $words "$cur" 2>/dev/null)
        if not string match -q -r '^:(path|dir)(\t|$)' -- $line
            printf '%s\n' $line
            continue
        end
        set -l pfx (string replace -r '^[^\t]*\t?' '' -- $line)
        set -l part (string sub -s (math (string length -- "$pfx") + 1) -- "$cur")
        set -l names
        if string match -q ':dir*' -- $line
            set names (__fish_complete_directories "$part")
        else
            set names (__fish_complete_path "$part")
        end
        for name in $names
            printf '%s%s\n' "$pfx" $name
        end
    end
end

complete -c zxmem -f -a '(__fish_zxmem_complete)'
