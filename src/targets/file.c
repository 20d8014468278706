/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An external VMO: a path (a memfd or shm object of a live process through
 * /proc/PID/fd/N, a file in /dev/shm, a regular file). Its size is the
 * file's size; rights are READ, plus WRITE when it is shared memory (memfd,
 * tmpfs) the user may write: a file on a disk filesystem is a read-only
 * VMO, as fdio_get_vmo_exact gives on Fuchsia. The type is checked before
 * the file is opened (a FIFO is never opened), and it is opened read-only;
 * the first write opens it again for writing. */
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
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

static zx_status_t
open_error(const char *path, int e, struct zx_err *err)
{
	if (e == ENOENT || e == ENOTDIR)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "%s: no such file", path);
	if (e == EACCES || e == EPERM)
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s: %s", path,
		    strerror(e));
	if (e == EMFILE || e == ENFILE)
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "%s: %s", path,
		    strerror(e));
	return zx_fail(err, ZX_ERR_BAD_HANDLE, "%s: %s", path, strerror(e));
}

zx_status_t
file_vmo_open(const char *path, struct fd_vmo **out, zx_rights_t *rights,
    struct zx_err *err)
{
	struct fd_vmo *v;
	struct statfs fs;
	struct stat st;
	char self[64];
	int pfd, fd;

	/* O_PATH: the object's type, without opening it. */
	if ((pfd = open(path, O_PATH | O_CLOEXEC)) < 0)
		return open_error(path, errno, err);
	if (fstat(pfd, &st) < 0) {
		int e = errno;

		close(pfd);
		return zx_fail(err, ZX_ERR_IO, "%s: %s", path, strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(pfd);
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "%s is %s, not a VMO", path,
		    kind_of(st.st_mode));
	}
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;

		close(pfd);
		return open_error(path, e, err);
	}
	*rights = ZX_RIGHT_READ;
	/* Shared memory the user may write keeps WRITE; a disk file not. */
	if (fstatfs(fd, &fs) == 0 && (fs.f_type == TMPFS_MAGIC ||
	    fs.f_type == HUGETLBFS_MAGIC) && faccessat(AT_FDCWD, self, W_OK,
	    AT_EACCESS) == 0)
		*rights |= ZX_RIGHT_WRITE;
	close(pfd);
	if (fstat(fd, &st) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0 ||
	    (v = calloc(1, sizeof(*v))) == NULL) {
		close(fd);
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	v->vmo.ops = &fd_vmo_ops;
	v->vmo.kind = ZX_VMO_KIND_FILE;
	v->vmo.koid = (uint64_t)st.st_ino;
	v->vmo.size = (uint64_t)st.st_size;
	v->vmo.content_size = (uint64_t)st.st_size;
	v->vmo.cache_policy = ZX_CACHE_POLICY_CACHED;
	v->fd = fd;
	*out = v;
	return ZX_OK;
}
