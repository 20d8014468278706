/* SPDX-License-Identifier: GPL-3.0-or-later */
/* VMOs as memfds, and the holder process that keeps each one alive between
 * invocations (SPEC §3). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "targets/fdio.h"
#include "targets/internal.h"

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif

#define HOLDER_FD 3

zx_status_t
fd_vmo_read(struct zx_vmo *vmo, uint64_t off, void *buf, size_t len,
    struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	size_t done;
	int rc = fd_read_at(v->fd, buf, len, v->base + off, &done);

	if (rc != 0)
		return zx_fail(err, ZX_ERR_IO, "reading %zu bytes at %#" PRIx64
		    ": %s", len, off, strerror(rc));
	/* A file may shrink under us; what is past its end reads as zero. */
	memset((char *)buf + done, 0, len - done);
	return ZX_OK;
}

/* A file opened read-only for reading; the first write opens it again
 * for writing, through the descriptor (the same file, whatever the path
 * names now). */
static zx_status_t
fd_vmo_writable(struct fd_vmo *v, struct zx_err *err)
{
	char path[64];
	int fd;

	if (v->writable)
		return ZX_OK;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", v->fd);
	if ((fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		return zx_fail(err, errno == EMFILE || errno == ENFILE ?
		    ZX_ERR_NO_RESOURCES : ZX_ERR_ACCESS_DENIED, "cannot open the "
		    "file for writing: %s", strerror(errno));
	close(v->fd);
	v->fd = fd;
	v->writable = true;
	return ZX_OK;
}

zx_status_t
fd_vmo_write(struct zx_vmo *vmo, uint64_t off, const struct zx_bytes *src,
    struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	size_t len = (size_t)zx_bytes_size(src), done;
	zx_status_t s;
	int rc;

	if ((s = fd_vmo_writable(v, err)) != ZX_OK)
		return s;
	rc = fd_write_bytes_at(v->fd, src, len, v->base + off, &done);
	if (rc == ENOSPC || rc == ENOMEM)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory after %zu of "
		    "%zu bytes at %#" PRIx64 ": %s", done, len, off, strerror(rc));
	if (rc != 0)
		return zx_fail(err, ZX_ERR_IO, "writing %zu bytes at %#" PRIx64
		    " stopped after %zu: %s", len, off, done, strerror(rc));
	return ZX_OK;
}

zx_status_t
fd_vmo_copy_out(struct zx_vmo *vmo, uint64_t off, uint64_t len, int out,
    uint64_t *done, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	int rc = fd_copy_out(v->fd, v->base + off, out, len, done);

	if (rc == ECANCELED)
		return zx_fail(err, ZX_ERR_CANCELED, "interrupted after %" PRIu64
		    " of %" PRIu64 " bytes at %#" PRIx64, *done, len, off);
	if (rc != 0)
		return zx_fail(err, ZX_ERR_IO, "copying %" PRIu64 " bytes at %#"
		    PRIx64 " stopped after %" PRIu64 ": %s", len, off, *done,
		    strerror(rc));
	return ZX_OK;
}

uint64_t
fd_vmo_committed(struct zx_vmo *vmo)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct stat st;

	/* A slice's pages are its root's: none are attributed to it
	 * (VmoSliceTestCase.AttributedCounts). */
	if (vmo->kind == ZX_VMO_KIND_SLICE)
		return 0;
	return fstat(v->fd, &st) == 0 ?
	    ((uint64_t)st.st_blocks * 512 + 4095) & ~(uint64_t)4095 : 0;
}

zx_status_t
fd_vmo_range(struct zx_vmo *vmo, enum zx_vmo_op op, uint64_t off,
    uint64_t len, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	int mode = FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	bool write_zeros = false;
	zx_status_t s;

	if ((s = fd_vmo_writable(v, err)) != ZX_OK)
		return s;
	/* Commit allocates; the rest punch a hole, which on tmpfs frees the
	 * whole pages and zeroes the bytes of partial ones. */
	if (op == ZX_VMO_OP_COMMIT)
		mode = 0;
	if (len > (uint64_t)INT64_MAX - v->base - off)
		len = (uint64_t)INT64_MAX - v->base - off;
	while (fallocate(v->fd, mode, (off_t)(v->base + off), (off_t)len) < 0) {
		if (errno == EINTR)
			continue;
		if (op == ZX_VMO_OP_ZERO && errno == EOPNOTSUPP) {
			write_zeros = true;
			break;
		}
		return zx_fail(err, errno == ENOSPC || errno == ENOMEM ?
		    ZX_ERR_NO_MEMORY : errno == EOPNOTSUPP ? ZX_ERR_NOT_SUPPORTED :
		    ZX_ERR_IO, "fallocate of %#" PRIx64 " + %#" PRIx64 ": %s", off,
		    len, strerror(errno));
	}
	if (write_zeros) {
		/* No holes here: write the zeros. */
		static const uint8_t zero[4096];
		struct zx_bytes z = { .data = zero, .len = 1, .repeat = 1 };

		for (uint64_t done = 0; done < len; ) {
			uint64_t n = len - done < 4096 ? len - done : 4096;

			z.len = (size_t)n;
			z.repeat = 1;
			if ((s = fd_vmo_write(vmo, off + done, &z, err)) != ZX_OK)
				return s;
			done += n;
		}
	}
	return ZX_OK;
}

/* Copy the data extents of [off, off+len) of src to dst at 0, skipping
 * holes: SEEK_DATA/SEEK_HOLE and copy_file_range. */
int
memfd_copy_data(int src, uint64_t off, uint64_t len, int dst)
{
	uint64_t end = off + len, pos = off;

	while (pos < end) {
		off_t d = lseek(src, (off_t)pos, SEEK_DATA), h;
		loff_t in, out;

		if (d < 0)
			return errno == ENXIO ? 0 : errno;
		if ((uint64_t)d >= end)
			return 0;
		if ((h = lseek(src, d, SEEK_HOLE)) < 0)
			return errno;
		if ((uint64_t)h > end)
			h = (off_t)end;
		in = d;
		out = (loff_t)((uint64_t)d - off);
		while (in < h) {
			ssize_t n = copy_file_range(src, &in, dst, &out,
			    (size_t)(h - in), 0);

			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return errno;
			if (n == 0)
				return EIO;
		}
		pos = (uint64_t)h;
	}
	return 0;
}

/* A file's size is read at every operation: another process may change
 * it. */
static zx_status_t
fd_vmo_begin(struct zx_vmo *vmo, bool exclusive, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct stat st;

	(void)exclusive;
	if (fstat(v->fd, &st) < 0)
		return zx_fail(err, ZX_ERR_IO, "fstat: %s", strerror(errno));
	vmo->size = vmo->content_size = (uint64_t)st.st_size;
	return ZX_OK;
}

/* A file: bytes only; not resizable, and only cached. */
const struct zx_vmo_ops fd_vmo_ops = {
	.begin = fd_vmo_begin,
	.read = fd_vmo_read,
	.write = fd_vmo_write,
	.committed = fd_vmo_committed,
	.range = fd_vmo_range,
	.copy_out = fd_vmo_copy_out,
};

zx_status_t
memfd_new(const char *name, uint64_t size, int *fdp, uint64_t *ino,
    struct zx_err *err)
{
	char mname[96];
	struct stat st;
	int fd;

	if (size > (uint64_t)INT64_MAX)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " is over Linux's memfd limit of 2^63 - 1 "
		    "bytes (%#" PRIx64 ")", size, (uint64_t)INT64_MAX);
	snprintf(mname, sizeof(mname), "zxmem:%s", name);
	fd = memfd_create(mname, MFD_CLOEXEC | MFD_NOEXEC_SEAL);
	if (fd < 0 && errno == EINVAL)
		fd = memfd_create(mname, MFD_CLOEXEC);
	if (fd < 0)
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "memfd_create: %s",
		    strerror(errno));
	if (ftruncate(fd, (off_t)size) < 0 || fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return zx_fail(err, e == EFBIG || e == EINVAL ? ZX_ERR_OUT_OF_RANGE
		    : ZX_ERR_NO_MEMORY, "cannot size the memfd to %#" PRIx64 ": %s",
		    size, strerror(e));
	}
	*fdp = fd;
	*ino = (uint64_t)st.st_ino;
	return ZX_OK;
}

/* The holder: a detached process that owns nothing but the memfd (fd 3),
 * its namespace directory (fd 4) and /dev/null on stdio, so it never keeps
 * a caller's pipe open. It ends on SIGTERM, or by itself once its object
 * record is gone (reset, or the namespace removed).
 *
 * The creator's grandchild becomes the holder. As soon as it has its
 * descriptors in place and its title set ("zxmem: vmo NAME", exact in ps
 * and pgrep), it sends its PID to the creator, which can then go on: the
 * memfd is held from that moment. Only then does it exec zxmem afresh, so
 * that it is small however large the process that created it, and runs
 * natively even when its creator ran under valgrind; that exec is no
 * longer on the creator's path. If the exec fails, it holds the memfd as
 * it is.
 *
 * Fd 5 is a socket to its creator: the holder waits, however long the
 * creator takes (stopped by Ctrl-Z or a debugger), for one byte that says
 * the records are in place. If the creator ends first (killed between
 * starting the holder and linking the handle), the socket reads end of
 * file: the holder takes the namespace lock, keeps going only if a handle
 * names its object after all, and otherwise removes the object's record
 * and ends, so nothing is left behind. */
#define HOLDER_ENV "ZXMEM_HOLDER_KOID"
#define HOLDER_NS_FD 4
#define HOLDER_REPORT_FD 5
#define HOLDER_COMMIT 'C'

/* This program, to run again. /proc/self/exe names it even if its file
 * was removed; a tool that runs us under itself (valgrind) answers the
 * readlink with our own path, but exec of the link would start the tool. */
static const char *
self_exe(void)
{
	static char path[4096];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0 || (size_t)n >= sizeof(path) - 1)
		return "/proc/self/exe";
	path[n] = '\0';
	if (strstr(path, " (deleted)") != NULL || access(path, X_OK) != 0)
		return "/proc/self/exe";
	return path;
}

/* What a holder does once it holds the memfd: wait for its creator's
 * word, then until its record is gone. */
static int
holder_serve(uint64_t koid)
{
	char rec[64], c = 0;
	struct stat st;
	ssize_t got;

	while ((got = recv(HOLDER_REPORT_FD, &c, 1, 0)) < 0 && errno == EINTR)
		;
	close(HOLDER_REPORT_FD);
	if ((got != 1 || c != HOLDER_COMMIT) &&
	    !ns_holder_settle(HOLDER_NS_FD, koid))
		return 0;
	snprintf(rec, sizeof(rec), "o/%" PRIu64, koid);
	for (;;) {
		sleep(2);
		if (fstatat(HOLDER_NS_FD, rec, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
		    errno == ENOENT)
			return 0;
	}
}

static void
holder_signals(void)
{
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
}

static void __attribute__((noreturn))
holder_child(int memfd, int nsfd, int reportfd, uint64_t koid, const char *name)
{
	extern char **environ;
	char title[96], koidvar[64], **envp;
	char *argv[2] = { title, NULL };
	pid_t self = getpid();
	size_t n = 0;
	int fds[3], devnull;

	/* Lift what we keep above 0-5, then put each in its place. */
	fds[0] = fcntl(memfd, F_DUPFD, 10);
	fds[1] = fcntl(nsfd, F_DUPFD, 10);
	fds[2] = fcntl(reportfd, F_DUPFD, 10);
	devnull = open("/dev/null", O_RDWR);
	if (fds[0] < 0 || fds[1] < 0 || fds[2] < 0 || devnull < 0 ||
	    dup2(devnull, 0) < 0 || dup2(devnull, 1) < 0 || dup2(devnull, 2) < 0 ||
	    dup2(fds[0], HOLDER_FD) < 0 || dup2(fds[1], HOLDER_NS_FD) < 0 ||
	    dup2(fds[2], HOLDER_REPORT_FD) < 0)
		_exit(127);
	/* Everything else inherited goes, bats' fd 3 and caller pipes too. */
	closefrom(HOLDER_REPORT_FD + 1);
	holder_signals();
	if (chdir("/") < 0)
		_exit(127);
	snprintf(title, sizeof(title), "zxmem: vmo %s", name);
	setproctitle("-%s", title);
	/* Holding the memfd now, under its title: the creator may go on. */
	if (write(HOLDER_REPORT_FD, &self, sizeof(self)) != (ssize_t)sizeof(self))
		_exit(1);
	snprintf(koidvar, sizeof(koidvar), HOLDER_ENV "=%" PRIu64, koid);
	/* The caller's environment, less any stale koid, plus ours. */
	while (environ[n] != NULL)
		n++;
	if ((envp = calloc(n + 2, sizeof(*envp))) != NULL) {
		n = 0;
		for (char **e = environ; *e != NULL; e++)
			if (strncmp(*e, HOLDER_ENV "=", sizeof(HOLDER_ENV)) != 0)
				envp[n++] = *e;
		envp[n] = koidvar;
		execve(self_exe(), argv, envp);
	}
	/* No exec: hold it as we are. _exit, not exit: the creator's exit
	 * handlers and buffers are not ours. */
	_exit(holder_serve(koid));
}

bool
holder_mode(int argc, char **argv)
{
	return argc == 1 && strncmp(argv[0], "zxmem: vmo ", 11) == 0 &&
	    getenv(HOLDER_ENV) != NULL;
}

int
holder_main(void)
{
	struct stat st;

	holder_signals();
	if (chdir("/") < 0 || fstat(HOLDER_FD, &st) < 0)
		return 1;
	return holder_serve(strtoull(getenv(HOLDER_ENV), NULL, 10));
}

zx_status_t
holder_start(int memfd, int nsfd, uint64_t koid, const char *name, pid_t *pidp,
    int *commitfd, struct zx_err *err)
{
	int pfd[2], status, e;
	pid_t child, holder = 0;
	size_t got = 0;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pfd) < 0)
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "socketpair: %s",
		    strerror(errno));
	/* Nothing buffered may be inherited: a child that ran exit handlers
	 * (valgrind's _exit does) would print it a second time. */
	fflush(NULL);
	/* Holders of ours that ended (a reset elsewhere) are reaped here, so
	 * a long batch or shell gathers no zombies. */
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
	child = fork();
	if (child < 0) {
		e = errno;
		close(pfd[0]);
		close(pfd[1]);
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "fork: %s", strerror(e));
	}
	if (child == 0) {
		/* Its own session: no terminal's signals reach it. When we
		 * end, it is reparented; holder_stop reaps it if we end it. */
		close(pfd[0]);
		if (setsid() < 0)
			_exit(1);
		holder_child(memfd, nsfd, pfd[1], koid, name);
	}
	close(pfd[1]);
	while (got < sizeof(holder)) {
		ssize_t r = read(pfd[0], (char *)&holder + got, sizeof(holder) - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != sizeof(holder) || holder != child) {
		close(pfd[0]);
		kill(child, SIGKILL);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		return zx_fail(err, ZX_ERR_NO_RESOURCES,
		    "the holder process for '%s' did not start", name);
	}
	*pidp = holder;
	*commitfd = pfd[0];
	return ZX_OK;
}

void
holder_commit(int commitfd)
{
	char c = HOLDER_COMMIT;

	/* MSG_NOSIGNAL: a holder already ended must not kill us by SIGPIPE. */
	while (send(commitfd, &c, 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
	close(commitfd);
}

int
holder_open(pid_t pid, uint64_t ino, int flags, int *fdp)
{
	char path[64];
	struct stat st;
	int fd;

	if (pid <= 0)
		return ESTALE;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, HOLDER_FD);
	fd = open(path, flags | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno, status;

		/* A holder this process started (a batch, a shell) stays a
		 * zombie until reaped: reap it, and it has exited. */
		if (waitpid(pid, &status, WNOHANG) == pid)
			return ESRCH;
		if (kill(pid, 0) < 0 && errno == ESRCH)
			return ESRCH;   /* no such process: the holder exited */
		/* alive, but not ours or not holding it: not our holder */
		return e == ENOENT || e == ESRCH || e == EACCES || e == EPERM ?
		    ESTALE : e;
	}
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != ino) {
		close(fd);
		return ESTALE;
	}
	*fdp = fd;
	return 0;
}

bool
holder_alive(pid_t pid, uint64_t ino)
{
	char path[64];
	struct stat st;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, HOLDER_FD);
	return stat(path, &st) == 0 && (uint64_t)st.st_ino == ino;
}

/* Without pidfds (kernels before 5.3, or valgrind): check, signal, then
 * wait for /proc/PID to go. The check and the signal are not atomic; the
 * window is one system call wide, and only holders are ever signalled. */
static void
holder_stop_legacy(pid_t pid, uint64_t ino)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	char path[32];
	int fd;

	if (holder_open(pid, ino, O_RDONLY, &fd) != 0)
		return;
	close(fd);
	if (kill(pid, SIGTERM) < 0)
		return;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, HOLDER_FD);
	for (int i = 0; i < 200 && access(path, F_OK) == 0; i++)
		nanosleep(&tick, NULL);
}

void
holder_stop(pid_t pid, uint64_t ino)
{
	int pidfd, fd;

	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		if (errno == ENOSYS)
			holder_stop_legacy(pid, ino);
		return;
	}
	/* The pidfd names one process for good; signal it only if that
	 * process, still alive, holds our memfd. */
	if (holder_open(pid, ino, O_RDONLY, &fd) == 0) {
		struct pollfd pfd = { .fd = pidfd, .events = POLLIN };

		close(fd);
		/* Wait (a little) for it to be gone, so "reset" means ended. */
		if (syscall(SYS_pidfd_send_signal, pidfd, SIGTERM, NULL, 0) == 0)
			while (poll(&pfd, 1, 2000) < 0 && errno == EINTR)
				;
		/* Ours if we started it in this process: no zombie. */
		waitpid(pid, NULL, WNOHANG);
	}
	close(pidfd);
}
