# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for tests on ELF core files: make real cores with gcore out of
# the target programs, and inspect or damage them with Python, never with
# zxmem itself.  Load after test_helper/common and test_helper/process.

# find_core_python: export CORE_PYTHON, the python3 interpreter itself (a
# pyenv shim costs a quarter of a second per call); call from setup_file.
find_core_python() {
	CORE_PYTHON=$(python3 -c 'import sys; print(sys.executable)') || return 1
	export CORE_PYTHON
}

# make_core NAME PROG: from setup_file, start $ZXMEM_TEST_BIN/PROG, poke
# known values into it with zxmem, dump it with gcore and kill it.  The
# core is left (sparse) in $BATS_FILE_TMPDIR/NAME.core, and the program's
# "ready" fields (T_counter..., and T_main, T_stdout, T_environ, T_printf:
# the addresses the program itself printed) and the poked values
# (V_counter...) are saved in $BATS_FILE_TMPDIR/NAME.env for use_core.
make_core() {
	local name=$1 prog=$2 dir=$BATS_FILE_TMPDIR
	# spawn_target writes under BATS_TEST_TMPDIR and pushes to TARGET_PIDS.
	# shellcheck disable=SC2034
	local BATS_TEST_TMPDIR=$dir TARGET_PIDS=() rc=0
	local p
	if spawn_target "$prog"; then
		_poke_and_dump "$name" "$prog" || rc=1
	else
		rc=1
	fi
	for p in "${TARGET_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	return "$rc"
}

# The values poked, per core: counter, message, big_counter, and bytes at
# the start, the middle and the end of the 64 MiB at big.
_poke_and_dump() {
	local name=$1 prog=$2 dir=$BATS_FILE_TMPDIR z
	local V_counter V_message V_big_counter V_big0 V_big_mid V_big_end
	if [ "$name" = pie ]; then
		V_counter=-123456 V_message='pie core' V_big_counter=-9876543210123
	else
		V_counter=424242 V_message='non-PIE core' V_big_counter=1234567890123
	fi
	V_big0=deadbeef V_big_mid=c0ffee V_big_end=a1a2
	z=("$ZXMEM" -q -k kernel.enable-debugging-syscalls=true process-write-memory "$TPID")
	"${z[@]}" counter --i32 "$V_counter" 3>&- || return 1
	"${z[@]}" message --string "$V_message" 3>&- || return 1
	"${z[@]}" big_counter --i64 "$V_big_counter" 3>&- || return 1
	"${z[@]}" "$T_big" --hex "$V_big0" 3>&- || return 1
	"${z[@]}" "$(hexaddr "T_big + 32 * 1024 * 1024")" --hex "$V_big_mid" 3>&- || return 1
	"${z[@]}" "$(hexaddr "T_big + 64 * 1024 * 1024 - 2")" --hex "$V_big_end" 3>&- || return 1
	# A look at what the program sees, so a bad poke fails here, not later.
	target_report || return 1
	if [ "$R_counter" != "$V_counter" ] || [ "$R_big_first" != de ] ||
		[ "$R_big_last" != a2 ]; then
		echo "pokes did not land: $(cat "$TARGET_OUT")" >&2
		return 1
	fi
	timeout 30 gcore -o "$dir/gcore" "$TPID" >"$dir/gcore-$name.log" 2>&1 3>&- || {
		echo "gcore failed: $(cat "$dir/gcore-$name.log")" >&2
		return 1
	}
	# gcore writes every byte of big; a sparse copy makes per-test copies free.
	cp --sparse=always "$dir/gcore.$TPID" "$dir/$name.core" || return 1
	rm -f "$dir/gcore.$TPID"
	{
		declare -p V_counter V_message V_big_counter V_big0 V_big_mid V_big_end
		declare -p T_pid T_counter T_limit T_message T_big T_edge T_big_counter
		declare -p T_main T_stdout T_environ T_printf
		printf 'CORE_PROG=%q\n' "$(realpath "$ZXMEM_TEST_BIN/$prog")"
	} | sed 's/^declare -- //' >"$dir/$name.env"
}

# use_core NAME: copy NAME's core to $BATS_TEST_TMPDIR/NAME.core, set CORE
# to that copy and load NAME's saved fields (T_*, V_*, L_*, CORE_PROG).
use_core() {
	# shellcheck disable=SC1090
	source "$BATS_FILE_TMPDIR/$1.env"
	CORE=$BATS_TEST_TMPDIR/$1.core
	cp "$BATS_FILE_TMPDIR/$1.core" "$CORE"
}

# core_tool CMD CORE ARGS...: look into or patch an ELF64 little-endian core
# with Python (independent of zxmem).  CMD is one of
#   phdrs                    one line per program header (VADDR in 0x hex,
#                            the rest decimal): INDEX TYPE OFFSET VADDR FILESZ MEMSZ
#   load-index ADDR          index of the PT_LOAD whose [vaddr, vaddr+memsz) holds ADDR
#   offset ADDR              file offset of ADDR (must be within p_filesz)
#   set-phdr INDEX FIELD N   set FIELD (type offset vaddr filesz memsz) of a header
#   auxv TYPE                the value of NT_AUXV entry TYPE (decimal) in 0x hex
#   nt-file                  NT_FILE: descsz and count, then "START END PATH" lines
#   set-nt-file-count N      overwrite NT_FILE's count
#   rename-nt-file OLD NEW   rename a file in NT_FILE (same length names)
core_tool() {
	"${CORE_PYTHON:-python3}" - "$@" <<'EOF'
import struct, sys

cmd, path, args = sys.argv[1], sys.argv[2], sys.argv[3:]
f = open(path, "r+b")
data = f.read(64)
if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
    sys.exit("%s: not an ELF64 little-endian file" % path)
phoff, = struct.unpack_from("<Q", data, 32)
phentsize, phnum = struct.unpack_from("<HH", data, 54)
PH = "<IIQQQQQQ"
FIELDS = {"type": 0, "offset": 2, "vaddr": 3, "filesz": 5, "memsz": 6}

def phdrs():
    f.seek(phoff)
    raw = f.read(phentsize * phnum)
    return [list(struct.unpack_from(PH, raw, i * phentsize)) for i in range(phnum)]

def notes():
    """(file offset of the note's desc, type, desc) for every note."""
    for p in phdrs():
        if p[0] != 4:
            continue
        f.seek(p[2])
        buf = f.read(p[5])
        pos = 0
        while pos + 12 <= len(buf):
            namesz, descsz, ntype = struct.unpack_from("<III", buf, pos)
            dpos = pos + 12 + ((namesz + 3) & ~3)
            yield p[2] + dpos, ntype, buf[dpos:dpos + descsz]
            pos = dpos + ((descsz + 3) & ~3)

def nt_file():
    for off, ntype, desc in notes():
        if ntype == 0x46494c45:
            return off, desc
    sys.exit("%s: no NT_FILE note" % path)

def load_of(addr):
    for i, p in enumerate(phdrs()):
        if p[0] == 1 and p[3] <= addr < p[3] + p[6]:
            return i, p
    sys.exit("%s: 0x%x is in no PT_LOAD" % (path, addr))

if cmd == "phdrs":
    for i, p in enumerate(phdrs()):
        print(i, p[0], p[2], "0x%x" % p[3], p[5], p[6])
elif cmd == "load-index":
    print(load_of(int(args[0], 0))[0])
elif cmd == "offset":
    addr = int(args[0], 0)
    i, p = load_of(addr)
    if addr - p[3] >= p[5]:
        sys.exit("%s: 0x%x is past p_filesz of header %d" % (path, addr, i))
    print(p[2] + addr - p[3])
elif cmd == "set-phdr":
    i, field, value = int(args[0]), args[1], int(args[2], 0)
    p = phdrs()[i]
    p[FIELDS[field]] = value
    f.seek(phoff + i * phentsize)
    f.write(struct.pack(PH, *p))
elif cmd == "auxv":
    want = int(args[0], 0)
    for off, ntype, desc in notes():
        if ntype == 6:
            for j in range(0, len(desc) - 15, 16):
                t, v = struct.unpack_from("<QQ", desc, j)
                if t == want:
                    print("0x%x" % v)
                    sys.exit(0)
    sys.exit("%s: no auxv entry %d" % (path, want))
elif cmd == "nt-file":
    off, desc = nt_file()
    count, = struct.unpack_from("<Q", desc, 0)
    print(len(desc), count)
    names = desc[16 + 24 * count:].split(b"\0")
    for j in range(count):
        start, end, _ = struct.unpack_from("<QQQ", desc, 16 + 24 * j)
        print("0x%x 0x%x %s" % (start, end, names[j].decode()))
elif cmd == "set-nt-file-count":
    off, desc = nt_file()
    f.seek(off)
    f.write(struct.pack("<Q", int(args[0], 0)))
elif cmd == "rename-nt-file":
    old, new = args[0].encode() + b"\0", args[1].encode() + b"\0"
    if len(old) != len(new):
        sys.exit("rename-nt-file: names differ in length")
    off, desc = nt_file()
    n = desc.count(old)
    if n == 0:
        sys.exit("%s: %s not in NT_FILE" % (path, args[0]))
    f.seek(off)
    f.write(desc.replace(old, new))
else:
    sys.exit("core_tool: unknown command " + cmd)
EOF
}

# core_garbage OUT CORE SEED N: OUT is CORE's 64-byte ELF header followed
# by N pseudo-random bytes from Python's random seeded with SEED.
core_garbage() {
	"${CORE_PYTHON:-python3}" -c '
import random, sys
out, core, seed, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
with open(core, "rb") as f:
    head = f.read(64)
rng = random.Random(seed)
with open(out, "wb") as f:
    f.write(head + bytes(rng.getrandbits(8) for _ in range(n)))
' "$@"
}

# core_mutate PREFIX CORE N SEED...: for each SEED, PREFIX.SEED is a copy of
# CORE with N pseudo-random bytes (Python's random seeded with SEED)
# overwritten in its program headers and notes.
core_mutate() {
	local prefix=$1 core=$2 n=$3 seed
	shift 3
	for seed in "$@"; do
		cp "$core" "$prefix.$seed" || return 1
	done
	"${CORE_PYTHON:-python3}" -c '
import random, struct, sys
prefix, n = sys.argv[1], int(sys.argv[2])
for seed in sys.argv[3:]:
    rng = random.Random(int(seed))
    with open("%s.%s" % (prefix, seed), "r+b") as f:
        head = f.read(64)
        phoff, = struct.unpack_from("<Q", head, 32)
        phentsize, phnum = struct.unpack_from("<HH", head, 54)
        f.seek(phoff)
        raw = f.read(phentsize * phnum)
        spans = [(phoff, phentsize * phnum)]
        for i in range(phnum):
            t, _, off, _, _, filesz, _, _ = struct.unpack_from("<IIQQQQQQ", raw, i * phentsize)
            if t == 4:
                spans.append((off, filesz))
        for _ in range(n):
            start, length = rng.choice(spans)
            f.seek(start + rng.randrange(length))
            f.write(bytes([rng.getrandbits(8)]))
' "$prefix" "$n" "$@"
}

# core_map_start NAME: start address (0x hex) of the mapping named NAME in
# the process-maps output in $output.
core_map_start() {
	local line
	line=$(grep -F " $1" <<<"$output" | head -n 1)
	[ -n "$line" ] || return 1
	echo "0x${line%%-*}"
}

# assert_same_file A B: A and B have the same bytes (cmp's diagnostics on
# failure).
assert_same_file() {
	cmp "$1" "$2" >&2 || {
		echo "files differ: $1 $2 ($(cmp -l "$1" "$2" 2>&1 | head -n 5))" >&2
		return 1
	}
}

# assert_changed_only A B OFFSET LEN: A and B have the same size and differ,
# only within the LEN bytes at file offset OFFSET.
assert_changed_only() {
	"${CORE_PYTHON:-python3}" -c '
import sys
a, b, lo = sys.argv[1], sys.argv[2], int(sys.argv[3], 0)
hi = lo + int(sys.argv[4], 0)
with open(a, "rb") as fa, open(b, "rb") as fb:
    pos, changed = 0, False
    while True:
        x, y = fa.read(1 << 20), fb.read(1 << 20)
        if len(x) != len(y):
            sys.exit("%s and %s differ in size" % (a, b))
        if not x:
            break
        if x != y:
            # Offsets within this chunk: [0, s) and [e, n) must not change.
            n = len(x)
            s, e = min(max(lo - pos, 0), n), min(max(hi - pos, 0), n)
            for k0, k1 in ((0, s), (e, n)):
                if x[k0:k1] != y[k0:k1]:
                    k = next(k for k in range(k0, k1) if x[k] != y[k])
                    sys.exit("byte at file offset %d changed, outside [%d, %d)" % (pos + k, lo, hi))
            changed = changed or x[s:e] != y[s:e]
        pos += len(x)
if not changed:
    sys.exit("%s and %s are the same; expected a change in [%d, %d)" % (a, b, lo, hi))
' "$@"
}

# put_hex FILE OFFSET HEX: write the bytes HEX (e.g. deadbeef) into FILE at
# OFFSET, in place.
put_hex() {
	printf "$(sed 's/../\\x&/g' <<<"$3")" |
		dd of="$1" bs=1 seek="$(($2))" conv=notrunc status=none
}
