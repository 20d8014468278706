/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "targets/dwarf.h"
#include "targets/elfmod.h"
#include "targets/fdio.h"
#include "targets/internal.h"
#include "targets/process.h"
#include "targets/targets.h"

#define PF_EXITING   0x00000004ul
#define PF_KTHREAD   0x00200000ul
#define AT_SYSINFO_EHDR_ 33
#define CAP_SYS_PTRACE_BIT 19

static const char *protected_names[] = {
	"[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]",
};

static bool
all_digits(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

static void
free_maps(struct proc *p)
{
	for (size_t i = 0; i < p->nmaps; i++)
		free(p->maps[i].path);
	free(p->maps);
	free(p->views);
	p->maps = NULL;
	p->views = NULL;
	p->nmaps = 0;
}

void
process_free(struct zx_aspace *as)
{
	struct proc *p = (struct proc *)as;

	if (p == NULL)
		return;
	if (core_is(as)) {
		core_free(as);
		return;
	}
	free_maps(p);
	sym_session_free(p->syms);
	if (p->memfd >= 0)
		close(p->memfd);
	if (p->dirfd >= 0)
		close(p->dirfd);
	free(p->text);
	free(p);
}

/* stat: "pid (comm) state ppid ... flags(9th) ... exit_signal(38th)".
 * comm may hold ") ". */
static int
read_stat(struct proc *p)
{
	char *text, *rp, *f;
	unsigned long flags = 0;
	int rc, field, ppid = 0;

	if ((rc = fd_slurp_at(p->dirfd, "stat", &text, NULL)) != 0)
		return rc;
	rp = strrchr(text, ')');
	if (rp == NULL || sscanf(rp + 1, " %c %d %*d %*d %*d %*d %lu",
	    &p->state, &ppid, &flags) != 3) {
		free(text);
		return EIO;
	}
	p->ppid = (pid_t)ppid;
	p->flags = flags;
	/* exit_signal is -1 for a thread that is not its group's leader
	 * (kernel/fork.c, CLONE_THREAD), a signal number (0-64) otherwise:
	 * only then is status (costlier) read for the Tgid. */
	p->exit_signal = 0;
	for (f = rp + 1, field = 2; *f != '\0' && field < 38; field++) {
		f += strspn(f, " ");
		if (field + 1 == 38)
			p->exit_signal = atoi(f);
		f += strcspn(f, " ");
	}
	*rp = '\0';
	strlcpy(p->comm, strchr(text, '(') ? strchr(text, '(') + 1 : "?",
	    sizeof(p->comm));
	free(text);
	return 0;
}

/* The thread group leader of the task pinned at dirfd (its Tgid), or 0. */
static pid_t
read_tgid(struct proc *p)
{
	char *text, *t;
	long tgid = 0;

	if (fd_slurp_at(p->dirfd, "status", &text, NULL) != 0)
		return 0;
	if ((t = strstr(text, "\nTgid:")) != NULL && sscanf(t + 6, "%ld", &tgid) != 1)
		tgid = 0;
	free(text);
	return (pid_t)tgid;
}

static bool
is_protected(const struct proc *p, const struct proc_map *m)
{
	for (size_t i = 0; i < sizeof(protected_names) / sizeof(*protected_names); i++)
		if (strcmp(m->path, protected_names[i]) == 0)
			return true;
	return p->vdso != 0 && p->vdso >= m->m.start && p->vdso < m->m.end;
}

static void
read_auxv(struct proc *p)
{
	uint64_t aux[2];
	size_t done;
	int fd = openat(p->dirfd, "auxv", O_RDONLY | O_CLOEXEC);

	p->vdso = 0;
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

	free_maps(p);
	if ((rc = fd_slurp_at(p->dirfd, "maps", &text, NULL)) != 0)
		return rc;
	read_auxv(p);
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
	return rc;
}

static bool
have_cap_sys_ptrace(void)
{
	char *text, *cap;
	unsigned long long eff = 0;
	bool r = false;

	if (fd_slurp_at(AT_FDCWD, "/proc/self/status", &text, NULL) != 0)
		return false;
	if ((cap = strstr(text, "\nCapEff:")) != NULL &&
	    sscanf(cap + 8, " %llx", &eff) == 1)
		r = (eff >> CAP_SYS_PTRACE_BIT) & 1;
	free(text);
	return r;
}

/* Say which ptrace rule refused us (kernel/ptrace.c __ptrace_may_access,
 * Yama), as far as /proc lets us tell. */
static void
explain_denied(struct proc *p, int e, char *buf, size_t len)
{
	unsigned uid[4] = { 0 }, gid[4] = { 0 };
	char *text = NULL, *u, *g, *scope = NULL;
	unsigned me = (unsigned)geteuid();
	bool cap = have_cap_sys_ptrace();
	struct stat st;

	if (fd_slurp_at(p->dirfd, "status", &text, NULL) == 0 &&
	    (u = strstr(text, "\nUid:")) != NULL &&
	    (g = strstr(text, "\nGid:")) != NULL &&
	    sscanf(u + 5, "%u %u %u %u", &uid[0], &uid[1], &uid[2], &uid[3]) == 4 &&
	    sscanf(g + 5, "%u %u %u %u", &gid[0], &gid[1], &gid[2], &gid[3]) == 4) {
		for (int i = 0; i < 3; i++)
			if (uid[i] != me && !cap) {
				snprintf(buf, len, "process %d runs as uid %u, not as "
				    "you (uid %u), and you lack CAP_SYS_PTRACE: the "
				    "kernel's ptrace access check refuses it", (int)p->pid,
				    uid[i], me);
				goto out;
			}
		for (int i = 0; i < 3; i++)
			if (gid[i] != (unsigned)getegid() && !cap) {
				snprintf(buf, len, "process %d runs as gid %u, not as "
				    "your gid %u, and you lack CAP_SYS_PTRACE", (int)p->pid,
				    gid[i], (unsigned)getegid());
				goto out;
			}
	}
	if (fstatat(p->dirfd, "mem", &st, 0) == 0 && st.st_uid == 0 && me != 0 &&
	    !cap) {
		snprintf(buf, len, "process %d is not dumpable (set-user-ID, or "
		    "prctl(PR_SET_DUMPABLE, 0)); its memory needs CAP_SYS_PTRACE",
		    (int)p->pid);
		goto out;
	}
	if (fd_slurp_at(AT_FDCWD, "/proc/sys/kernel/yama/ptrace_scope", &scope,
	    NULL) == 0 && atoi(scope) > 0) {
		int s = atoi(scope);

		snprintf(buf, len, "kernel.yama.ptrace_scope is %d: %s", s,
		    s == 1 ? "only an ancestor of the process (or one it named with "
		    "PR_SET_PTRACER) may read its memory, unless you have "
		    "CAP_SYS_PTRACE" : s == 2 ? "only a process with CAP_SYS_PTRACE "
		    "may read another's memory" : "no process may read another's "
		    "memory");
		goto out;
	}
	snprintf(buf, len, "the kernel refused access to /proc/%d/mem: %s",
	    (int)p->pid, strerror(e));
out:
	free(scope);
	free(text);
}

/* /proc/PID/mem moves 0 bytes, with no error, once the address space it
 * was opened on is gone. If the process is alive it has exec'd since (a
 * batch or a shell keeps the descriptor, and the maps it was handed are
 * the new program's): open it again, on the new address space. */
static bool
reopen_after_exec(struct proc *p)
{
	int fd, mode;

	if (read_stat(p) != 0 || p->state == 'Z' || p->state == 'X' ||
	    (p->flags & PF_EXITING))
		return false;
	if ((mode = fcntl(p->memfd, F_GETFL)) < 0)
		return false;
	fd = openat(p->dirfd, "mem", (mode & O_ACCMODE) | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(p->memfd);
	p->memfd = fd;
	p->execs++;
	return true;
}

/* Whether the descriptor kept from an earlier lookup still reads the
 * process's address space: a byte of its first private readable mapping
 * moves (or fails to, with an error) while that space lives; once the
 * process has exec'd, the old space is gone and the read moves 0 bytes
 * with no error. Then open it again on the new one. Never a shared or a
 * device mapping, where a read may act. */
static void
revalidate_memfd(struct proc *p)
{
	char c;

	for (size_t i = 0; i < p->nmaps; i++) {
		const struct proc_map *pm = &p->maps[i];

		if (pm->m.perms[0] != 'r' || pm->m.perms[3] != 'p' ||
		    pm->m.protected_ || strncmp(pm->path, "/dev/", 5) == 0)
			continue;
		if (pread(p->memfd, &c, 1, (off_t)pm->m.start) == 0)
			(void)reopen_after_exec(p);
		return;
	}
}

static zx_status_t
live_lookup(struct zx_aspace *as, struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	char path[32];
	bool reused;
	int rc, e;

	if (p->dirfd < 0) {
		snprintf(path, sizeof(path), "/proc/%d", (int)p->pid);
		p->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (p->dirfd < 0)
			return zx_fail(err, ZX_ERR_BAD_HANDLE, "no such process %d",
			    (int)p->pid);
	}
	if ((rc = read_stat(p)) != 0)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "process %d has exited",
		    (int)p->pid);
	if (p->flags & PF_KTHREAD)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "PID %d (%s) is a kernel "
		    "thread: it has no user address space", (int)p->pid, p->comm);
	/* /proc/TID answers for any thread; Zircon's thread is no process. */
	if (!p->checked_tgid) {
		pid_t tgid = p->exit_signal == -1 ? read_tgid(p) : p->pid;

		if (tgid > 0 && tgid != p->pid)
			return zx_fail(err, ZX_ERR_WRONG_TYPE, "%d is a thread of "
			    "process %d (%s), not a process: use %d", (int)p->pid,
			    (int)tgid, p->comm, (int)tgid);
		p->checked_tgid = tgid > 0;
	}
	as->rights = 0;
	if (p->state == 'Z' || p->state == 'X' || (p->flags & PF_EXITING)) {
		/* No address space to ask about: state() says BAD_STATE. */
		as->rights = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
		return ZX_OK;
	}
	reused = p->memfd >= 0;
	if (p->memfd < 0) {
		p->memfd = openat(p->dirfd, "mem", O_RDWR | O_CLOEXEC);
		if (p->memfd < 0 && (errno == EACCES || errno == EPERM ||
		    errno == EROFS))
			p->memfd = openat(p->dirfd, "mem", O_RDONLY | O_CLOEXEC);
		if (p->memfd < 0) {
			e = errno;
			if (e == ESRCH || e == ENOENT) {
				/* Gone or going between stat and here. */
				if (read_stat(p) != 0)
					return zx_fail(err, ZX_ERR_BAD_HANDLE,
					    "process %d has exited", (int)p->pid);
				as->rights = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
				p->state = 'X';
				return ZX_OK;
			}
			explain_denied(p, e, as->no_read, sizeof(as->no_read));
			strlcpy(as->no_write, as->no_read, sizeof(as->no_write));
			return ZX_OK;
		}
	}
	as->rights = ZX_RIGHT_READ;
	if ((fcntl(p->memfd, F_GETFL) & O_ACCMODE) == O_RDWR)
		as->rights |= ZX_RIGHT_WRITE;
	else
		snprintf(as->no_write, sizeof(as->no_write),
		    "/proc/%d/mem opens only for reading", (int)p->pid);
	if ((rc = read_maps(p)) != 0 && rc != ESRCH)
		return zx_fail(err, ZX_ERR_IO, "cannot read /proc/%d/maps: %s",
		    (int)p->pid, strerror(rc));
	/* A batch, a shell or a watch looks up again with the descriptor it
	 * kept: the process may have exec'd in between. */
	if (reused)
		revalidate_memfd(p);
	return ZX_OK;
}

static zx_status_t
live_state(struct zx_aspace *as, struct zx_err *err)
{
	struct proc *p = (struct proc *)as;

	if (p->state == 'Z')
		return zx_fail(err, ZX_ERR_BAD_STATE, "process %d (%s) is a zombie: "
		    "it has exited and has no address space", (int)p->pid, p->comm);
	if (p->state == 'X' || (p->flags & PF_EXITING))
		return zx_fail(err, ZX_ERR_BAD_STATE, "process %d (%s) is exiting: "
		    "it has no address space", (int)p->pid, p->comm);
	return ZX_OK;
}

static bool
same_object(const struct stat *st, const struct proc_map *pm)
{
	return st->st_ino == pm->inode && major(st->st_dev) == pm->dev_major &&
	    minor(st->st_dev) == pm->dev_minor;
}

/* An open descriptor of the process on the mapping's object (a memfd that
 * is still open, say): its size, or -1. */
static off_t
size_by_fd(const struct proc *p, const struct proc_map *pm)
{
	char name[300];
	struct dirent *de;
	struct stat st;
	off_t size = -1;
	DIR *d;
	int fd;

	if ((fd = openat(p->dirfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (size < 0 && (de = readdir(d)) != NULL) {
		if (!all_digits(de->d_name))
			continue;
		snprintf(name, sizeof(name), "fd/%s", de->d_name);
		if (fstatat(p->dirfd, name, &st, 0) == 0 && same_object(&st, pm) &&
		    S_ISREG(st.st_mode))
			size = st.st_size;
	}
	closedir(d);
	return size;
}

/* The size of the regular file (or memfd) a mapping shows, or -1 when it
 * cannot be told: through /proc/PID/map_files (the very object; it needs
 * CAP_SYS_ADMIN), else the path in the process's root or a descriptor of
 * the process if either is the same inode. stat only: nothing is opened. */
static off_t
object_size(const struct proc *p, const struct proc_map *pm)
{
	char name[4096];
	struct stat st;

	snprintf(name, sizeof(name), "map_files/%" PRIx64 "-%" PRIx64,
	    pm->m.start, pm->m.end);
	if (fstatat(p->dirfd, name, &st, 0) == 0 && st.st_ino == pm->inode)
		return S_ISREG(st.st_mode) ? st.st_size : -1;
	if (pm->path[0] == '/' && snprintf(name, sizeof(name), "root%s",
	    pm->path) < (int)sizeof(name) && fstatat(p->dirfd, name, &st, 0) == 0 &&
	    same_object(&st, pm))
		return S_ISREG(st.st_mode) ? st.st_size : -1;
	return size_by_fd(p, pm);
}

/* A file or memfd mapping is backed up to the last page of its object
 * (Zircon's TrimLength): Linux faults past it, so the transfer stops there.
 * (A private page copied before the file shrank would still be there; it is
 * trimmed too, as the VMO it came from has no such page.) */
static void
trim_to_object(const struct proc *p, const struct proc_map *pm,
    struct zx_mapping *m)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), end;
	off_t size;

	if (pm->inode == 0 || (size = object_size(p, pm)) < 0)
		return;
	end = ((uint64_t)size + page - 1) & ~(page - 1);
	if (end <= m->offset)
		m->backed_end = m->start;
	else if (end - m->offset < m->end - m->start)
		m->backed_end = m->start + (end - m->offset);
}

static const struct proc_map *
map_of(const struct proc *p, uint64_t vaddr)
{
	for (size_t i = 0; i < p->nmaps; i++)
		if (vaddr >= p->maps[i].m.start && vaddr < p->maps[i].m.end)
			return &p->maps[i];
	return NULL;
}

static zx_status_t
live_find(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out,
    struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	const struct proc_map *pm = map_of(p, vaddr);

	if (pm == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY,
		    "no mapping of process %d contains %#" PRIx64, (int)p->pid, vaddr);
	*out = pm->m;
	trim_to_object(p, pm, out);
	return ZX_OK;
}

/* Whether the maps still list the mapping m (same range), read afresh. */
static bool
still_mapped(struct proc *p, const struct zx_mapping *m)
{
	char *text, *line;
	unsigned long long start, end;
	bool found = false;

	if (fd_slurp_at(p->dirfd, "maps", &text, NULL) != 0)
		return true;     /* cannot tell: say nothing new */
	for (line = text; *line != '\0'; line++) {
		if (sscanf(line, "%llx-%llx", &start, &end) == 2 &&
		    start == m->start && end == m->end) {
			found = true;
			break;
		}
		if ((line = strchr(line, '\n')) == NULL)
			break;
	}
	free(text);
	return found;
}

/* The first mapping that ends after vaddr (process-find walks them). */
static zx_status_t
live_next(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out)
{
	struct proc *p = (struct proc *)as;

	for (size_t i = 0; i < p->nmaps; i++)
		if (p->maps[i].m.end > vaddr) {
			*out = p->maps[i].m;
			trim_to_object(p, &p->maps[i], out);
			return ZX_OK;
		}
	return ZX_ERR_NOT_FOUND;
}

/* The kernel moved nothing: explain as Zircon would. The process may have
 * exited, or the mapping gone, since the maps were read: look again. */
static zx_status_t
io_failure(struct proc *p, const struct zx_mapping *m, uint64_t vaddr, int e,
    bool writing, struct zx_err *err)
{
	const char *what = writing ? "write" : "read";

	if (e == 0 || e == ESRCH || read_stat(p) != 0 || p->state == 'Z' ||
	    p->state == 'X' || (p->flags & PF_EXITING))
		return zx_fail(err, ZX_ERR_BAD_STATE, "process %d exited during "
		    "the %s", (int)p->pid, what);
	if (e == EIO || e == EFAULT) {
		if (!still_mapped(p, m))
			return zx_fail(err, ZX_ERR_NO_MEMORY, "the mapping %#" PRIx64
			    "-%#" PRIx64 " that held %#" PRIx64 " was removed or "
			    "replaced during the %s", m->start, m->end, vaddr, what);
		return zx_fail(err, ZX_ERR_BAD_STATE, "the requested memory is not "
		    "cacheable: the kernel will not transfer %#" PRIx64 " in %s "
		    "(%#" PRIx64 "-%#" PRIx64 ")", vaddr,
		    m->name[0] ? m->name : "an anonymous mapping", m->start, m->end);
	}
	return zx_fail(err, ZX_ERR_IO, "%s /proc/%d/mem at %#" PRIx64 ": %s",
	    writing ? "writing" : "reading", (int)p->pid, vaddr, strerror(e));
}

static zx_status_t
live_read(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    void *buf, size_t len, size_t *actual, struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	int rc = fd_read_at(p->memfd, buf, len, vaddr, actual);

	if (*actual == 0 && rc == 0 && reopen_after_exec(p))
		rc = fd_read_at(p->memfd, buf, len, vaddr, actual);
	/* /proc/PID/mem reads 0 bytes once the address space is gone. */
	if (*actual == 0)
		return io_failure(p, m, vaddr, rc, false, err);
	return ZX_OK;
}

static zx_status_t
live_write(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    const struct zx_bytes *src, size_t len, size_t *actual, struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	int rc;

	/* Linux forces writes only into private mappings (a copy on write);
	 * a shared one the process cannot write would change the object under
	 * everyone who maps it, and the kernel refuses (mm/gup.c). */
	if (m->perms[3] == 's' && m->perms[1] != 'w') {
		*actual = 0;
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%#" PRIx64 " is in a "
		    "shared mapping that process %d cannot write (%s, %s "
		    "%#" PRIx64 "-%#" PRIx64 "): Linux forces writes only into "
		    "private mappings", vaddr, (int)p->pid, m->perms,
		    m->name[0] ? m->name : "anonymous", m->start, m->end);
	}
	rc = fd_write_bytes_at(p->memfd, src, len, vaddr, actual);
	if (*actual == 0 && rc == 0 && reopen_after_exec(p))
		rc = fd_write_bytes_at(p->memfd, src, len, vaddr, actual);
	if (*actual == 0)
		return io_failure(p, m, vaddr, rc, true, err);
	return ZX_OK;
}

static const struct zx_aspace_ops live_ops = {
	.lookup = live_lookup,
	.state = live_state,
	.resolve = sym_resolve,
	.describe = dw_describe,
	.label = dw_label,
	.find = live_find,
	.next = live_next,
	.read = live_read,
	.write = live_write,
};

bool
tgt_process_unexeced(struct zx_aspace *as)
{
	struct proc *p = (struct proc *)as;
	struct stat me, parent;
	char path[48];

	if (as->ops != &live_ops || p->dirfd < 0 || read_stat(p) != 0 ||
	    p->ppid <= 1)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/exe", (int)p->ppid);
	return fstatat(p->dirfd, "exe", &me, 0) == 0 && stat(path, &parent) == 0 &&
	    me.st_dev == parent.st_dev && me.st_ino == parent.st_ino;
}

unsigned
tgt_process_execs(struct zx_aspace *as)
{
	return as->ops == &live_ops ? ((struct proc *)as)->execs : 0;
}

/* A TARGET that is no process: its lookup fails with the stored error. */
static zx_status_t
bad_lookup(struct zx_aspace *as, struct zx_err *err)
{
	struct proc *p = (struct proc *)as;

	return zx_fail(err, p->bad.status, "%s", p->bad.msg);
}

static const struct zx_aspace_ops bad_ops = { .lookup = bad_lookup };

static const char *
file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a directory" : S_ISFIFO(mode) ? "a FIFO" :
	    S_ISSOCK(mode) ? "a socket" : S_ISCHR(mode) ? "a character device" :
	    S_ISBLK(mode) ? "a block device" : "not a regular file";
}

/* 1: an ELF core, pinned in *pinned (an O_PATH descriptor the core opens
 * again, so it is the very file checked); 0: something else, with the
 * reason in p->bad. The type is checked before anything opens the path for
 * reading: opening a FIFO or a device can block or act. */
static int
classify_path(struct proc *p, const char *path, int *pinned)
{
	unsigned char ident[18];
	char self[64];
	size_t done = 0;
	unsigned type;
	struct stat st;
	int pfd, fd, rc = 0;

	if ((pfd = open(path, O_PATH | O_CLOEXEC)) < 0) {
		zx_fail(&p->bad, errno == ENOENT ? ZX_ERR_BAD_HANDLE :
		    errno == EACCES ? ZX_ERR_ACCESS_DENIED : ZX_ERR_IO, "%s: %s",
		    path, strerror(errno));
		return 0;
	}
	if (fstat(pfd, &st) < 0) {
		zx_fail(&p->bad, ZX_ERR_IO, "%s: %s", path, strerror(errno));
		close(pfd);
		return 0;
	}
	if (!S_ISREG(st.st_mode)) {
		zx_fail(&p->bad, ZX_ERR_WRONG_TYPE, "%s is %s, not an ELF core "
		    "file", path, file_kind(st.st_mode));
		close(pfd);
		return 0;
	}
	/* The very inode checked, opened for reading. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", pfd);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		zx_fail(&p->bad, errno == EACCES ? ZX_ERR_ACCESS_DENIED : ZX_ERR_IO,
		    "%s: %s", path, strerror(errno));
		close(pfd);
		return 0;
	}
	if (fd_read_at(fd, ident, sizeof(ident), 0, &done) != 0 ||
	    done < sizeof(ident) || memcmp(ident, "\177ELF", 4) != 0) {
		zx_fail(&p->bad, ZX_ERR_WRONG_TYPE, "%s is not an ELF core file "
		    "(no ELF header)", path);
	} else {
		type = ident[5] == 2 ? (unsigned)ident[16] << 8 | ident[17] :
		    (unsigned)ident[17] << 8 | ident[16];
		if (type == 4) {   /* ET_CORE */
			rc = 1;
			*pinned = pfd;
			pfd = -1;
		}
		else
			zx_fail(&p->bad, ZX_ERR_WRONG_TYPE, "%s is an ELF file but "
			    "not a core file (e_type %u)", path, type);
	}
	close(fd);
	if (pfd >= 0)
		close(pfd);
	return rc;
}

struct zx_aspace *
process_open(const char *text, bool is_vmo_handle, const char *exe)
{
	struct proc *p = calloc(1, sizeof(*p));
	unsigned long long pid;

	if (p == NULL)
		return NULL;
	p->dirfd = -1;
	p->memfd = -1;
	if ((p->text = strdup(text)) == NULL) {
		free(p);
		return NULL;
	}
	p->as.ops = &bad_ops;
	p->kind = PROC_BAD;
	if (is_vmo_handle) {
		zx_fail(&p->bad, ZX_ERR_WRONG_TYPE, "'%s' is a VMO handle, not a "
		    "process or a core file", text);
	} else if (all_digits(text)) {
		errno = 0;
		pid = strtoull(text, NULL, 10);
		if (errno != 0 || pid == 0 || pid > 0x3fffffff) {
			zx_fail(&p->bad, ZX_ERR_BAD_HANDLE, "no such process %s", text);
		} else {
			p->pid = (pid_t)pid;
			p->kind = PROC_LIVE;
			p->as.ops = &live_ops;
			snprintf(p->as.label, sizeof(p->as.label), "process %d",
			    (int)p->pid);
		}
	} else if (access(text, F_OK) == 0 || strchr(text, '/') != NULL) {
		int pinned;

		if (classify_path(p, text, &pinned)) {
			/* A core needs elfutils: without its module, the
			 * lookup step says so. */
			if (!elfmod_ready(&p->bad)) {
				if (pinned >= 0)
					close(pinned);
				return &p->as;
			}
			process_free(&p->as);
			return core_open(text, pinned, exe);
		}
	} else {
		zx_fail(&p->bad, ZX_ERR_BAD_HANDLE, "'%s' is neither a process ID "
		    "nor a core file", text);
	}
	return &p->as;
}

zx_status_t
tgt_maps(struct zx_aspace *as, const struct zx_mapping **out, size_t *np,
    struct zx_err *err)
{
	struct proc *p = (struct proc *)as;
	zx_status_t s;

	if (core_is(as))
		return core_maps(as, out, np, err);
	if ((s = as->ops->lookup(as, err)) != ZX_OK)
		return s;
	if (!(as->rights & ZX_RIGHT_READ))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s", as->no_read);
	if ((s = as->ops->state(as, err)) != ZX_OK)
		return s;
	free(p->views);
	if ((p->views = calloc(p->nmaps ? p->nmaps : 1, sizeof(*p->views))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < p->nmaps; i++)
		p->views[i] = p->maps[i].m;
	*out = p->views;
	*np = p->nmaps;
	return ZX_OK;
}

static int
cmp_proc_entry(const void *a, const void *b)
{
	const struct tgt_proc_entry *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

int
tgt_proc_list(const char *pid, struct tgt_proc_entry **out, size_t *np)
{
	struct tgt_proc_entry *v = NULL, *nv;
	char path[64];
	struct dirent *de;
	size_t n = 0, cap = 0;
	uid_t me = geteuid();
	DIR *d;
	int fd;

	*out = NULL;
	*np = 0;
	if (pid != NULL && (pid[0] < '1' || pid[0] > '9' ||
	    pid[strspn(pid, "0123456789")] != '\0' || strlen(pid) > 10))
		return EINVAL;
	if (pid != NULL)
		snprintf(path, sizeof(path), "/proc/%s/task", pid);
	if ((fd = open(pid ? path : "/proc", O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		return errno;
	if ((d = fdopendir(fd)) == NULL) {
		int e = errno;

		close(fd);
		return e;
	}
	while ((de = readdir(d)) != NULL) {
		char comm[64], *text = NULL, *end;
		struct stat st;
		long id;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		errno = 0;
		id = strtol(de->d_name, &end, 10);
		if (errno != 0 || *end != '\0' || id <= 0 || id > INT32_MAX ||
		    (pid == NULL && id == (long)getpid()))
			continue;
		/* Only what the caller can debug: its own, or all for root. */
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    (me != 0 && st.st_uid != me))
			continue;
		/* Kernel threads (PF_KTHREAD) have no memory to debug. */
		snprintf(comm, sizeof(comm), "%ld/stat", id);
		if (fd_slurp_at(fd, comm, &text, NULL) == 0) {
			const char *p = strrchr(text, ')');
			unsigned long flags = 0;

			if (p != NULL)
				(void)sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %lu",
				    &flags);
			free(text);
			text = NULL;
			if (flags & 0x00200000UL)
				continue;
		}
		snprintf(comm, sizeof(comm), "%ld/comm", id);
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL) {
				free(v);
				closedir(d);
				return ENOMEM;
			}
			v = nv;
		}
		v[n].pid = (int)id;
		v[n].comm[0] = '\0';
		if (fd_slurp_at(fd, comm, &text, NULL) == 0) {
			text[strcspn(text, "\n")] = '\0';
			strlcpy(v[n].comm, text, sizeof(v[n].comm));
			free(text);
		}
		n++;
	}
	closedir(d);
	qsort(v, n, sizeof(*v), cmp_proc_entry);
	*out = v;
	*np = n;
	return 0;
}
