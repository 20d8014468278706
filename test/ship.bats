#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# What ships: install.sh installs to a prefix, re-running it is harmless,
# --uninstall removes exactly what it installed, and DESTDIR stages.

load test_helper/common

TOP=$BATS_TEST_DIRNAME/..

installed_files() {
	local p=$1
	echo "$p/bin/zxmem"
	echo "$p/libexec/zxmem/zxmem-elf.so"
	echo "$p/libexec/zxmem/zxmem-shell.so"
	echo "$p/share/man/man1/zxmem.1"
	echo "$p/share/bash-completion/completions/zxmem"
	echo "$p/share/zsh/site-functions/_zxmem"
	echo "$p/share/fish/vendor_completions.d/zxmem.fish"
}

@test "install.sh --prefix installs the binary, man page and completions" {
	local p=$BATS_TEST_TMPDIR/prefix f
	run "$TOP/install.sh" --prefix "$p" 3>&-
	assert_success
	for f in $(installed_files "$p"); do
		[ -f "$f" ] || { echo "missing $f" >&2; return 1; }
	done
	[ -x "$p/bin/zxmem" ]
	run "$p/bin/zxmem" --version
	assert_output --regexp '^zxmem [0-9]+\.[0-9]+\.[0-9]+$'
	run diff "$TOP/man/zxmem.1" "$p/share/man/man1/zxmem.1"
	assert_success
}

@test "re-running install.sh is harmless and --uninstall removes exactly its files" {
	local p=$BATS_TEST_TMPDIR/prefix f
	mkdir -p "$p/bin"
	echo keep >"$p/bin/other-tool"
	run "$TOP/install.sh" --prefix "$p" 3>&-
	assert_success
	run "$TOP/install.sh" --prefix "$p" 3>&-
	assert_success
	run "$p/bin/zxmem" --version
	assert_success

	run "$TOP/install.sh" --uninstall --prefix "$p" 3>&-
	assert_success
	for f in $(installed_files "$p"); do
		[ ! -e "$f" ] || { echo "left behind: $f" >&2; return 1; }
	done
	[ ! -e "$p/share/zxmem/install-manifest" ]
	[ ! -e "$p/libexec/zxmem" ]
	assert_equal "$(cat "$p/bin/other-tool")" keep
}

@test "DESTDIR stages an install under another root" {
	local d=$BATS_TEST_TMPDIR/stage f
	DESTDIR=$d run "$TOP/install.sh" --prefix /opt/zxmem 3>&-
	assert_success
	for f in $(installed_files /opt/zxmem); do
		[ -f "$d$f" ] || { echo "missing $d$f" >&2; return 1; }
	done
	[ ! -e /opt/zxmem/bin/zxmem ]
	DESTDIR=$d run "$TOP/install.sh" --uninstall --prefix /opt/zxmem 3>&-
	assert_success
	[ ! -e "$d/opt/zxmem/bin/zxmem" ]
}

@test "install.sh refuses an unknown option as a usage error" {
	run "$TOP/install.sh" --frobnicate 3>&-
	assert_equal "$status" 64
	assert_output --partial "--frobnicate"
}

@test "every source file names its license with an SPDX tag, and LICENSE is GPL-3.0" {
	local f missing=()
	run grep -c 'GNU GENERAL PUBLIC LICENSE' "$TOP/LICENSE"
	assert_success
	while IFS= read -r f; do
		head -3 "$f" | grep -q 'SPDX-License-Identifier: GPL-3.0-or-later' ||
			missing+=("${f#"$TOP"/}")
	done < <(find "$TOP/src" "$TOP/test" "$TOP/bench" "$TOP/fuzz" "$TOP/completions" \
		"$TOP/man" "$TOP/.ci" -path "$TOP/fuzz/corpus" -prune -o \
		-path "$TOP/fuzz/crashes" -prune -o -type f \
		\( -name '*.[ch]' -o -name '*.cpp' -o -name '*.bats' -o -name '*.bash' \
		-o -name '*.py' -o -name '*.sh' -o -name '*.fish' -o -name '_zxmem' \
		-o -name '*.1' -o -name Makefile -o -path "$TOP/.ci/*" \) -print
		printf '%s\n' "$TOP/Makefile" "$TOP/install.sh")
	[ ${#missing[@]} -eq 0 ] || fail "no SPDX tag in: ${missing[*]}"
}
