/* An external VMO: a path (a memfd or shm object of a live process through
 * /proc/PID/fd/N, a file in /dev/shm, a regular file). Its size is the
 * file's size; rights are READ, and WRITE when it opened for writing. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets/internal.h"

static const char *
kind_of(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

zx_status_t
file_vmo_open(const char *path, struct fd_vmo **out, zx_rights_t *rights,
    struct zx_err *err)
{
	const int base = O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	struct fd_vmo *v;
	struct stat st;
	zx_rights_t r = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
	int fd;

	fd = open(path, O_RDWR | base);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS ||
	    errno == ETXTBSY)) {
		r = ZX_RIGHT_READ;
		fd = open(path, O_RDONLY | base);
	}
	if (fd < 0 && errno == EISDIR)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "%s is a directory, not a VMO",
		    path);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "%s: no such file", path);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s: %s", path,
		    strerror(errno));
	if (fd < 0)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		int e = errno;

		close(fd);
		return zx_fail(err, ZX_ERR_IO, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "%s is %s, not a VMO", path,
		    kind_of(st.st_mode));
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
	    (v = calloc(1, sizeof(*v))) == NULL) {
		close(fd);
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	v->vmo.ops = &fd_vmo_ops;
	v->vmo.koid = (uint64_t)st.st_ino;
	v->vmo.size = (uint64_t)st.st_size;
	v->vmo.content_size = (uint64_t)st.st_size;
	v->vmo.cache_policy = ZX_CACHE_POLICY_CACHED;
	v->fd = fd;
	*out = v;
	*rights = r;
	return ZX_OK;
}
