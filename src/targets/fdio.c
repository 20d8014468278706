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

int
fd_write_bytes_at(int fd, const struct zx_bytes *src, size_t len, uint64_t off,
    size_t *done)
{
	uint8_t *scratch = NULL;
	size_t n = 0;
	int rc = 0;

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
fd_write_all(int fd, const void *buf, size_t len)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = write(fd, (const char *)buf + n, len - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return errno;
		if (r == 0)
			return EIO;
		n += (size_t)r;
	}
	return 0;
}

/* The errors that mean "not this way", not "this failed". */
static bool
try_next_way(int e)
{
	return e == EXDEV || e == EINVAL || e == ENOSYS || e == EOPNOTSUPP ||
	    e == EBADF || e == ESPIPE;
}

int
fd_copy_out(int in, uint64_t off, int out, uint64_t len, uint64_t *done)
{
	enum { COPY_RANGE, SENDFILE, BUFFER, ZEROS } how = COPY_RANGE;
	uint8_t *buf = NULL;
	uint64_t n = 0;
	int rc = 0;

	while (n < len) {
		size_t want = len - n > (1u << 30) ? (1u << 30) : (size_t)(len - n);
		ssize_t r;

		if (how == COPY_RANGE) {
			loff_t o = (loff_t)(off + n);

			r = copy_file_range(in, &o, out, NULL, want, 0);
		} else if (how == SENDFILE) {
			off_t o = (off_t)(off + n);

			r = sendfile(out, in, &o, want);
		} else {
			size_t got = 0;

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
				if (got == 0) {
					how = ZEROS;
					memset(buf, 0, SCRATCH);
					continue;
				}
				want = got;
			}
			if ((rc = fd_write_all(out, buf, want)) != 0)
				break;
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
			/* in ended early (it shrank): the rest reads as zeros. */
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
