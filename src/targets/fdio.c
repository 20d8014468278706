/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets/fdio.h"

#define SCRATCH (1u << 20)

static bool try_next_way(int);
static int write_all(int fd, const void *buf, size_t len, bool may_stop,
    size_t *done);

static bool (*canceled)(void);

void
fd_set_canceled(bool (*fn)(void))
{
	canceled = fn;
}

/* Give up before the next call (ECANCELED)? */
static bool
stop(void)
{
	return canceled != NULL && canceled();
}

/* pread/pwrite take a signed off_t; /proc/PID/mem accepts "negative"
 * offsets only through lseek, so addresses >= 2^63 take that path. */
static ssize_t
xfer(int fd, void *buf, size_t len, uint64_t off, int writing)
{
	if (off <= (uint64_t)INT64_MAX)
		return writing ? pwrite(fd, buf, len, (off_t)off)
		    : pread(fd, buf, len, (off_t)off);
	errno = 0;
	if (lseek(fd, (off_t)off, SEEK_SET) == (off_t)-1 && errno != 0)
		return -1;
	return writing ? write(fd, buf, len) : read(fd, buf, len);
}

static int
xfer_all(int fd, void *buf, size_t len, uint64_t off, size_t *done, int writing)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = xfer(fd, (char *)buf + n, len - n, off + n, writing);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			*done = n;
			return errno;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*done = n;
	return 0;
}

int
fd_read_at(int fd, void *buf, size_t len, uint64_t off, size_t *done)
{
	return xfer_all(fd, buf, len, off, done, 0);
}

int
fd_write_at(int fd, const void *buf, size_t len, uint64_t off, size_t *done)
{
	return xfer_all(fd, (void *)(uintptr_t)buf, len, off, done, 1);
}

/* Move k bytes of in at *in_off to out at *out_off through the pipe p:
 * the pages are lent to the pipe, then copied once into out. 0, or an
 * errno; ENODATA when in ended. What the pipe held when out refused is
 * written through buf (a target that takes no splice). */
static int
splice_piece(int in, loff_t *in_off, int out, loff_t *out_off, size_t k,
    const int p[2], uint8_t *buf, size_t *moved, bool *refused)
{
	ssize_t r = splice(in, in_off, p[1], NULL, k, 0), w;
	size_t held;

	*moved = 0;
	if (r == 0)
		return ENODATA;
	if (r < 0)
		return errno;
	held = (size_t)r;
	while (held > 0) {
		w = splice(p[0], NULL, out, out_off, held, 0);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			/* Drain the pipe by hand: its bytes are the file's. */
			size_t got = 0, put;
			int e = w < 0 ? errno : EIO;

			*refused = w < 0 && try_next_way(e);
			while (got < held) {
				ssize_t n = read(p[0], buf + got, held - got);

				if (n < 0 && errno == EINTR)
					continue;
				if (n <= 0)
					return EIO;
				got += (size_t)n;
			}
			if (!*refused)
				return e;
			e = fd_write_at(out, buf, held, (uint64_t)*out_off, &put);
			*out_off += (loff_t)put;
			*moved += put;
			return e != 0 ? e : put < held ? EIO : 0;
		}
		held -= (size_t)w;
		*moved += (size_t)w;
	}
	return 0;
}

/* fd_write_bytes_at for a pattern in a file: piece by piece, by the
 * kernel (copy_file_range, else splice through a pipe) where both files
 * allow it, else through a bounded buffer. The file ending early is
 * ENODATA. */
static int
write_file_at(int fd, const struct zx_bytes *src, size_t len, uint64_t off,
    size_t *done)
{
	enum { COPY_RANGE, SPLICE, BUFFER } how = COPY_RANGE;
	uint8_t *buf = NULL;
	int p[2] = { -1, -1 };
	size_t n = 0;
	int rc = 0;

	*done = 0;
	if ((buf = malloc(SCRATCH)) == NULL)
		return ENOMEM;
	/* Offsets past 2^63 (/proc/PID/mem) only through lseek. */
	if (off + len > (uint64_t)INT64_MAX)
		how = BUFFER;
	while (n < len) {
		size_t k = src->len - n % src->len, got, w;
		uint64_t pos = src->file_off + n % src->len;
		loff_t in = (loff_t)pos, at = (loff_t)(off + n);
		bool refused = false;

		if (k > len - n)
			k = len - n;
		if (k > SCRATCH)
			k = SCRATCH;
		if (how == COPY_RANGE) {
			ssize_t r = copy_file_range(src->fd, &in, fd, &at, k, 0);

			if (r > 0) {
				n += (size_t)r;
				continue;
			}
			if (r == 0) {
				rc = ENODATA;
				break;
			}
			if (errno == EINTR)
				continue;
			if (!try_next_way(errno)) {
				rc = errno;
				break;
			}
			how = SPLICE;
			if (pipe2(p, O_CLOEXEC) != 0) {
				how = BUFFER;
				continue;
			}
			(void)fcntl(p[1], F_SETPIPE_SZ, SCRATCH);
		}
		if (how == SPLICE) {
			rc = splice_piece(src->fd, &in, fd, &at, k, p, buf, &w,
			    &refused);
			n += w;
			if (refused)
				how = BUFFER;
			if (rc == EINTR || (rc != 0 && w == 0 && try_next_way(rc))) {
				if (rc != EINTR)
					how = BUFFER;
				rc = 0;
				continue;
			}
			if (rc != 0)
				break;
			continue;
		}
		if ((rc = fd_read_at(src->fd, buf, k, pos, &got)) != 0)
			break;
		if (got < k) {
			rc = ENODATA;
			break;
		}
		rc = fd_write_at(fd, buf, k, off + n, &w);
		n += w;
		if (rc != 0 || w < k)
			break;
	}
	if (p[0] >= 0) {
		close(p[0]);
		close(p[1]);
	}
	free(buf);
	*done = n;
	return rc;
}

int
fd_write_bytes_at(int fd, const struct zx_bytes *src, size_t len, uint64_t off,
    size_t *done)
{
	uint8_t *scratch = NULL;
	size_t n = 0;
	int rc = 0;

	if (src->in_file)
		return write_file_at(fd, src, len, off, done);
	if (src->repeat != 1 && (scratch = malloc(SCRATCH)) == NULL)
		return ENOMEM;
	while (n < len) {
		const uint8_t *p;
		size_t k = zx_bytes_view(src, n, len - n, scratch, SCRATCH, &p);
		size_t w;

		rc = fd_write_at(fd, p, k, off + n, &w);
		n += w;
		if (rc != 0 || w < k)
			break;
	}
	free(scratch);
	*done = n;
	return rc;
}

static int
slurp_fd(int fd, char **out, size_t *lenp);

int
fd_read_full(int fd, void *buf, size_t len, size_t *done)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r;

		if (stop()) {
			*done = n;
			return ECANCELED;
		}
		r = read(fd, (char *)buf + n, len - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*done = n;
			return errno;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	*done = n;
	return 0;
}

void
fd_spool_init(struct fd_spool *sp, size_t mem)
{
	memset(sp, 0, sizeof(*sp));
	sp->fd = -1;
	sp->mem = mem;
}

uint64_t
fd_spool_size(const struct fd_spool *sp)
{
	return sp->flushed + sp->len;
}

/* An unlinked file nobody else can open: O_TMPFILE, else a mkstemp name
 * (O_EXCL: never a planted symlink) removed at once. */
const char *
fd_spool_dir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir != NULL && dir[0] == '/' ? dir : "/tmp";
}

static int
spool_file(void)
{
	const char *dir = fd_spool_dir();
	char path[4096];
	int fd;

	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR &&
	    errno != EINVAL))
		return fd;
	if ((size_t)snprintf(path, sizeof(path), "%s/zxmem-data.XXXXXX", dir) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if ((fd = mkostemp(path, O_CLOEXEC)) >= 0)
		(void)unlink(path);
	return fd;
}

/* The buffer out to the file; the first time past mem, the file made. */
static int
spool_flush(struct fd_spool *sp)
{
	int rc;

	if (sp->fd < 0 && (sp->fd = spool_file()) < 0) {
		sp->file_failed = true;
		return errno;
	}
	/* A regular file: nothing to wait for, nothing to give up. */
	if ((rc = write_all(sp->fd, sp->buf, sp->len, false, NULL)) != 0) {
		sp->file_failed = true;
		return rc;
	}
	sp->flushed += sp->len;
	sp->len = 0;
	return 0;
}

/* Room for at least one more byte in buf: grown while in memory (up to
 * mem, then a SCRATCH buffer in front of the file), flushed when full. */
static int
spool_room(struct fd_spool *sp)
{
	size_t limit = sp->fd < 0 && sp->mem > SCRATCH ? sp->mem : SCRATCH;
	uint8_t *nb;
	size_t nc;

	if (sp->len < sp->cap)
		return 0;
	if (sp->cap >= limit)
		return spool_flush(sp);
	nc = sp->cap ? sp->cap * 2 : 65536;
	if (nc > limit)
		nc = limit;
	if ((nb = realloc(sp->buf, nc)) == NULL)
		return ENOMEM;
	sp->buf = nb;
	sp->cap = nc;
	return 0;
}

int
fd_spool_put(struct fd_spool *sp, const void *b, size_t n)
{
	while (n > 0) {
		size_t k;
		int rc;

		if ((rc = spool_room(sp)) != 0)
			return rc;
		k = sp->cap - sp->len < n ? sp->cap - sp->len : n;
		memcpy(sp->buf + sp->len, b, k);
		sp->len += k;
		b = (const uint8_t *)b + k;
		n -= k;
	}
	return 0;
}

int
fd_spool_read(struct fd_spool *sp, int fd, uint64_t max, bool *more)
{
	*more = false;
	for (;;) {
		uint64_t left = max - fd_spool_size(sp);
		size_t k;
		ssize_t r;
		uint8_t extra;
		int rc;

		if (stop())
			return ECANCELED;
		if (left == 0) {
			/* One byte more says whether there is more. */
			r = read(fd, &extra, 1);
			if (r < 0 && errno == EINTR)
				continue;
			if (r < 0)
				return errno;
			*more = r > 0;
			return 0;
		}
		if ((rc = spool_room(sp)) != 0)
			return rc;
		k = sp->cap - sp->len;
		if (k > left)
			k = (size_t)left;
		r = read(fd, sp->buf + sp->len, k);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (r == 0)
			return 0;
		sp->len += (size_t)r;
	}
}

int
fd_spool_finish(struct fd_spool *sp, struct zx_bytes *src)
{
	int rc;

	memset(src, 0, sizeof(*src));
	src->repeat = 1;
	src->fd = -1;
	if (sp->fd < 0) {
		src->data = sp->buf ? sp->buf : (const uint8_t *)"";
		src->len = sp->len;
		return 0;
	}
	if (sp->len > 0 && (rc = spool_flush(sp)) != 0)
		return rc;
	if (sp->flushed > SIZE_MAX)
		return EFBIG;
	src->data = (const uint8_t *)"";
	src->len = (size_t)sp->flushed;
	src->in_file = true;
	src->fd = sp->fd;
	return 0;
}

void
fd_spool_free(struct fd_spool *sp)
{
	free(sp->buf);
	if (sp->fd >= 0)
		close(sp->fd);
	fd_spool_init(sp, sp->mem);
}

static int
write_all(int fd, const void *buf, size_t len, bool may_stop, size_t *done)
{
	size_t n = 0;
	int rc = 0;

	while (n < len) {
		ssize_t r;

		if (may_stop && stop()) {
			rc = ECANCELED;
			break;
		}
		r = write(fd, (const char *)buf + n, len - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = r < 0 ? errno : EIO;
			break;
		}
		n += (size_t)r;
	}
	if (done != NULL)
		*done = n;
	return rc;
}

int
fd_write_all(int fd, const void *buf, size_t len, size_t *done)
{
	return write_all(fd, buf, len, true, done);
}

/* The errors that mean "not this way", not "this failed". */
static bool
try_next_way(int e)
{
	return e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP ||
	    e == EBADF || e == ESPIPE;
}

static int
copy_out(int in, uint64_t off, int out, uint64_t len, bool zeros,
    uint64_t *done)
{
	enum { COPY_RANGE, SENDFILE, BUFFER, ZEROS } how = COPY_RANGE;
	uint8_t *buf = NULL;
	uint64_t n = 0;
	int rc = 0;

	while (n < len) {
		size_t want = len - n > (1u << 30) ? (1u << 30) : (size_t)(len - n);
		ssize_t r;

		if (stop()) {
			rc = ECANCELED;
			break;
		}
		if (how == COPY_RANGE) {
			loff_t o = (loff_t)(off + n);

			r = copy_file_range(in, &o, out, NULL, want, 0);
		} else if (how == SENDFILE) {
			off_t o = (off_t)(off + n);

			r = sendfile(out, in, &o, want);
		} else {
			size_t got = 0, put;

			if (buf == NULL && (buf = calloc(1, SCRATCH)) == NULL) {
				rc = ENOMEM;
				break;
			}
			if (want > SCRATCH)
				want = SCRATCH;
			if (how == BUFFER &&
			    (rc = fd_read_at(in, buf, want, off + n, &got)) != 0)
				break;
			if (how == BUFFER && got < want) {
				if (got == 0 && !zeros)
					break;
				if (got == 0) {
					how = ZEROS;
					memset(buf, 0, SCRATCH);
					continue;
				}
				want = got;
			}
			if ((rc = fd_write_all(out, buf, want, &put)) != 0) {
				n += put;
				break;
			}
			r = (ssize_t)want;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (how < BUFFER && try_next_way(errno)) {
				how++;
				continue;
			}
			rc = errno;
			break;
		}
		if (r == 0) {
			/* in ended early (it shrank): the rest reads as zeros,
			 * or the copy stops short. */
			if (!zeros)
				break;
			how = BUFFER;
			continue;
		}
		n += (uint64_t)r;
	}
	free(buf);
	*done = n;
	return rc;
}

int
fd_copy_out(int in, uint64_t off, int out, uint64_t len, uint64_t *done)
{
	return copy_out(in, off, out, len, true, done);
}

int
fd_copy_range(int in, uint64_t off, int out, uint64_t len, uint64_t *done)
{
	return copy_out(in, off, out, len, false, done);
}

int
fd_slurp_at(int dirfd, const char *path, char **out, size_t *lenp)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return errno;
	return slurp_fd(fd, out, lenp);
}

int
fd_slurp_reg_at(int dirfd, const char *path, char **out, size_t *lenp)
{
	struct stat st;
	int fd, e;

	/* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
	    O_NOCTTY);
	if (fd < 0)
		return errno == ENXIO ? EINVAL : errno;   /* a socket */
	if (fstat(fd, &st) < 0)
		e = errno;
	else if (!S_ISREG(st.st_mode))
		e = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else
		return slurp_fd(fd, out, lenp);
	close(fd);
	return e;
}

/* Read all of fd and close it. */
static int
slurp_fd(int fd, char **out, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = NULL, *nbuf;
	int rc = 0;

	for (;;) {
		ssize_t r;

		if (buf == NULL || len + 1 >= cap) {
			if (buf != NULL)
				cap *= 2;
			if ((nbuf = realloc(buf, cap)) == NULL) {
				rc = ENOMEM;
				break;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			rc = errno;
			break;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	if (rc != 0) {
		free(buf);
		return rc;
	}
	buf[len] = '\0';
	*out = buf;
	if (lenp != NULL)
		*lenp = len;
	return 0;
}
