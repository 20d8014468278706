# SPDX-License-Identifier: GPL-3.0-or-later
# What bench/run.sh and bench/large.sh share: messages, building the C
# drivers of bench/ into $B/bench, and reading the NAME=VALUE lines that
# bench/timeit.c and bench/rusage.c print. Sourced, never run; the caller
# sets here (bench/), B and CC.

die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

# build_drivers PROG...: compile bench/PROG.c into $bin/PROG when it is
# missing or older than its source; floor_poke links libelf.
build_drivers() {
	local prog libs elf_flags
	bin=$B/bench
	mkdir -p "$bin"
	read -r -a elf_flags <<<"$(pkg-config --cflags --libs libelf)"
	for prog in "$@"; do
		if [[ ! -x $bin/$prog || $here/$prog.c -nt $bin/$prog ]]; then
			note "CC $bin/$prog"
			libs=()
			[[ $prog != floor_poke ]] || libs=("${elf_flags[@]}")
			"$CC" -std=c17 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
			    -o "$bin/$prog" "$here/$prog.c" "${libs[@]}"
		fi
	done
	timeit=$bin/timeit
}

# field NAME LINE: the value of NAME=VALUE in a space-separated line
field() {
	local w
	for w in $2; do
		if [[ $w == "$1="* ]]; then printf '%s\n' "${w#*=}"; return 0; fi
	done
	die "no $1= in: $2"
}

# rss CMD...: CMD's peak RSS in KiB (stdout to /dev/null); CMD must succeed
rss() {
	local r
	r=$("$bin/rusage" -- "$@")
	[[ $(field status "$r") == 0 ]] || die "$* failed: $r"
	field maxrss_kb "$r"
}
median() { field median_ms "$1"; }
