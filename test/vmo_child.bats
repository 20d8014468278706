#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# vmo-create-child and vmo-op-range: cases ported from Zircon's core tests
# (zircon/system/utest/core/vmo/vmo-slice.cc, vmo-clone.cc, vmo.cc), each
# named after its Zircon test, plus the rules of ZIRCON.md §7 and §8.

load test_helper/common

P=4096

# u32_at HANDLE OFFSET: the u32 there.
u32_at() {
	run_zxmem vmo-read "$1" "$2" 4 --format u32
}

@test "VmoSliceTestCase.WriteThrough" {
	run_zxmem vmo-create $((P * 4)) --name vmo
	run_zxmem vmo-write vmo 0 --u32 42
	run_zxmem vmo-write vmo $P --u32 42
	run_zxmem vmo-create-child vmo slice $P $((P * 2)) --name slice
	assert_output slice
	u32_at slice 0
	assert_output 42
	run_zxmem vmo-write slice 0 --u32 84
	run_zxmem vmo-write slice $P --u32 84
	u32_at vmo 0
	assert_output 42
	u32_at vmo $P
	assert_output 84
	u32_at vmo $((P * 2))
	assert_output 84
	u32_at vmo $((P * 3))
	assert_output 0
}

@test "VmoSliceTestCase.DecommitParent" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem vmo-write vmo 0 --u8 42
	run_zxmem vmo-create-child vmo slice 0 $P --name slice
	run_zxmem vmo-read slice 0 1 --format u8
	assert_output 42
	run_zxmem vmo-op-range vmo decommit 0 $P
	run_zxmem vmo-read slice 0 1 --format u8
	assert_output 0
}

@test "VmoSliceTestCase.Nested" {
	run_zxmem vmo-create $((P * 2)) --name vmo
	run_zxmem vmo-write vmo 0 --u32 42
	run_zxmem vmo-create-child vmo slice 0 $((P * 2)) --name s1
	run_zxmem vmo-create-child s1 slice 0 $((P * 2)) --name s2
	u32_at s2 0
	assert_output 42
	run_zxmem vmo-write s2 0 --u32 84
	run_zxmem vmo-write s2 $P --u32 84
	u32_at vmo 0
	assert_output 84
	u32_at vmo $P
	assert_output 84
}

@test "VmoSliceTestCase.NonSlice" {
	run_zxmem vmo-create $((P * 2)) --resizable --name vmo
	run_zxmem -10 vmo-create-child vmo slice 0 $((P * 3))
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 vmo-create-child vmo slice $P $((P * 2))
	run_zxmem -10 vmo-create-child vmo slice $((P * 2)) $P
	run_zxmem -14 vmo-create-child vmo slice 0 0xFFFFFFFFFFFFFFFF
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-create-child vmo slice 0 0xFFFFFFFFFFFFF001
	run_zxmem -10 vmo-create-child vmo slice 0xFFFFFFFFFFFFF000 $P
	run_zxmem -14 vmo-create-child vmo slice 0xFFFFFFFFFFFFF000 0xFFFFFFFFFFFFF001
	run_zxmem -14 vmo-create-child vmo slice 0xFFFFFFFFFFFFF000 0xFFFFFFFFFFFFFFFF
	run_zxmem handle-list
	assert_output --regexp '^vmo '
	[ "${#lines[@]}" -eq 1 ]
}

@test "VmoSliceTestCase.NonResizable" {
	run_zxmem vmo-create $P --resizable --name vmo
	run_zxmem -2 vmo-create-child vmo slice 0 $P
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -10 vmo-create-child vmo slice,resizable 0 $P
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem vmo-create $P --name fixed
	run_zxmem -10 vmo-create-child fixed slice,resizable 0 $P
}

@test "VmoSliceTestCase.CommitChild" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem vmo-create-child vmo slice 0 $P --name slice
	run_zxmem vmo-op-range slice commit 0 $P
	run_zxmem vmo-write slice 0 --u8 42
	run_zxmem vmo-read vmo 0 1 --format u8
	assert_output 42
}

@test "VmoSliceTestCase.DecommitChild" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem vmo-write vmo 0 --u8 42
	run_zxmem vmo-create-child vmo slice 0 $P --name slice
	run_zxmem vmo-op-range slice decommit 0 $P
	run_zxmem vmo-read vmo 0 1 --format u8
	assert_output 0
}

@test "VmoSliceTestCase.ZeroSized" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem vmo-create-child vmo slice 0 0 --name s1
	run_zxmem vmo-create-child vmo slice $P 0 --name s2
	for h in s1 s2; do
		run_zxmem -14 vmo-read $h 0 1 || return 1
		run_zxmem -14 vmo-write $h 0 x || return 1
	done
}

@test "VmoSliceTestCase.RoundUpSize" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem vmo-write vmo $((P - 64)) --u8 42
	run_zxmem vmo-create-child vmo slice 0 42 --name slice
	run_zxmem vmo-read slice $((P - 64)) 1 --format u8
	assert_output 42
}

@test "VmoCloneTestCase.SizeAlign" {
	local s
	run_zxmem vmo-create 0 --name vmo
	for s in 0 1 4095 4096 4097 8191 16383; do
		run_zxmem vmo-create-child vmo snapshot 0 $s --name c || return 1
		run_zxmem vmo-get-size c || return 1
		assert_output $(((s + P - 1) / P * P)) || return 1
		run_zxmem handle-close c || return 1
	done
}

@test "VmoCloneTestCase.Decommit" {
	run_zxmem vmo-create $((P * 4)) --name vmo
	run_zxmem vmo-create-child vmo snapshot 0 $((P * 4)) --name clone
	run_zxmem -2 vmo-op-range clone decommit 0 $P
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 vmo-op-range vmo decommit 0 $P
	run_zxmem handle-close clone
	run_zxmem vmo-op-range vmo decommit 0 $P
}

@test "VmoCloneTestCase.Commit" {
	run_zxmem vmo-create $((P * 4)) --name vmo
	run_zxmem vmo-create-child vmo snapshot 0 $((P * 4)) --name clone
	run_zxmem vmo-write vmo 0 --hex 99 --repeat $P
	u32_at vmo 0
	assert_output $((0x99999999))
	u32_at clone 0
	assert_output 0
	run_zxmem vmo-op-range clone commit 0 $P
	u32_at clone 0
	assert_output 0
	run_zxmem vmo-write clone 0 --u32 0x44444444
	u32_at clone 0
	assert_output $((0x44444444))
	u32_at vmo 0
	assert_output $((0x99999999))
}

@test "VmoCloneTestCase.Rights" {
	run_zxmem vmo-create $P --name vmo
	run_zxmem handle-duplicate vmo --rights read,duplicate --name reduced
	run_zxmem vmo-create-child reduced snapshot 0 $P --name clone
	run_zxmem handle-close reduced
	run_zxmem handle-list
	assert_line --regexp '^clone [0-9]+ vmo duplicate,read,write,get-property,set-property 4096$'
}

@test "VmoCloneTestCase.NoResize" {
	run_zxmem vmo-create $((P * 4)) --name parent
	run_zxmem vmo-create-child parent snapshot 0 $((P * 4)) --name vmo
	run_zxmem -28 vmo-set-size vmo $((P * 5))
	run_zxmem -28 vmo-set-size vmo $((P * 3))
	run_zxmem vmo-get-size vmo
	assert_output $((P * 4))
}

@test "a snapshot is isolated both ways and reads zeros past the parent's end" {
	run_zxmem vmo-create $P --name p
	run_zxmem vmo-write p 0 parent
	run_zxmem vmo-create-child p snapshot 0 $((P * 3)) --name s
	run_zxmem vmo-read s 0 6 --format string
	assert_output parent
	run_zxmem vmo-write p 0 PARENT
	run_zxmem vmo-write s 100 child
	run_zxmem vmo-read s 0 6 --format string
	assert_output parent
	run_zxmem vmo-read p 100 5 --format hex
	assert_output 0000000000
	run_zxmem vmo-read s $P 8 --format hex
	assert_output 0000000000000000
	run_zxmem object-info s
	assert_line "size 12288"
	assert_line --regexp '^parent_koid [1-9]'
	run_zxmem object-info p
	assert_line "children 1"
}

@test "closing a parent keeps its slice and its snapshot working" {
	run_zxmem vmo-create $((P * 2)) --name p
	run_zxmem vmo-write p 0 data
	run_zxmem vmo-create-child p slice $P $P --name sl
	run_zxmem vmo-create-child p snapshot 0 $P --name sn
	run_zxmem handle-close p
	run_zxmem vmo-write sl 0 more
	run_zxmem vmo-read sl 0 4 --format string
	assert_output more
	run_zxmem vmo-read sn 0 4 --format string
	assert_output data
	# the root's holder lives while the slice needs its memfd
	[ -n "$(holders_of "$ZXMEM_RUNTIME_DIR")" ]
	run_zxmem handle-close sl sn
	local i
	for i in $(seq 100); do
		[ -z "$(holders_of "$ZXMEM_RUNTIME_DIR")" ] && break
		sleep 0.05
	done
	[ -z "$(holders_of "$ZXMEM_RUNTIME_DIR")" ]
}

@test "a reference shares everything: size, content size, bytes" {
	run_zxmem vmo-create $P --resizable --name p
	run_zxmem -10 vmo-create-child p reference 0 $P
	run_zxmem vmo-create-child p reference,resizable 0 0 --name r
	run_zxmem vmo-set-size r $((P * 2))
	run_zxmem vmo-get-size p
	assert_output $((P * 2))
	run_zxmem vmo-write p $P shared
	run_zxmem vmo-read r $P 6 --format string
	assert_output shared
	# a resizable VMO has no slices, a slice no references, and a
	# resizable reference needs a resizable parent
	run_zxmem -2 vmo-create-child r slice 0 $P
	run_zxmem vmo-create $P --name f
	run_zxmem vmo-create-child f slice 0 $P --name fs
	run_zxmem -2 vmo-create-child fs reference 0 0
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	# [NEW]: a resizable reference needs RESIZE at the handle lookup
	run_zxmem -30 vmo-create-child f reference,resizable 0 0
}

@test "vmo-create-child checks before the handle, then rights, then per type" {
	# size rounding and no-write+resizable beat BAD_HANDLE
	run_zxmem -14 vmo-create-child nosuch snapshot 0 0xFFFFFFFFFFFFFFFF
	run_zxmem -10 vmo-create-child nosuch snapshot,no-write,resizable 0 $P
	run_zxmem -11 vmo-create-child nosuch snapshot 0 $P
	run_zxmem vmo-create $P --name p
	run_zxmem handle-duplicate p --rights read --name nodup
	run_zxmem -30 vmo-create-child nodup snapshot 0 $P
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -10 vmo-create-child p resizable 0 $P
	run_zxmem -10 vmo-create-child p snapshot,snapshot-modified 0 $P
	run_zxmem -10 vmo-create-child p snapshot 100 $P
	run_zxmem -64 vmo-create-child p snapshot,bogus 0 $P
	assert_usage_error bogus
	# an uncached parent refuses snapshots
	run_zxmem vmo-create $P --name u
	run_zxmem vmo-set-cache-policy u uncached
	run_zxmem -20 vmo-create-child u snapshot 0 $P
	assert_zx_error ZX_ERR_BAD_STATE
	# no-write snapshots are immutable and have no write right
	run_zxmem vmo-create-child p snapshot,no-write 0 $P --name ro
	run_zxmem -30 vmo-write ro 0 x
	# a name in use is refused after Zircon's checks
	run_zxmem -26 vmo-create-child p snapshot 0 $P --name p
}

@test "offsets are kept relative to the root: an overflow along a chain is ZX_ERR_INVALID_ARGS" {
	run_zxmem vmo-create $P --name p
	run_zxmem vmo-create-child p snapshot 0xFFFFFFFFFFFF0000 $P --name c
	run_zxmem -10 vmo-create-child c snapshot 0x10000 $P
	assert_zx_error ZX_ERR_INVALID_ARGS
}

@test "vmo-set-cache-policy refuses a parent with children and a child" {
	run_zxmem vmo-create $P --name p
	run_zxmem vmo-create-child p snapshot 0 $P --name c
	run_zxmem -20 vmo-set-cache-policy p uncached
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem -20 vmo-set-cache-policy c uncached
	run_zxmem handle-close c
	run_zxmem vmo-set-cache-policy p uncached
}

@test "slices and references have koids of their own" {
	run_zxmem vmo-create $P --name p
	run_zxmem vmo-create-child p slice 0 $P --name s
	run_zxmem vmo-create-child p reference 0 0 --name r
	run_zxmem handle-list
	local k
	k=$(awk '{ print $2 }' <<<"$output" | sort -u | wc -l)
	[ "$k" -eq 3 ]
}

# ---------------------------------------------------------------- op-range

@test "vmo-op-range: unknown op after the handle lookup, each op its own right" {
	run_zxmem -11 vmo-op-range nosuch 99 0 0
	run_zxmem vmo-create $((P * 2)) --name v
	run_zxmem -10 vmo-op-range v 99 0 0
	run_zxmem -10 vmo-op-range v 5 0 0
	run_zxmem -64 vmo-op-range v bogus 0 0
	run_zxmem handle-duplicate v --rights read --name ro
	run_zxmem -30 vmo-op-range ro commit 0 $P
	run_zxmem -30 vmo-op-range ro zero 0 $P
	run_zxmem -30 vmo-op-range ro decommit 0 $P
	run_zxmem vmo-op-range ro prefetch 0 $P
	run_zxmem vmo-op-range ro cache-sync 0 $P
	run_zxmem handle-duplicate v --rights none --name none
	run_zxmem vmo-op-range none dont-need 0 0xFFFFFFFFFFFFFFFF
	run_zxmem vmo-op-range none always-need 0 0xFFFFFFFFFFFFFFFF
	run_zxmem -30 vmo-op-range none cache-clean 0 $P
}

@test "vmo-op-range commit and decommit: committed bytes follow, ranges and alignment" {
	run_zxmem vmo-create $((P * 4)) --name v
	run_zxmem vmo-op-range v commit 1 $P
	run_zxmem object-info v
	assert_line "committed_bytes 8192"
	run_zxmem -14 vmo-op-range v commit $((P * 3)) $((P + 1))
	run_zxmem vmo-write v 0 hello
	run_zxmem -10 vmo-op-range v decommit 1 $P
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -14 vmo-op-range v decommit 0 $((P * 5))
	run_zxmem vmo-op-range v decommit 0 $P
	run_zxmem vmo-read v 0 5 --format hex
	assert_output 0000000000
	run_zxmem vmo-op-range v decommit 0 0
}

@test "vmo-op-range zero is byte-exact and checks everything first" {
	run_zxmem vmo-create $((P * 3)) --name v
	run_zxmem vmo-write v 0 --hex ff --repeat $((P * 3))
	run_zxmem vmo-op-range v zero 10 $((P * 2))
	run_zxmem vmo-read v 8 4 --format hex
	assert_output ffff0000
	run_zxmem vmo-read v $((P * 2 + 8)) 4 --format hex
	assert_output 0000ffff
	run_zxmem -14 vmo-op-range v zero $((P * 2)) $((P * 2))
	run_zxmem vmo-read v $((P * 2 + 100)) 1 --format hex
	assert_output ff
	run_zxmem vmo-op-range v zero 0 0
	run_zxmem vmo-set-cache-policy v uncached
	run_zxmem -20 vmo-op-range v zero 0 1
}

@test "vmo-op-range cache ops: size 0 is ZX_ERR_INVALID_ARGS; cache-invalidate needs the debugging gate first" {
	run_zxmem vmo-create $P --name v
	run_zxmem -10 vmo-op-range v cache-sync 0 0
	run_zxmem -14 vmo-op-range v cache-clean 0 $((P + 1))
	run_zxmem vmo-op-range v cache-clean-invalidate 0 $P
	run_zxmem handle-duplicate v --rights read --name ro
	run_zxmem -2 vmo-op-range ro cache-invalidate 0 $P
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	enable_debugging
	run_zxmem -30 vmo-op-range ro cache-invalidate 0 $P
	run_zxmem vmo-op-range v cache-invalidate 0 $P
}

# ------------------------------------------------------------- discardable

@test "vmo-create --discardable --resizable is ZX_ERR_INVALID_ARGS; children are ZX_ERR_NOT_SUPPORTED" {
	run_zxmem -10 vmo-create $P --discardable --resizable
	run_zxmem vmo-create $P --discardable --name d
	run_zxmem -2 vmo-create-child d snapshot 0 $P
	run_zxmem -2 vmo-create-child d slice 0 $P
	run_zxmem vmo-create $P --name plain
	run_zxmem -2 vmo-op-range plain lock 0 $P
	run_zxmem -2 vmo-op-range plain try-lock 0 $P
	run_zxmem -2 vmo-op-range plain unlock 0 $P
	run_zxmem -2 vmo-op-range plain discard 0 $P
	run_zxmem -20 vmo-set-cache-policy d uncached
}

@test "a discardable VMO: lock state is the object's, discard reclaims an unlocked one" {
	run_zxmem vmo-create $((P * 2)) --discardable --name d
	run_zxmem vmo-write d 0 keep
	run_zxmem -14 vmo-op-range d lock 0 $P
	run_zxmem -20 vmo-op-range d unlock 0 $((P * 2))
	run_zxmem vmo-op-range d lock 0 $((P * 2))
	assert_line "$((P * 2))"
	# locked: the reclaim cannot take it
	run_zxmem -20 vmo-op-range d discard 0 $((P * 2))
	run_zxmem vmo-op-range d unlock 0 $((P * 2))
	run_zxmem vmo-op-range d discard 0 $((P * 2))
	run_zxmem -28 vmo-op-range d try-lock 0 $((P * 2))
	assert_zx_error ZX_ERR_UNAVAILABLE
	run_zxmem vmo-read d 0 4 --format hex
	assert_output 00000000
	run_zxmem -j vmo-op-range d lock 0 $((P * 2))
	assert_output --partial '"discarded_size":8192'
	run_zxmem -j vmo-op-range d try-lock 0 $((P * 2))
	assert_output --partial '"discarded_size":0'
	run_zxmem vmo-op-range d unlock 0 $((P * 2))
	run_zxmem vmo-op-range d unlock 0 $((P * 2))
	run_zxmem -20 vmo-op-range d unlock 0 $((P * 2))
}

# ------------------------------------------------------ vmo.cc (VmoTestCase)

@test "VmoTestCase.Create" {
	local i
	for i in $(seq 0 15); do
		echo "vmo-create $((i * P)) --name v$i"
	done >"$BATS_TEST_TMPDIR/s"
	for i in $(seq 0 15); do echo "handle-close v$i"; done >>"$BATS_TEST_TMPDIR/s"
	run_zxmem -q batch "$BATS_TEST_TMPDIR/s"
	run_zxmem handle-list
	refute_output
}

@test "VmoTestCase.ReadWriteBadLen" {
	local len=$((P * 4)) i n
	run_zxmem vmo-create $len --name v
	for i in 1 2; do
		n=$(printf '%u' $((0xFFFFFFFFFFFFFFFF - P / i)))
		run_zxmem -14 vmo-read v 0 "$n" || return 1
		run_zxmem -14 vmo-write v 0 --hex 00 --repeat "$n" || return 1
	done
	run_zxmem vmo-read v 0 $len -o "$BATS_TEST_TMPDIR/buf"
	run_zxmem vmo-write v 0 --file "$BATS_TEST_TMPDIR/buf"
}

@test "VmoTestCase.ReadWrite" {
	run_zxmem vmo-create $((P * 4)) --name v
	run_zxmem vmo-read v 0 $((P * 4)) -o "$BATS_TEST_TMPDIR/buf"
	cmp "$BATS_TEST_TMPDIR/buf" <(head -c $((P * 4)) /dev/zero)
	run_zxmem vmo-write v 0 --hex 99 --repeat $((P * 4))
	run_zxmem vmo-read v 0 $((P * 4)) -o "$BATS_TEST_TMPDIR/buf"
	cmp "$BATS_TEST_TMPDIR/buf" <(head -c $((P * 4)) /dev/zero | tr '\0' '\231')
}

@test "VmoTestCase.ReadWriteRange" {
	local len=$((P * 4))
	run_zxmem vmo-create $len --name v
	run_zxmem -14 vmo-read v 0 $((len * 2))
	run_zxmem vmo-read v $len 0
	run_zxmem -14 vmo-read v $((len + 1)) 0
	run_zxmem -14 vmo-write v 0 --hex 00 --repeat $((len * 2))
	run_zxmem vmo-write v $len --hex ""
	run_zxmem -14 vmo-write v $((len + 1)) --hex ""
	local wrap
	wrap=$(printf '%u' $((0xFFFFFFFFFFFFFFFF - len / 2)))
	run_zxmem -14 vmo-read v "$wrap" $len
	run_zxmem -14 vmo-write v "$wrap" --hex 00 --repeat $len
}

@test "VmoTestCase.Resize" {
	local len=$((P * 4))
	run_zxmem vmo-create $len --resizable --name v
	run_zxmem vmo-get-size v
	assert_output $len
	len=$((len + P))
	run_zxmem vmo-set-size v $len
	run_zxmem vmo-get-size v
	assert_output $len
	run_zxmem -14 vmo-set-size v 0xFFFFFFFFFFFFFFFF
	run_zxmem vmo-set-size v $((len + 1))
	run_zxmem vmo-get-size v
	assert_output $((len + P))
}

@test "VmoTestCase.NoResize" {
	local len=$((P * 4))
	run_zxmem vmo-create $len --name v
	run_zxmem -28 vmo-set-size v $((len + P))
	run_zxmem -28 vmo-set-size v $((len - P))
	run_zxmem vmo-get-size v
	assert_output $len
}

@test "VmoTestCase.Info" {
	run_zxmem vmo-create $((P * 4)) --name v
	run_zxmem object-info v
	assert_line "size $((P * 4))"
	assert_line "flags paged"
	assert_line "cache_policy cached"
	run_zxmem vmo-create $((P * 8)) --resizable --name r
	run_zxmem vmo-set-cache-policy r uncached
	run_zxmem object-info r
	assert_line "size $((P * 8))"
	assert_line "flags paged,resizable"
	assert_line "cache_policy uncached"
}

@test "a path to one of the namespace's own memfds is that object, with its state" {
	local pid
	run_zxmem vmo-create $P --name own --resizable
	pid=$(holders_named own)
	[ -n "$pid" ]
	run_zxmem vmo-set-size own $((P * 2))
	run_zxmem vmo-get-size "/proc/$pid/fd/3"
	assert_output $((P * 2))
	run_zxmem vmo-create-child own reference,resizable 0 0 --name ref
	run_zxmem object-info "/proc/$pid/fd/3"
	assert_line "children 1"
	assert_line "flags paged,resizable"
	run_zxmem handle-close ref
	run_zxmem vmo-set-cache-policy own uncached
	run_zxmem -20 vmo-write "/proc/$pid/fd/3" 0 x
	assert_zx_error ZX_ERR_BAD_STATE
}
