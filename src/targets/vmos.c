/* SPDX-License-Identifier: GPL-3.0-or-later */
/* process-vmos: the objects of a live process that zxmem can open as VMOs:
 * its memfds, its /dev/shm objects and the files it maps, each named by a
 * path that works as a HANDLE. Descriptors come first (/proc/PID/fd/N
 * reopens the very object); mappings with no descriptor follow. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets/internal.h"
#include "targets/process.h"
#include "targets/targets.h"

static const char *
kind_of(const char *target)
{
	if (strncmp(target, "/memfd:", 7) == 0)
		return "memfd";
	if (strncmp(target, "/dev/shm/", 9) == 0)
		return "shm";
	if (target[0] == '/')
		return "file";
	return NULL;
}

static int
add(struct tgt_vmo_info **v, size_t *n, const char *handle, uint64_t koid,
    uint64_t size, const char *kind, const char *name)
{
	struct tgt_vmo_info *nv;

	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].koid == koid)
			return 0;
	if ((nv = reallocarray(*v, *n + 1, sizeof(**v))) == NULL)
		return ENOMEM;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	strlcpy(nv[*n].handle, handle, sizeof(nv[*n].handle));
	nv[*n].koid = koid;
	nv[*n].size = size;
	nv[*n].kind = kind;
	strlcpy(nv[*n].name, name, sizeof(nv[*n].name));
	(*n)++;
	return 0;
}

zx_status_t
tgt_vmos(struct zx_aspace *as, struct tgt_vmo_info **out, size_t *np,
    struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	struct tgt_vmo_info *v = NULL;
	const struct zx_mapping *maps;
	struct dirent *de;
	size_t n = 0, nmaps;
	zx_status_t s;
	DIR *d;
	int fd, rc = 0;

	if ((s = tgt_maps(as, &maps, &nmaps, err)) != ZX_OK)
		return s;
	if (core_is(as))
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "%s: a core file has no "
		    "descriptors to list; process-maps shows its mapped files",
		    as->label);
	fd = openat(p->dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		return zx_fail(err, e == EACCES ? ZX_ERR_ACCESS_DENIED : ZX_ERR_IO,
		    "cannot list /proc/%d/fd: %s", (int)p->pid, strerror(e));
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char link[4096], rel[300], handle[400];
		const char *kind;
		struct stat st;
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "fd/%s", de->d_name);
		len = readlinkat(p->dirfd, rel, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if ((kind = kind_of(link)) == NULL ||
		    fstatat(p->dirfd, rel, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		snprintf(handle, sizeof(handle), "/proc/%d/fd/%s", (int)p->pid,
		    de->d_name);
		rc = add(&v, &n, handle, (uint64_t)st.st_ino, (uint64_t)st.st_size,
		    kind, link[0] == '/' && strcmp(kind, "memfd") == 0 ? link + 1 : link);
	}
	closedir(d);
	for (size_t i = 0; rc == 0 && i < p->nmaps; i++) {
		const struct proc_map *m = &p->maps[i];
		const char *kind = kind_of(m->path);
		char handle[160], rel[64];
		struct stat st;

		if (kind == NULL || m->inode == 0)
			continue;
		snprintf(rel, sizeof(rel), "map_files/%llx-%llx",
		    (unsigned long long)m->m.start, (unsigned long long)m->m.end);
		snprintf(handle, sizeof(handle), "/proc/%d/%s", (int)p->pid, rel);
		if (fstatat(p->dirfd, rel, &st, 0) < 0)
			st.st_size = 0;
		if (strcmp(kind, "file") == 0 && strstr(m->path, " (deleted)") == NULL)
			rc = add(&v, &n, m->path, m->inode, (uint64_t)st.st_size, kind,
			    m->path);
		else
			rc = add(&v, &n, handle, m->inode, (uint64_t)st.st_size, kind,
			    m->path[0] == '/' && strcmp(kind, "memfd") == 0 ?
			    m->path + 1 : m->path);
	}
	if (rc != 0) {
		free(v);
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	*out = v;
	*np = n;
	return ZX_OK;
}
