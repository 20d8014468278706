#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# install.sh — set up zxmem on a Debian machine.
#
#   ./install.sh [--prefix DIR]     install build/test dependencies, build, install
#   ./install.sh --deps-only        only the dependencies (CI uses this)
#   ./install.sh --uninstall [--prefix DIR]   remove exactly what was installed
#
# DESTDIR is honoured for staged installs. Re-running is harmless. Without
# root, missing packages are listed instead of installed.
set -eu

PACKAGES="make gcc pkg-config libelf-dev libdw-dev libbsd-dev libreadline-dev \
g++ binutils bats bats-assert bats-support mandoc gdb valgrind procps util-linux python3 \
scanmem strace xxd zsh fish"

prefix=/usr/local
mode=install
while [ $# -gt 0 ]; do
	case $1 in
	--prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a directory" >&2; exit 64; }
		prefix=$2; shift 2 ;;
	--prefix=*) prefix=${1#--prefix=}; shift ;;
	--uninstall) mode=uninstall; shift ;;
	--deps-only) mode=deps; shift ;;
	-h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "install.sh: unknown option '$1' (see --help)" >&2; exit 64 ;;
	esac
done

cd "$(dirname "$0")"
manifest="${DESTDIR:-}$prefix/share/zxmem/install-manifest"

missing_packages() {
	for p in $PACKAGES; do
		if ! dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
			printf '%s ' "$p"
		fi
	done
}

install_deps() {
	if ! command -v dpkg-query >/dev/null 2>&1; then
		echo "install.sh: not a Debian system; install by hand: $PACKAGES" >&2
		return 0
	fi
	missing=$(missing_packages)
	[ -n "$missing" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "install.sh: these packages are missing: $missing" >&2
		echo "install.sh: as root, run: apt-get install $missing" >&2
		exit 1
	fi
	echo "install.sh: installing $missing"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
}

files() {
	bindir=$prefix/bin
	datadir=$prefix/share
	echo "$bindir/zxmem"
	echo "$prefix/libexec/zxmem/zxmem-elf.so"
	echo "$prefix/libexec/zxmem/zxmem-shell.so"
	echo "$datadir/man/man1/zxmem.1"
	echo "$datadir/bash-completion/completions/zxmem"
	echo "$datadir/zsh/site-functions/_zxmem"
	echo "$datadir/fish/vendor_completions.d/zxmem.fish"
}

case $mode in
deps)
	install_deps
	;;
install)
	install_deps
	make
	make install PREFIX="$prefix" DESTDIR="${DESTDIR:-}"
	mkdir -p "$(dirname "$manifest")"
	files >"$manifest"
	echo "install.sh: installed zxmem under ${DESTDIR:-}$prefix (manifest: $manifest)"
	;;
uninstall)
	if [ -f "$manifest" ]; then
		while IFS= read -r f; do
			rm -f "${DESTDIR:-}$f"
		done <"$manifest"
		rm -f "$manifest"
		rmdir "$(dirname "$manifest")" 2>/dev/null || true
		rmdir "${DESTDIR:-}$prefix/libexec/zxmem" 2>/dev/null || true
	else
		make uninstall PREFIX="$prefix" DESTDIR="${DESTDIR:-}"
	fi
	echo "install.sh: removed zxmem from ${DESTDIR:-}$prefix"
	;;
esac
