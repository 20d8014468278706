#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# zxmem shell, driven on a real pseudo-terminal (test/helpers/ptyrun.py):
# readline editing, history, Tab completion, errors that do not end it.

load test_helper/common
load test_helper/process

PTY=$BATS_TEST_DIRNAME/helpers/ptyrun.py

# on_terminal STEP... -- ARGS: zxmem ARGS on a terminal; sets status/output.
on_terminal() {
	local steps=()
	while [ "$1" != -- ]; do
		steps+=("$1")
		shift
	done
	shift
	run python3 "$PTY" "${steps[@]}" -- ${ZXMEM_WRAPPER-} "$ZXMEM" "$@" 3>&-
}

@test "a shell session: results, an error that does not end it, exit" {
	on_terminal 'expect:zxmem> ' \
		'send:vmo-create 4096 --name s\r' 'expect:zxmem> ' \
		"send:vmo-write s 0 'hi there'\\r" 'expect:zxmem> ' \
		'send:vmo-get-size nope\r' 'expect:zxmem> ' \
		'send:vmo-read s 0 8 --format string\r' 'expect:zxmem> ' \
		'send:exit\r' -- shell
	assert_success
	assert_line "s"
	assert_line "hi there"
	assert_line --partial "zxmem: vmo-get-size: ZX_ERR_BAD_HANDLE: no handle named 'nope'"
	run_zxmem vmo-read s 0 2 --format string
	assert_output hi
}

@test "quit and Ctrl-D leave the shell; Ctrl-C abandons the line only" {
	on_terminal 'expect:zxmem> ' 'send:quit\r' -- shell
	assert_success
	on_terminal 'expect:zxmem> ' 'send:\x04' -- shell
	assert_success
	on_terminal 'expect:zxmem> ' 'send:vmo-create 4096 --name never' \
		'expect:never' 'send:\x03' \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem -11 vmo-get-size never
	run_zxmem vmo-get-size after
}

# A read that cannot end by itself: 1 GiB as hex is 2 GiB of text, and
# ptyrun reads the terminal only while it expects, so zxmem blocks writing
# to it until the Ctrl-C has been sent.
@test "Ctrl-C stops a long vmo-read: the prompt comes back, history kept" {
	run_zxmem vmo-create 0x40000000 --name big
	on_terminal 'expect:zxmem> ' \
		'send:vmo-read big 0 0x40000000 --format hex\r' 'expect:0000000000' \
		'send:\x03' 'expect:zxmem: vmo-read: ZX_ERR_CANCELED: interrupted after [0-9]+ of 1073741824 bytes' \
		'expect:zxmem> ' 'send:vmo-get-size big\r' 'expect:1073741824' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run cat "$XDG_STATE_HOME/zxmem/history"
	assert_output "$(printf 'vmo-read big 0 0x40000000 --format hex\nvmo-get-size big\nexit')"
}

@test "Ctrl-C stops a long process-read-memory, as vmo-read" {
	FINDER_HEAP_MB=16 spawn_target finder
	on_terminal 'expect:zxmem> ' \
		"send:process-read-memory $TPID $T_big 16M --format hex\\r" 'expect:[0-9a-f]{64}' \
		'send:\x03' 'expect:zxmem: process-read-memory: ZX_ERR_CANCELED: interrupted after [0-9]+ of 16777216 bytes' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	kill -0 "$TPID"
}

@test "Ctrl-C stops process-find and says how far it got; the target is unharmed" {
	spawn_target finder
	# Hundreds of thousands of zero bytes: the hits alone fill the terminal.
	on_terminal 'expect:zxmem> ' \
		"send:process-find $TPID --u8 0 --max 100000000\\r" 'expect:0x[0-9a-f]+' \
		'send:\x03' 'expect:zxmem: process-find: ZX_ERR_CANCELED: interrupted after [0-9]+ bytes of [0-9]+ mappings?; [0-9]+ address(es)? printed' \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size after
	kill -0 "$TPID"
}

# A write waits for DATA that never comes: from a FIFO whose writer has
# it open and never writes, from a FIFO nobody opens (the open waits), from
# the terminal. The Ctrl-C alone ends each wait.
@test "Ctrl-C while a write waits for DATA that never comes: nothing is written, the shell goes on" {
	local f=$BATS_TEST_TMPDIR/fifo h=$BATS_TEST_TMPDIR/hexfifo
	local g=$BATS_TEST_TMPDIR/nobody
	local canceled='zxmem: vmo-write: ZX_ERR_CANCELED: interrupted while DATA was read: nothing was written'
	run_zxmem vmo-create 4096 --name w
	run_zxmem vmo-write w 0 before
	mkfifo "$f" "$h" "$g"
	on_terminal 'expect:zxmem> ' \
		"send:vmo-write w 0 --file $f\\r" "open:$f" 'send:\x03' \
		"expect:$canceled" 'expect:zxmem> ' \
		"send:vmo-write w 0 --hexdump $h\\r" "open:$h" 'send:\x03' \
		"expect:$canceled" 'expect:zxmem> ' \
		'send:vmo-write w 0 -\r' 'expect:w 0 -\r?\n' 'send:\x03' \
		"expect:$canceled" 'expect:zxmem> ' \
		"send:vmo-write w 0 --file $g\\r" "expect:$g\\r?\\n" 'send:\x03' \
		"expect:zxmem: vmo-write: ZX_ERR_CANCELED: interrupted while --file '$g' waited for a writer: nothing was written" \
		'expect:zxmem> ' 'send:vmo-read w 0 6 --format string\r' 'expect:before' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-read w 0 6 --format string
	assert_output before
}

# -o to a FIFO that is open for reading but never read: more than the pipe
# holds, so the copy blocks once it is full (ptyrun's full: step); and to a
# FIFO nobody opens, where the open itself waits.
@test "Ctrl-C while -o waits on a FIFO: how far it got, the shell goes on" {
	local f=$BATS_TEST_TMPDIR/fifo f2=$BATS_TEST_TMPDIR/fifo2
	local g=$BATS_TEST_TMPDIR/nobody
	FINDER_HEAP_MB=16 spawn_target finder
	run_zxmem vmo-create 1M --name r
	mkfifo "$f" "$f2" "$g"
	on_terminal 'expect:zxmem> ' "hold:$f" \
		"send:vmo-read r 0 1M -o $f\\r" 'full:' 'send:\x03' \
		"expect:zxmem: vmo-read: ZX_ERR_CANCELED: interrupted after [1-9][0-9]* of 1048576 bytes \\(-o $f holds them\\)" \
		'expect:zxmem> ' "hold:$f2" \
		"send:process-read-memory $TPID $T_big 16M -o $f2\\r" 'full:' 'send:\x03' \
		"expect:zxmem: process-read-memory: ZX_ERR_CANCELED: interrupted after [1-9][0-9]* of 16777216 bytes \\(-o $f2 holds them\\)" \
		'expect:zxmem> ' "send:vmo-read r 0 16 -o $g\\r" "expect:$g\\r?\\n" 'send:\x03' \
		"expect:zxmem: vmo-read: ZX_ERR_CANCELED: interrupted while -o $g waited for a reader: nothing was written to it" \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size after
	kill -0 "$TPID"
}

# In a batch run from the shell the same Ctrl-C ends the waiting line and
# the batch; a batch FILE that is a FIFO nobody opens ends too.
@test "Ctrl-C ends a batch line that waits for DATA, and the batch" {
	local f=$BATS_TEST_TMPDIR/fifo g=$BATS_TEST_TMPDIR/nobody
	run_zxmem vmo-create 4096 --name w
	run_zxmem vmo-write w 0 before
	mkfifo "$f" "$g"
	printf '%s\n' "vmo-write w 0 --file $f" 'vmo-create 4096 --name never' \
		>"$BATS_TEST_TMPDIR/b.zx"
	on_terminal 'expect:zxmem> ' \
		"send:batch --keep-going $BATS_TEST_TMPDIR/b.zx\\r" "open:$f" 'send:\x03' \
		'expect:b.zx:1: zxmem: vmo-write: ZX_ERR_CANCELED: interrupted while DATA was read: nothing was written' \
		'expect:zxmem> ' "send:batch $g\\r" "expect:$g\\r?\\n" 'send:\x03' \
		"expect:zxmem: batch: ZX_ERR_CANCELED: interrupted while '$g' waited for a writer: no line ran" \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem -11 vmo-get-size never
	run_zxmem vmo-get-size after
	run_zxmem vmo-read w 0 6 --format string
	assert_output before
}

# --among read from a FIFO: its open waits for a writer, then its lines.
@test "Ctrl-C while process-find waits for --among from a FIFO" {
	local f=$BATS_TEST_TMPDIR/fifo g=$BATS_TEST_TMPDIR/nobody
	spawn_target finder
	mkfifo "$f" "$g"
	on_terminal 'expect:zxmem> ' \
		"send:process-find $TPID --u8 0 --among $g\\r" "expect:$g\\r?\\n" 'send:\x03' \
		"expect:zxmem: process-find: ZX_ERR_CANCELED: interrupted while --among $g waited for a writer" \
		'expect:zxmem> ' "send:process-find $TPID --u8 0 --among $f\\r" "open:$f" 'send:\x03' \
		"expect:zxmem: process-find: ZX_ERR_CANCELED: interrupted while --among $f was read" \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size after
	kill -0 "$TPID"
}

@test "Ctrl-C ends a batch run from the shell, even with --keep-going" {
	run_zxmem vmo-create 0x40000000 --name big
	printf '%s\n' 'vmo-read big 0 0x40000000 --format hex' \
		'vmo-create 4096 --name never' >"$BATS_TEST_TMPDIR/b.zx"
	on_terminal 'expect:zxmem> ' \
		"send:batch --keep-going $BATS_TEST_TMPDIR/b.zx\\r" 'expect:0000000000' \
		'send:\x03' 'expect:b.zx:1: zxmem: vmo-read: ZX_ERR_CANCELED' \
		'expect:zxmem> ' 'send:vmo-create 4096 --name after\r' 'expect:after' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem -11 vmo-get-size never
	run_zxmem vmo-get-size after
}

@test "outside the shell Ctrl-C still ends zxmem" {
	run_zxmem vmo-create 0x40000000 --name big
	on_terminal 'expect:0000000000' 'send:\x03' -- \
		vmo-read big 0 0x40000000 --format hex
	assert_failure 130
	refute_output --partial ZX_ERR_CANCELED
}

@test "zxmem with no command on a terminal is the shell" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 8192 --name t\r' \
		'expect:zxmem> ' 'send:exit\r' --
	assert_success
	run_zxmem vmo-get-size t
	assert_output 8192
}

@test "history is kept in XDG_STATE_HOME and recalled with Up" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 12288 --name hist\r' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	[ "$(stat -c %a "$XDG_STATE_HOME/zxmem")" = 700 ]
	run grep -x 'vmo-create 12288 --name hist' "$XDG_STATE_HOME/zxmem/history"
	assert_success

	run_zxmem handle-close hist
	# Up Up: "exit" is the last line; the one before creates hist again.
	on_terminal 'expect:zxmem> ' 'send:\x1b[A\x1b[A\r' 'expect:hist' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size hist
	assert_output 12288
}

@test "Tab completes commands, handle names, options and formats" {
	run_zxmem vmo-create 4096 --name alpha
	on_terminal 'expect:zxmem> ' \
		'send:vmo-get-s\t' 'expect:vmo-get-size ' \
		'send:al\t' 'expect:alpha ' 'send:\r' 'expect:4096' 'expect:zxmem> ' \
		'send:vmo-read alpha 0 4 --for\t' 'expect:--format ' \
		'send:hexd\t' 'expect:hexdump ' 'send:\r' 'expect:00000004' \
		'expect:zxmem> ' 'send:vmo-read alpha 0 4 --format h\t\t\t' \
		'expect:hex +hexdump' 'send:\x15exit\r' -- shell
	assert_success
}

@test "Tab completes file names where a path goes, and the PIDs and threads of a TARGET" {
	spawn_target
	run_zxmem vmo-create 4096 --name alpha
	mkdir "$BATS_TEST_TMPDIR/dumps"
	touch "$BATS_TEST_TMPDIR/dumps/first.bin"
	cd "$BATS_TEST_TMPDIR"
	# Every candidate listed at once: no question, no pager.
	printf 'set completion-query-items 0\nset page-completions off\n' >inputrc
	INPUTRC=$BATS_TEST_TMPDIR/inputrc on_terminal 'expect:zxmem> ' \
		'send:vmo-read alpha 0 4 -o dum\t' 'expect:dumps/' \
		'send:f\t' 'expect:first.bin ' 'send:\x15' \
		'send:vmo-read alpha 0 4 --output=dumps/f\t' \
		'expect:--output=dumps/first.bin ' 'send:\x15' \
		"send:process-read-memory $TPID counter 4 --thread \\t" \
		"expect:--thread $TPID " 'send:\x15' \
		'send:process-maps \t\t' "expect:(^|[ \\n])$TPID[ \\r\\n]" \
		'send:\x15exit\r' -- shell
	assert_success
}

@test "a trailing backslash continues on a '> ' prompt" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 4096 \\\r' 'expect:> ' \
		'send:--name cont\r' 'expect:cont' 'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size cont
	assert_output 4096
}

@test "Ctrl-C on a '> ' prompt abandons the whole continued command" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 4096 \\\r' 'expect:> ' \
		'send:--name gone' 'expect:gone' 'send:\x03' 'expect:zxmem> ' \
		'send:exit\r' -- shell
	assert_success
	run_zxmem handle-list
	assert_output ""
	run cat "$XDG_STATE_HOME/zxmem/history"
	assert_output exit
}

@test "a continued command is one history entry, recalled whole by Up" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 8192 \\\r' 'expect:> ' \
		'send:--name joined\r' 'expect:joined' 'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run cat "$XDG_STATE_HOME/zxmem/history"
	assert_output "$(printf 'vmo-create 8192 --name joined\nexit')"

	run_zxmem handle-close joined
	on_terminal 'expect:zxmem> ' 'send:\x1b[A\x1b[A\r' 'expect:joined' \
		'expect:zxmem> ' 'send:exit\r' -- shell
	assert_success
	run_zxmem vmo-get-size joined
	assert_output 8192
}

@test "global options apply in the shell; a batch cannot start one" {
	on_terminal 'expect:zxmem> ' 'send:vmo-create 4096 --name j\r' \
		'expect:"handle":"j"' 'expect:zxmem> ' 'send:exit\r' -- -j shell
	assert_success
	echo shell >"$BATS_TEST_TMPDIR/s.zx"
	run_zxmem -64 batch "$BATS_TEST_TMPDIR/s.zx"
	[[ "$stderr" == *"cannot start from a batch"* ]] || fail "$stderr"
}
