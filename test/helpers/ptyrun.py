#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""ptyrun.py STEP... -- CMD ARGS...: run CMD on a pseudo-terminal, as a
person at a terminal would, and walk the steps in order:

  send:TEXT     type TEXT (Python escapes: \\t Tab, \\r Enter, \\x04 Ctrl-D,
                \\x03 Ctrl-C, \\x1b[A Up)
  expect:REGEX  wait (at most 10 s) until the screen output matches REGEX
                since the last expect
  open:FIFO     wait (at most 10 s) until CMD has FIFO open for reading and
                open it for writing: CMD is then past its prompt (closing
                the FIFO an earlier open: left open)
  write:TEXT    write TEXT (escapes as for send) to the FIFO and close it
  hold:FIFO     open FIFO for reading (without waiting for a writer) and
                keep it open, never read: CMD's open of it for writing
                does not wait, and CMD's writes wait once it is full
                (closing the FIFO an earlier hold: held)
  full:         wait (at most 10 s) until the FIFO of hold: holds as much
                as it can: CMD is then blocked writing to it

At the end it waits for CMD to exit, prints everything CMD wrote (with \\r
removed) and exits with CMD's status; 124 if an expect or the exit timed
out (the transcript so far is printed to stderr).
"""
import errno
import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time


def main():
    argv = sys.argv[1:]
    sep = argv.index("--")
    steps, cmd = argv[:sep], argv[sep + 1:]
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "dumb"
        # As a terminal's shell starts a foreground job: Ctrl-C and Ctrl-\
        # reach it even if this runs in the background of a script (which
        # ignores them), and SIGPIPE is not Python's SIG_IGN.
        for sig in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        os.execvp(cmd[0], cmd)
    out = b""
    seen = 0
    wfd = -1
    rfd = -1

    def pump(deadline):
        nonlocal out
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                return False
            try:
                data = os.read(fd, 4096)
            except OSError:
                return None
            if not data:
                return None
            out += data
            return True

    for step in steps:
        kind, _, arg = step.partition(":")
        if kind == "send":
            os.write(fd, arg.encode().decode("unicode_escape").encode("latin-1"))
        elif kind == "open":
            if wfd >= 0:
                os.close(wfd)
                wfd = -1
            deadline = time.monotonic() + 10
            while wfd < 0:
                try:
                    wfd = os.open(arg, os.O_WRONLY | os.O_NONBLOCK)
                except OSError as e:
                    # ENXIO: nobody reads the FIFO yet.
                    if e.errno != errno.ENXIO or time.monotonic() > deadline:
                        sys.stderr.write("ptyrun: %s: %s\n" % (arg, e))
                        os.kill(pid, 9)
                        sys.exit(124)
                    pump(time.monotonic() + 0.01)
            os.set_blocking(wfd, True)
        elif kind == "hold":
            if rfd >= 0:
                os.close(rfd)
            rfd = os.open(arg, os.O_RDONLY | os.O_NONBLOCK)
        elif kind == "full":
            size = fcntl.fcntl(rfd, fcntl.F_GETPIPE_SZ)
            deadline = time.monotonic() + 10
            while True:
                buf = fcntl.ioctl(rfd, termios.FIONREAD, b"\0\0\0\0")
                if struct.unpack("i", buf)[0] >= size:
                    break
                if time.monotonic() > deadline:
                    sys.stderr.write("ptyrun: the FIFO did not fill\n")
                    os.kill(pid, 9)
                    sys.exit(124)
                pump(time.monotonic() + 0.01)
        elif kind == "write":
            os.write(wfd, arg.encode().decode("unicode_escape").encode("latin-1"))
            os.close(wfd)
            wfd = -1
        elif kind == "expect":
            deadline = time.monotonic() + 10
            pat = re.compile(arg.encode())
            while True:
                m = pat.search(out, seen)
                if m:
                    seen = m.end()
                    break
                if not pump(deadline):
                    sys.stderr.write("ptyrun: timed out waiting for %r\n" % arg)
                    sys.stderr.write(out.decode(errors="replace"))
                    os.kill(pid, 9)
                    sys.exit(124)
        else:
            sys.exit("ptyrun: bad step %r" % step)
    deadline = time.monotonic() + 10
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if pump(min(deadline, time.monotonic() + 0.05)) is False and \
                time.monotonic() > deadline:
            sys.stderr.write(out.decode(errors="replace"))
            os.kill(pid, 9)
            sys.exit(124)
    while pump(time.monotonic() + 0.05):
        pass
    sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
    # Killed by a signal: 128 + its number, as a shell says it.
    code = os.waitstatus_to_exitcode(status)
    sys.exit(128 - code if code < 0 else code)


main()
