/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live process's mappings: /proc/PID/maps read whole when a listing,
 * symbols or a search needs them all, or the one mapping that holds an
 * address asked of the kernel (PROCMAP_QUERY); which of them Zircon's
 * rules protect (the vDSO and its data pages). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "targets/fdio.h"
#include "targets/internal.h"
#include "targets/process.h"

#define AT_SYSINFO_EHDR_ 33

/* PROCMAP_QUERY (Linux 6.11, include/uapi/linux/fs.h): the one mapping
 * that holds an address, without reading and parsing every line of maps.
 * Declared here, as Debian's headers predate it. */
struct procmap_query_ {
	uint64_t size, query_flags, query_addr;
	uint64_t vma_start, vma_end, vma_flags, vma_page_size, vma_offset;
	uint64_t inode;
	uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
	uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY_ _IOWR('f', 17, struct procmap_query_)
#define PROCMAP_R 0x01
#define PROCMAP_W 0x02
#define PROCMAP_X 0x04
#define PROCMAP_S 0x08

static const char *protected_names[] = {
	"[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]",
};

void
proc_free_maps(struct proc *p)
{
	for (size_t i = 0; i < p->nmaps; i++)
		free(p->maps[i].path);
	free(p->maps);
	free(p->one.path);
	p->one.path = NULL;
	p->maps_read = false;
	p->vdso_read = false;
	free(p->views);
	p->maps = NULL;
	p->views = NULL;
	p->nmaps = 0;
}

static void read_auxv(struct proc *p);

static bool
is_protected(struct proc *p, const struct proc_map *m)
{
	for (size_t i = 0; i < sizeof(protected_names) / sizeof(*protected_names); i++)
		if (strcmp(m->path, protected_names[i]) == 0)
			return true;
	if (m->inode != 0)
		return false;            /* the vDSO is no file's mapping */
	if (!p->vdso_read)
		read_auxv(p);
	return p->vdso != 0 && p->vdso >= m->m.start && p->vdso < m->m.end;
}

static void
read_auxv(struct proc *p)
{
	uint64_t aux[2];
	size_t done;
	int fd = openat(p->dirfd, "auxv", O_RDONLY | O_CLOEXEC);

	p->vdso = 0;
	p->vdso_read = true;
	if (fd < 0)
		return;
	for (uint64_t off = 0;; off += sizeof(aux)) {
		if (fd_read_at(fd, aux, sizeof(aux), off, &done) != 0 ||
		    done != sizeof(aux) || aux[0] == 0)
			break;
		if (aux[0] == AT_SYSINFO_EHDR_) {
			p->vdso = aux[1];
			break;
		}
	}
	close(fd);
}

static int
read_maps(struct proc *p)
{
	char *text, *line, *next;
	struct proc_map *maps = NULL, *nm;
	size_t n = 0;
	int rc;

	proc_free_maps(p);
	if ((rc = fd_slurp_at(p->dirfd, "maps", &text, NULL)) != 0)
		return rc;
	for (line = text; *line; line = next) {
		struct proc_map m = { 0 };
		unsigned long long start, end, off, ino;
		int pos = 0;

		next = strchr(line, '\n');
		next = next ? (*next = '\0', next + 1) : line + strlen(line);
		if (sscanf(line, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end,
		    m.m.perms, &off, &m.dev_major, &m.dev_minor, &ino, &pos) < 7)
			continue;
		m.m.start = start;
		m.m.end = end;
		m.m.backed_end = end;
		m.m.offset = off;
		m.inode = ino;
		if ((m.path = strdup(line + pos)) == NULL ||
		    (nm = reallocarray(maps, n + 1, sizeof(*maps))) == NULL) {
			free(m.path);
			rc = ENOMEM;
			break;
		}
		maps = nm;
		maps[n++] = m;
	}
	free(text);
	p->maps = maps;
	p->nmaps = n;
	if (p->syms != NULL)
		p->syms->stale = true;
	for (size_t i = 0; i < n; i++) {
		maps[i].m.name = maps[i].path;
		maps[i].m.protected_ = is_protected(p, &maps[i]);
	}
	p->maps_read = rc == 0;
	return rc;
}

int
proc_load_maps(struct proc *p)
{
	int rc;

	if (p->maps_read)
		return 0;
	if ((rc = read_maps(p)) == ESRCH) {
		p->maps_read = true;     /* gone: no mappings */
		return 0;
	}
	return rc;
}

/* The mapping that holds vaddr, asked of the kernel alone (PROCMAP_QUERY):
 * 0 and p->one, or an errno (ENOENT: none holds it, as far as the query
 * sees; the caller reads the whole maps, which also list [vsyscall]). */
int
proc_query_one(struct proc *p, uint64_t vaddr)
{
	char name[4096] = "";     /* defined for valgrind, which knows not
	                           * what the kernel writes through the
	                           * struct's pointer */
	struct procmap_query_ q = {
		.size = sizeof(q), .query_addr = vaddr,
		.vma_name_size = sizeof(name), .vma_name_addr = (uintptr_t)name,
	};
	struct proc_map *m = &p->one;

	if (p->no_query)
		return ENOTTY;
	if (p->mapsfd < 0 &&
	    (p->mapsfd = openat(p->dirfd, "maps", O_RDONLY | O_CLOEXEC)) < 0)
		return errno;
	if (ioctl(p->mapsfd, PROCMAP_QUERY_, &q) < 0) {
		if (errno == ENOTTY || errno == EINVAL)
			p->no_query = true;
		return errno;
	}
	free(m->path);
	memset(m, 0, sizeof(*m));
	if ((m->path = strndup(q.vma_name_size ? name : "",
	    q.vma_name_size ? q.vma_name_size : 1)) == NULL)
		return ENOMEM;
	m->m.start = q.vma_start;
	m->m.end = q.vma_end;
	m->m.backed_end = q.vma_end;
	m->m.offset = q.vma_offset;
	snprintf(m->m.perms, sizeof(m->m.perms), "%c%c%c%c",
	    q.vma_flags & PROCMAP_R ? 'r' : '-', q.vma_flags & PROCMAP_W ? 'w' : '-',
	    q.vma_flags & PROCMAP_X ? 'x' : '-', q.vma_flags & PROCMAP_S ? 's' : 'p');
	m->dev_major = q.dev_major;
	m->dev_minor = q.dev_minor;
	m->inode = q.inode;
	m->m.name = m->path;
	m->m.protected_ = is_protected(p, m);
	return 0;
}
