/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Symbols through elfutils (SPEC §10): one Dwfl per target, made on the
 * first symbol and kept for a batch or shell. zxmem reports the modules
 * itself (a live process's maps, a core's NT_FILE) so that it opens every
 * file: through /proc/PID/map_files or the process's root, never blocking,
 * regular files only, checked against the mapping's inode, and read with
 * pread (ELF_C_READ) so a file truncated under us is an error, not SIGBUS.
 * Separate debug files come by build-id and .gnu_debuglink; debuginfod is
 * never asked. */
#include <dlfcn.h>
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "targets/fdio.h"
#include "targets/internal.h"
#include "targets/process.h"
#include "targets/targets.h"

/* Demangling: libstdc++'s __cxa_demangle, loaded on the first mangled
 * name, so C-only work never pays for loading it. */
typedef char *(*demangle_fn)(const char *, char *, size_t *, int *);

char *
sym_demangle(const char *name)
{
	static demangle_fn fn;
	static bool tried;
	char buf[512];
	size_t n;
	int st;

	if (strncmp(name, "_Z", 2) != 0)
		return NULL;
	if (!tried) {
		void *h = dlopen("libstdc++.so.6", RTLD_LAZY | RTLD_LOCAL);
		void *f = h != NULL ? dlsym(h, "__cxa_demangle") : NULL;

		tried = true;
		memcpy(&fn, &f, sizeof(fn));
	}
	if (fn == NULL)
		return NULL;
	/* "_Z...@VERSION": demangle the name part. */
	n = strcspn(name, "@");
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return fn(buf, NULL, NULL, &st);
}

/* "ns::f(int) const" -> "ns::f": cut a trailing parameter list. */
static size_t
without_params(const char *dm)
{
	size_t n = strlen(dm);
	int depth = 0;

	while (n > 0 && dm[n - 1] != ')')
		n--;
	if (n == 0)
		return strlen(dm);
	for (size_t i = n; i-- > 0;) {
		if (dm[i] == ')')
			depth++;
		else if (dm[i] == '(' && --depth == 0)
			return i > 0 ? i : strlen(dm);
	}
	return strlen(dm);
}

/* Remove every "[abi:...]" tag in place. */
static void
drop_abi_tags(char *s)
{
	char *p;

	while ((p = strstr(s, "[abi:")) != NULL) {
		char *e = strchr(p, ']');

		if (e == NULL)
			break;
		memmove(p, e + 1, strlen(e + 1) + 1);
	}
}

/* Does the symbol table name sym answer query? Exact (less an @VERSION),
 * or for a mangled name its demangled text, with or without its
 * parameters and ABI tags. */
static bool
name_is(const char *query, const char *sym)
{
	size_t qlen = strlen(query), n = strcspn(sym, "@"), k;
	char *dm;
	bool r;

	if (n == qlen && strncmp(sym, query, qlen) == 0)
		return true;
	if (strncmp(query, "_Z", 2) == 0 || (dm = sym_demangle(sym)) == NULL)
		return false;
	k = without_params(dm);
	r = strcmp(dm, query) == 0 || (k == qlen && strncmp(dm, query, k) == 0);
	if (!r && strstr(dm, "[abi:") != NULL) {
		drop_abi_tags(dm);
		k = without_params(dm);
		r = strcmp(dm, query) == 0 ||
		    (k == qlen && strncmp(dm, query, k) == 0);
	}
	free(dm);
	return r;
}

/* Does OBJECT name this path? The full path, the basename, or the basename
 * up to a ".so" or "." suffix ("libc" for libc.so.6). */
static bool
object_matches(const char *object, const char *path)
{
	const char *base;
	size_t n = strlen(object);

	if (path == NULL)
		return false;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (strcmp(object, path) == 0 || strcmp(object, base) == 0)
		return true;
	return strncmp(object, base, n) == 0 && base[n] == '.';
}

/* The module filter both symbol walks share: not the module already
 * searched (SKIP), and, when OBJECT is given, one whose name or main file
 * it names. A module that passes sets *ANY, so "no such object" can be
 * told apart from "no such symbol". */
static bool
module_wanted(Dwfl_Module *m, const char *name, Dwfl_Module *skip,
    const char *object, bool *any)
{
	const char *mainfile = NULL;

	if (m == skip)
		return false;
	if (object != NULL) {
		dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
		if (!object_matches(object, name) &&
		    !object_matches(object, mainfile))
			return false;
	}
	*any = true;
	return true;
}

/* --- finding files ---------------------------------------------------- */

/* Open a candidate without blocking (a FIFO planted at the path must not
 * hang us) and keep it only if it is a regular file. */
static int
open_regular(int dirfd, const char *path, int extra, char *why, size_t len)
{
	struct stat st;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
	    O_NOCTTY | extra);

	if (fd < 0) {
		snprintf(why, len, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, len, "%s is not a regular file", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* libdwfl's find_elf: the file behind one module we reported. */
static int
find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
    char **file_name, Elf **elfp)
{
	struct sym_file *f = *userdata;
	char path[4200], why[sizeof(f->why)] = "";
	const char *shown = NULL;
	struct stat st;
	Elf *elf;
	int fd = -1;

	(void)mod;
	(void)name;
	(void)base;
	if (f == NULL)
		return -1;
	if (f->refuse != NULL) {
		strlcpy(why, f->refuse, sizeof(why));
		goto fail;
	}
	if (f->dirfd >= 0) {
		/* The mapped inode itself (deleted or not; root only). */
		snprintf(path, sizeof(path), "map_files/%" PRIx64 "-%" PRIx64,
		    f->map_start, f->map_end);
		fd = open_regular(f->dirfd, path, 0, why, sizeof(why));
		if (fd < 0 && f->is_exe)
			fd = open_regular(f->dirfd, "exe", 0, why, sizeof(why));
		if (fd < 0 && !f->deleted) {
			snprintf(path, sizeof(path), "root%s", f->path);
			fd = open_regular(f->dirfd, path, O_NOFOLLOW, why,
			    sizeof(why));
		}
		if (fd < 0 && f->deleted)
			snprintf(why, sizeof(why), "%s was deleted and "
			    "/proc/PID/map_files cannot be opened without "
			    "CAP_SYS_ADMIN", f->path);
	} else {
		shown = f->is_exe && f->exe != NULL ? f->exe : f->path;
		fd = open_regular(AT_FDCWD, shown, 0, why, sizeof(why));
	}
	if (fd < 0)
		goto fail;
	/* The file must be the one mapped, not a later one at that path. */
	if (f->ino != 0 && (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != f->ino ||
	    (uint64_t)st.st_dev != f->dev)) {
		snprintf(why, sizeof(why), "%s is no longer the file that is "
		    "mapped (another inode)", f->path);
		goto fail;
	}
	if ((elf = elf_begin(fd, ELF_C_READ, NULL)) == NULL ||
	    elf_kind(elf) != ELF_K_ELF) {
		snprintf(why, sizeof(why), "%s is not an ELF file",
		    shown ? shown : f->path);
		if (elf != NULL)
			elf_end(elf);
		goto fail;
	}
	*elfp = elf;
	*file_name = strdup(shown ? shown : f->path);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	strlcpy(f->why, why, sizeof(f->why));
	return -1;
}

/* Does the ELF file at fd carry this build-id? */
static bool
build_id_is(int fd, const unsigned char *id, int idlen)
{
	Elf *elf = elf_begin(fd, ELF_C_READ, NULL);
	const void *p;
	ssize_t n = -1;

	if (elf != NULL)
		n = dwelf_elf_gnu_build_id(elf, &p);
	bool ok = n == idlen && memcmp(p, id, (size_t)n) == 0;
	if (elf != NULL)
		elf_end(elf);
	return ok;
}

/* libdwfl's find_debuginfo: /usr/lib/debug/.build-id/xx/yyyy.debug, then
 * the .gnu_debuglink name beside the file, in its .debug/, and under
 * /usr/lib/debug, each checked against the build-id. No debuginfod. */
static int
find_debuginfo(Dwfl_Module *mod, void **userdata, const char *modname,
    Dwarf_Addr base, const char *file_name, const char *debuglink,
    GElf_Word crc, char **debuginfo_file_name)
{
	static const char *const fmts[] = { "%s/%s", "%s/.debug/%s",
	    "/usr/lib/debug%s/%s" };
	const unsigned char *id;
	GElf_Addr idva;
	char dir[4096], cand[8300], why[200];
	int idlen, fd;

	fd = dwfl_build_id_find_debuginfo(mod, userdata, modname, base,
	    file_name, debuglink, crc, debuginfo_file_name);
	if (fd >= 0 || debuglink == NULL || file_name == NULL ||
	    strchr(debuglink, '/') != NULL)
		return fd;
	idlen = dwfl_module_build_id(mod, &id, &idva);
	strlcpy(dir, file_name, sizeof(dir));
	if (strrchr(dir, '/') != NULL)
		*strrchr(dir, '/') = '\0';
	else
		strlcpy(dir, ".", sizeof(dir));
	for (size_t i = 0; i < sizeof(fmts) / sizeof(*fmts); i++) {
		snprintf(cand, sizeof(cand), fmts[i], dir, debuglink);
		if (strcmp(cand, file_name) == 0)
			continue;
		if ((fd = open_regular(AT_FDCWD, cand, 0, why, sizeof(why))) < 0)
			continue;
		/* Without a build-id the name is all we have to go by. */
		if (idlen > 0 && !build_id_is(fd, id, idlen)) {
			close(fd);
			continue;
		}
		*debuginfo_file_name = strdup(cand);
		return fd;
	}
	return -1;
}

static const Dwfl_Callbacks callbacks = {
	.find_elf = find_elf,
	.find_debuginfo = find_debuginfo,
	/* NULL: ":.debug:/usr/lib/debug" */
	.debuginfo_path = NULL,
};

/* --- the session ------------------------------------------------------ */

void
sym_session_free(struct sym_session *s)
{
	if (s == NULL)
		return;
	if (s->dwfl != NULL)
		dwfl_end(s->dwfl);
	for (size_t i = 0; i < s->nfiles; i++) {
		free(s->files[i]->sorted);
		free(s->files[i]->path);
		free(s->files[i]);
	}
	free(s->files);
	free(s);
}

struct sym_session *
sym_session_new(struct zx_err *err)
{
	struct sym_session *s = calloc(1, sizeof(*s));

	if (s == NULL) {
		zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		return NULL;
	}
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    (s->dwfl = dwfl_begin(&callbacks)) == NULL) {
		zx_fail(err, ZX_ERR_INTERNAL, "libdwfl: %s", dwfl_errmsg(-1));
		free(s);
		return NULL;
	}
	return s;
}

/* Report the modules: each file once, [start, end) of its run of
 * mappings. Modules already known keep their loaded tables. */
zx_status_t
sym_report(struct sym_session *s, const struct sym_span *spans, size_t n,
    uint64_t entry, struct zx_err *err)
{
	struct sym_file **nf;

	dwfl_report_begin(s->dwfl);
	s->main = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct sym_span *sp = &spans[i];
		Dwfl_Module *m;
		struct sym_file *f;
		void **slot;

		m = dwfl_report_module(s->dwfl, sp->name, sp->start, sp->end);
		if (m == NULL)
			continue;
		dwfl_module_info(m, &slot, NULL, NULL, NULL, NULL, NULL, NULL);
		if (*slot == NULL) {
			if ((nf = reallocarray(s->files, s->nfiles + 1,
			    sizeof(*nf))) == NULL)
				goto oom;
			s->files = nf;
			if ((f = calloc(1, sizeof(*f))) == NULL)
				goto oom;
			s->files[s->nfiles++] = f;
			f->path = strdup(sp->path);
			if (f->path == NULL)
				goto oom;
			*slot = f;
		}
		f = *slot;
		f->deleted = sp->deleted;
		f->dev = sp->dev;
		f->ino = sp->ino;
		f->map_start = sp->map_start;
		f->map_end = sp->map_end;
		f->dirfd = sp->dirfd;
		f->exe = sp->exe;
		f->is_exe = sp->is_exe;
		f->refuse = sp->refuse;
		if (sp->is_exe || (entry != 0 && entry >= sp->start &&
		    entry < sp->end))
			s->main = m;
	}
	if (dwfl_report_end(s->dwfl, NULL, NULL) != 0)
		return zx_fail(err, ZX_ERR_INTERNAL, "libdwfl: %s", dwfl_errmsg(-1));
	s->stale = false;
	return ZX_OK;
oom:
	dwfl_report_end(s->dwfl, NULL, NULL);
	return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
}

/* The live process's session, its modules from the maps just read. */
static struct sym_session *
proc_session(struct proc *p, struct zx_err *err)
{
	struct sym_span *spans;
	struct stat exe;
	bool have_exe;
	size_t n = 0;
	zx_status_t s;

	if (p->syms == NULL && (p->syms = sym_session_new(err)) == NULL)
		return NULL;
	if (!p->syms->stale && p->syms->reported)
		return p->syms;
	have_exe = fstatat(p->dirfd, "exe", &exe, 0) == 0;
	if ((spans = calloc(p->nmaps ? p->nmaps : 1, sizeof(*spans))) == NULL) {
		zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		return NULL;
	}
	/* One module per run of mappings of one file, plus the anonymous
	 * mapping right after it (its .bss). */
	for (size_t i = 0; i < p->nmaps; i++) {
		const struct proc_map *m = &p->maps[i];
		struct sym_span *sp;
		size_t j = i;
		const char *del;

		if (m->path[0] != '/' || m->inode == 0)
			continue;
		while (j + 1 < p->nmaps && p->maps[j + 1].inode == m->inode &&
		    strcmp(p->maps[j + 1].path, m->path) == 0)
			j++;
		if (j + 1 < p->nmaps && p->maps[j + 1].inode == 0 &&
		    p->maps[j + 1].path[0] == '\0' &&
		    p->maps[j + 1].m.start == p->maps[j].m.end)
			j++;
		sp = &spans[n++];
		sp->name = m->path;
		sp->path = m->path;
		del = strstr(m->path, " (deleted)");
		sp->deleted = del != NULL && del[10] == '\0';
		sp->start = m->m.start;
		sp->end = p->maps[j].m.end;
		sp->map_start = m->m.start;
		sp->map_end = m->m.end;
		sp->dev = makedev(m->dev_major, m->dev_minor);
		sp->ino = m->inode;
		sp->dirfd = p->dirfd;
		sp->is_exe = have_exe && m->inode == (uint64_t)exe.st_ino &&
		    makedev(m->dev_major, m->dev_minor) == exe.st_dev;
		i = j;
	}
	s = sym_report(p->syms, spans, n, 0, err);
	free(spans);
	if (s != ZX_OK)
		return NULL;
	p->syms->reported = true;
	return p->syms;
}

static struct sym_session *
session_of(struct zx_aspace *as, struct zx_err *err)
{
	if (core_is(as))
		return core_session(as, err);
	return proc_session((struct proc *)as, err);
}

Dwfl *
aspace_dwfl(struct zx_aspace *as, struct zx_err *err)
{
	struct sym_session *s = session_of(as, err);

	return s != NULL ? s->dwfl : NULL;
}

/* --- thread pointers and TLS ------------------------------------------ */

/* waitpid for a traced thread, through EINTR. */
static pid_t
wait_tid(pid_t tid, int *status)
{
	pid_t r;

	while ((r = waitpid(tid, status, __WALL)) < 0 && errno == EINTR)
		;
	return r;
}

/* fs_base of a thread of a live process: a brief ptrace stop, released at
 * once (PTRACE_SEIZE + INTERRUPT + GETREGS + DETACH). */
static zx_status_t
live_thread_pointer(struct proc *p, pid_t tid, uint64_t *tp, struct zx_err *err)
{
	struct user_regs_struct regs;
	char task[32];
	struct stat st;
	int status, e;

	snprintf(task, sizeof(task), "task/%d", (int)tid);
	if (fstatat(p->dirfd, task, &st, 0) < 0)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "process %d has no thread "
		    "%d", (int)p->pid, (int)tid);
	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0) {
		char path[64], *text = NULL, *t;
		long tracer = 0;

		e = errno;
		snprintf(path, sizeof(path), "task/%d/status", (int)tid);
		if (fd_slurp_at(p->dirfd, path, &text, NULL) == 0 &&
		    (t = strstr(text, "\nTracerPid:")) != NULL)
			tracer = strtol(t + 11, NULL, 10);
		free(text);
		if (tracer > 0)
			return zx_fail(err, ZX_ERR_BAD_STATE, "thread %d is traced "
			    "by process %ld (a debugger): zxmem cannot stop it to "
			    "read its thread pointer", (int)tid, tracer);
		return zx_fail(err, e == EPERM ? ZX_ERR_ACCESS_DENIED :
		    ZX_ERR_BAD_STATE, "cannot stop thread %d to read its thread "
		    "pointer: ptrace: %s", (int)tid, strerror(e));
	}
	/* The stop comes at once; a signal (a Ctrl-C in the shell, which
	 * cuts calls short) must not leave the thread traced and stopped. */
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0 ||
	    wait_tid(tid, &status) != tid) {
		e = errno;
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		return zx_fail(err, ZX_ERR_BAD_STATE, "cannot stop thread %d: %s",
		    (int)tid, strerror(e));
	}
	e = ptrace(PTRACE_GETREGS, tid, NULL, &regs) < 0 ? errno : 0;
	ptrace(PTRACE_DETACH, tid, NULL, NULL);
	if (e != 0)
		return zx_fail(err, ZX_ERR_BAD_STATE, "cannot read the registers "
		    "of thread %d: %s", (int)tid, strerror(e));
	*tp = regs.fs_base;
	return ZX_OK;
}

static const char *
module_name(Dwfl_Module *m)
{
	return dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Read len bytes of the target at addr (the mapping rules of reads). */
static zx_status_t
target_read(struct zx_aspace *as, uint64_t addr, void *buf, size_t len,
    struct zx_err *err)
{
	struct zx_mapping m;
	size_t got = 0;
	zx_status_t s;

	if ((s = as->ops->find(as, addr, &m, err)) != ZX_OK)
		return s;
	if (addr >= m.backed_end || len > m.backed_end - addr)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "%#" PRIx64 " is past "
		    "the backed part of its mapping", addr);
	if ((s = as->ops->read(as, &m, addr, buf, len, &got, err)) != ZX_OK)
		return s;
	if (got != len)
		return zx_fail(err, ZX_ERR_IO, "short read at %#" PRIx64, addr);
	return ZX_OK;
}

static zx_status_t
read_u64(struct zx_aspace *as, uint64_t addr, uint64_t *v, struct zx_err *err)
{
	return target_read(as, addr, v, sizeof(*v), err);
}

/* One of glibc's layout descriptors for debuggers (libc's .dynsym,
 * GLIBC_PRIVATE): {bits, count, offset}. */
static zx_status_t
glibc_field(struct zx_aspace *as, const char *name, uint32_t *offset,
    struct zx_err *err)
{
	struct sym_hit hit;
	uint32_t d[3];
	zx_status_t s;

	if ((s = aspace_symbol(as, NULL, name, &hit, err)) != ZX_OK ||
	    (s = target_read(as, hit.addr, d, sizeof(d), err)) != ZX_OK)
		return zx_fail(err, s == ZX_ERR_NOT_FOUND ? ZX_ERR_NOT_SUPPORTED : s,
		    "TLS of a shared library needs glibc's %s: %s", name, err->msg);
	if (d[0] != 64)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "glibc's %s describes a "
		    "%u-bit field, not 64", name, d[0]);
	*offset = d[2];
	return ZX_OK;
}

/* A shared library's TLS block in the thread whose pointer is tp: its
 * link_map (from ld.so's _r_debug) says where, by glibc's own layout. */
static zx_status_t
lib_tls_block(struct zx_aspace *as, Dwfl_Module *m, uint64_t tp,
    uint64_t *block, struct zx_err *err)
{
	uint32_t f_offset, f_modid, f_dtvp, f_val;
	struct sym_hit rd;
	uint64_t lm, laddr, tls_offset, modid, dtv;
	GElf_Addr bias;
	zx_status_t s;
	int n = 0;

	if (dwfl_module_getelf(m, &bias) == NULL || bias == 0)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "%s has no load bias to "
		    "find its link_map by", module_name(m));
	if ((s = aspace_symbol(as, NULL, "_r_debug", &rd, err)) != ZX_OK ||
	    (s = read_u64(as, rd.addr + 8, &lm, err)) != ZX_OK)
		return zx_fail(err, s == ZX_ERR_NOT_FOUND ? ZX_ERR_NOT_SUPPORTED : s,
		    "TLS of a shared library needs ld.so's _r_debug: %s", err->msg);
	/* l_addr at 0, l_next at 24 (<link.h>, LP64). */
	for (;; n++) {
		if (lm == 0 || n > 4096)
			return zx_fail(err, ZX_ERR_NOT_FOUND, "%s is not in the "
			    "dynamic linker's list of loaded objects", module_name(m));
		if ((s = read_u64(as, lm, &laddr, err)) != ZX_OK)
			return s;
		if (laddr == bias)
			break;
		if ((s = read_u64(as, lm + 24, &lm, err)) != ZX_OK)
			return s;
	}
	if ((s = glibc_field(as, "_thread_db_link_map_l_tls_offset", &f_offset,
	    err)) != ZX_OK ||
	    (s = read_u64(as, lm + f_offset, &tls_offset, err)) != ZX_OK)
		return s;
	/* Static TLS: at a fixed offset below the thread pointer. */
	if (tls_offset != 0 && tls_offset != UINT64_MAX) {
		*block = tp - tls_offset;
		return ZX_OK;
	}
	/* Dynamic TLS (dlopen'd): the thread's dtv entry for the module. */
	if ((s = glibc_field(as, "_thread_db_link_map_l_tls_modid", &f_modid,
	    err)) != ZX_OK ||
	    (s = glibc_field(as, "_thread_db_pthread_dtvp", &f_dtvp, err)) != ZX_OK ||
	    (s = glibc_field(as, "_thread_db_dtv_t_pointer_val", &f_val, err)) != ZX_OK ||
	    (s = read_u64(as, lm + f_modid, &modid, err)) != ZX_OK ||
	    (s = read_u64(as, tp + f_dtvp, &dtv, err)) != ZX_OK ||
	    (s = read_u64(as, dtv + modid * 16 + f_val, block, err)) != ZX_OK)
		return s;
	if (*block == UINT64_MAX || *block == 0)
		return zx_fail(err, ZX_ERR_BAD_STATE, "the TLS block of %s is not "
		    "allocated in this thread yet", module_name(m));
	return ZX_OK;
}

/* A TLS symbol's address in the chosen thread (SPEC §10): the main
 * executable's block sits just below the thread pointer (x86-64, TLS
 * variant II), rounded up to its alignment; a library's is where glibc's
 * link_map for it says. */
static zx_status_t
tls_address(struct zx_aspace *as, struct sym_session *s, Dwfl_Module *m,
    const char *name, const GElf_Sym *sym, uint64_t *addr, struct zx_err *err)
{
	GElf_Addr bias;
	Elf *elf = dwfl_module_getelf(m, &bias);
	uint64_t memsz = 0, align = 1, tp, block;
	pid_t tid;
	size_t n;
	zx_status_t st;
	bool have = false;

	if (elf == NULL || elf_getphdrnum(elf, &n) != 0)
		return zx_fail(err, ZX_ERR_IO, "cannot read the program headers "
		    "for TLS: %s", dwfl_errmsg(-1));
	for (size_t i = 0; i < n && !have; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_TLS) {
			memsz = ph.p_memsz;
			align = ph.p_align ? ph.p_align : 1;
			have = true;
		}
	}
	if (!have)
		return zx_fail(err, ZX_ERR_IO, "'%s' is thread-local but its "
		    "object has no PT_TLS segment", name);
	tid = as->thread;
	if (core_is(as))
		st = core_thread_pointer(as, tid, &tp, err);
	else
		st = live_thread_pointer((struct proc *)as, tid ? tid :
		    ((struct proc *)as)->pid, &tp, err);
	if (st != ZX_OK)
		return st;
	if (m != s->main) {
		if ((st = lib_tls_block(as, m, tp, &block, err)) != ZX_OK)
			return st;
		*addr = block + sym->st_value;
		return ZX_OK;
	}
	block = (memsz + align - 1) / align * align;
	if (tp < block)
		return zx_fail(err, ZX_ERR_BAD_STATE, "thread pointer %#" PRIx64
		    " is too low for a TLS block of %#" PRIx64 " bytes", tp, block);
	*addr = tp - block + sym->st_value;
	return ZX_OK;
}

/* --- names to addresses ----------------------------------------------- */

/* Search one module; a global or weak definition beats a local one. Two
 * globals at different addresses (C++ overloads named without their
 * parameters) are ambiguous: *other gets the second one's name. */
static bool
search_module(Dwfl_Module *m, const char *symbol, struct sym_hit *hit,
    const char **other)
{
	int n = dwfl_module_getsymtab(m);
	bool have_local = false, have_global = false;

	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr, bias;
		GElf_Word shndx;
		Elf *elf;
		const char *name = dwfl_module_getsym_info(m, i, &sym, &addr,
		    &shndx, &elf, &bias);
		int type;

		if (name == NULL || shndx == SHN_UNDEF)
			continue;
		type = GELF_ST_TYPE(sym.st_info);
		if (type == STT_SECTION || type == STT_FILE)
			continue;
		if (!name_is(symbol, name))
			continue;
		if ((have_local || have_global) &&
		    GELF_ST_BIND(sym.st_info) == STB_LOCAL)
			continue;
		if (have_global) {
			if ((sym.st_shndx == SHN_ABS ? sym.st_value : addr) !=
			    hit->addr && strcmp(name, hit->name) != 0)
				*other = name;
			continue;
		}
		hit->mod = m;
		hit->name = name;
		hit->sym = sym;
		hit->addr = sym.st_shndx == SHN_ABS ? sym.st_value : addr;
		hit->size = sym.st_size;
		hit->type = type;
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL)
			have_global = true;
		else
			have_local = true;
	}
	return have_local || have_global;
}

/* Why a module has no symbols of its own, for NOT_FOUND messages. */
static void
explain_module(Dwfl_Module *m, char *buf, size_t len)
{
	struct sym_file *f;
	void **slot;
	const char *debug = NULL, *path;
	GElf_Addr bias;
	Elf *elf;
	Elf_Scn *scn = NULL;
	bool symtab = false;

	path = dwfl_module_info(m, &slot, NULL, NULL, NULL, NULL, NULL, NULL);
	f = *slot;
	if ((elf = dwfl_module_getelf(m, &bias)) == NULL) {
		snprintf(buf, len, " (%s: %s)", path, f != NULL && f->why[0] ?
		    f->why : dwfl_errmsg(-1));
		return;
	}
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) != NULL && sh.sh_type == SHT_SYMTAB)
			symtab = true;
	}
	dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, &debug);
	if (!symtab && debug == NULL)
		snprintf(buf, len, " (%s is stripped and no debug file was found "
		    "for it: install its debug package, or keep a copy built with "
		    "-g)", path);
}

struct search {
	const char *object;
	const char *symbol;
	struct sym_hit *hit;
	const char *other;       /* a second match: ambiguous */
	Dwfl_Module *skip;
	bool any_object;
	bool found;
};

static int
search_each(Dwfl_Module *m, void **ud, const char *name, Dwarf_Addr start,
    void *arg)
{
	struct search *q = arg;

	(void)ud;
	(void)start;
	if (!module_wanted(m, name, q->skip, q->object, &q->any_object))
		return DWARF_CB_OK;
	if (search_module(m, q->symbol, q->hit, &q->other)) {
		q->found = true;
		return DWARF_CB_ABORT;
	}
	return DWARF_CB_OK;
}

zx_status_t
aspace_symbol(struct zx_aspace *as, const char *object, const char *symbol,
    struct sym_hit *hit, struct zx_err *err)
{
	struct sym_session *s = session_of(as, err);
	struct search q = { object, symbol, hit, NULL, NULL, false, false };
	char why[400] = "";

	if (s == NULL)
		return err->status;
	memset(hit, 0, sizeof(*hit));
	/* The main executable first, then every other object. */
	if (s->main != NULL) {
		search_each(s->main, NULL, module_name(s->main), 0, &q);
		q.skip = s->main;
	}
	if (!q.found)
		dwfl_getmodules(s->dwfl, search_each, &q, 0);
	if (q.found && q.other != NULL) {
		char *a = sym_demangle(hit->name), *b = sym_demangle(q.other);
		zx_status_t st = zx_fail(err, ZX_ERR_INVALID_ARGS, "'%s' is "
		    "ambiguous in %s: it names %s and %s", symbol,
		    module_name(hit->mod), a ? a : hit->name, b ? b : q.other);

		free(a);
		free(b);
		return st;
	}
	if (q.found) {
		hit->object = module_name(hit->mod);
		if (hit->type == STT_TLS)
			return tls_address(as, s, hit->mod, symbol, &hit->sym,
			    &hit->addr, err);
		return ZX_OK;
	}
	if (object != NULL && !q.any_object)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "%s maps no object named "
		    "'%s'", as->label, object);
	if (s->main != NULL && (object == NULL ||
	    object_matches(object, module_name(s->main))))
		explain_module(s->main, why, sizeof(why));
	if (object != NULL)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in %s of "
		    "%s%s", symbol, object, as->label, why);
	return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in any object "
	    "mapped by %s%s", symbol, as->label, why);
}

zx_status_t
sym_resolve(struct zx_aspace *as, const char *object, const char *symbol,
    uint64_t *addr, struct zx_err *err)
{
	struct sym_hit hit;
	zx_status_t s = aspace_symbol(as, object, symbol, &hit, err);

	if (s == ZX_OK)
		*addr = hit.addr;
	return s;
}

/* --- addresses to names, and listings --------------------------------- */

struct sym_sorted {
	uint64_t addr, size;
	int index;               /* in the module's symbol table */
	bool global;
	int underscores;         /* leading '_' of the name */
};

static const char *
kind_of(int type)
{
	switch (type) {
	case STT_FUNC:
	case STT_GNU_IFUNC:
		return "func";
	case STT_OBJECT:
	case STT_COMMON:
		return "object";
	case STT_TLS:
		return "tls";
	default:
		return "other";
	}
}

static int
cmp_sorted(const void *a, const void *b)
{
	const struct sym_sorted *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* At one address: global before local, sized before sizeless, then
	 * the public spelling (printf, not __printf). */
	if (x->global != y->global)
		return x->global ? -1 : 1;
	if ((x->size != 0) != (y->size != 0))
		return x->size ? -1 : 1;
	if (x->underscores != y->underscores)
		return x->underscores < y->underscores ? -1 : 1;
	return x->index - y->index;
}

/* A symbol with an address in the process: defined, in a section that is
 * loaded (not .gnu.warning and kin), not a section or file name. */
static bool
has_address(Elf *elf, GElf_Word shndx, const GElf_Sym *sym, const char *name)
{
	int type = GELF_ST_TYPE(sym->st_info);
	Elf_Scn *scn;
	GElf_Shdr sh;

	if (name == NULL || name[0] == '\0' || shndx == SHN_UNDEF ||
	    shndx == SHN_ABS || type == STT_SECTION || type == STT_FILE)
		return false;
	if (shndx >= SHN_LORESERVE)
		return shndx == SHN_COMMON;
	return (scn = elf_getscn(elf, shndx)) != NULL &&
	    gelf_getshdr(scn, &sh) != NULL && (sh.sh_flags & SHF_ALLOC);
}

/* A module's address-bearing symbols (no TLS, sections, files or
 * undefined ones), sorted once by address. */
static struct sym_file *
sorted_of(Dwfl_Module *m)
{
	struct sym_file *f;
	void **slot;
	int n;

	dwfl_module_info(m, &slot, NULL, NULL, NULL, NULL, NULL, NULL);
	if ((f = *slot) == NULL)
		return NULL;
	if (f->sorted != NULL)
		return f;
	n = dwfl_module_getsymtab(m);
	if ((f->sorted = calloc(n > 0 ? (size_t)n : 1, sizeof(*f->sorted))) == NULL)
		return NULL;
	for (int i = 1; i < n; i++) {
		GElf_Sym sym;
		GElf_Addr addr, bias;
		GElf_Word shndx;
		Elf *elf;
		const char *name = dwfl_module_getsym_info(m, i, &sym, &addr,
		    &shndx, &elf, &bias);
		if (!has_address(elf, shndx, &sym, name) ||
		    GELF_ST_TYPE(sym.st_info) == STT_TLS)
			continue;
		f->sorted[f->nsorted++] = (struct sym_sorted){ addr, sym.st_size, i,
		    GELF_ST_BIND(sym.st_info) != STB_LOCAL,
		    (int)strspn(name, "_") };
	}
	qsort(f->sorted, f->nsorted, sizeof(*f->sorted), cmp_sorted);
	return f;
}

static zx_status_t
fill_symbol(Dwfl_Module *m, int index, uint64_t addr, struct tgt_symbol *out,
    struct zx_err *err)
{
	GElf_Sym sym;
	GElf_Addr a, bias;
	GElf_Word shndx;
	Elf *elf;
	const char *name = dwfl_module_getsym_info(m, index, &sym, &a, &shndx,
	    &elf, &bias);
	char *dm;
	size_t n;

	if (name == NULL)
		return zx_fail(err, ZX_ERR_IO, "symbol table: %s", dwfl_errmsg(-1));
	out->kind = kind_of(GELF_ST_TYPE(sym.st_info));
	out->addr = GELF_ST_TYPE(sym.st_info) == STT_TLS ? sym.st_value :
	    shndx == SHN_ABS ? sym.st_value : a;
	out->size = sym.st_size;
	out->offset = addr >= out->addr ? addr - out->addr : 0;
	out->object = module_name(m);
	if ((dm = sym_demangle(name)) != NULL) {
		out->name = dm;
	} else {
		n = strcspn(name, "@");
		out->name = strndup(name, n);
	}
	if (out->name == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	return ZX_OK;
}

zx_status_t
tgt_symbol_at(struct zx_aspace *as, uint64_t addr, struct tgt_symbol *out,
    struct zx_err *err)
{
	struct sym_session *s = session_of(as, err);
	Dwfl_Module *m;
	Dwarf_Addr lo, hi;
	struct sym_file *f;
	size_t a = 0, b;
	const struct sym_sorted *best = NULL;

	memset(out, 0, sizeof(*out));
	if (s == NULL)
		return err->status;
	m = dwfl_addrmodule(s->dwfl, addr);
	/* In cores libdwfl answers by segment: check the module's bounds. */
	if (m == NULL || dwfl_module_info(m, NULL, &lo, &hi, NULL, NULL, NULL,
	    NULL) == NULL || addr < lo || addr >= hi)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "no object file of %s is "
		    "mapped at %#" PRIx64, as->label, addr);
	if ((f = sorted_of(m)) == NULL || f->nsorted == 0) {
		char why[400] = "";

		explain_module(m, why, sizeof(why));
		return zx_fail(err, ZX_ERR_NOT_FOUND, "%#" PRIx64 " is in %s, "
		    "which has no symbols%s", addr, module_name(m), why);
	}
	/* The last symbol at or below addr. */
	b = f->nsorted;
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (f->sorted[mid].addr <= addr)
			a = mid + 1;
		else
			b = mid;
	}
	/* A sized symbol containing addr (the innermost, of aliases the first
	 * in sort order), else the nearest symbol below addr. */
	for (size_t i = a; i-- > 0;) {
		const struct sym_sorted *e = &f->sorted[i];

		if (best != NULL && e->addr < best->addr)
			break;
		if (e->size != 0 && addr - e->addr < e->size)
			best = e;
	}
	if (best == NULL && a > 0) {
		best = &f->sorted[a - 1];
		while (best > f->sorted && best[-1].addr == best->addr)
			best--;
	}
	if (best == NULL)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol of %s is at or "
		    "below %#" PRIx64, module_name(m), addr);
	return fill_symbol(m, best->index, addr, out, err);
}

void
tgt_symbols_free(struct tgt_symbol *v, size_t n)
{
	for (size_t i = 0; v != NULL && i < n; i++)
		free(v[i].name);
	free(v);
}

struct listing {
	const char *glob, *object;
	Dwfl_Module *skip;
	struct tgt_symbol *v;
	size_t n;
	bool any_object;
	struct zx_err *err;
	zx_status_t status;
};

static bool
glob_matches(const char *glob, const char *raw, const char *shown)
{
	if (glob == NULL)
		return true;
	return fnmatch(glob, shown, 0) == 0 || fnmatch(glob, raw, 0) == 0;
}

static int
list_module(Dwfl_Module *m, void **ud, const char *name, Dwarf_Addr start,
    void *arg)
{
	struct listing *l = arg;
	struct sym_file *f;
	struct tgt_symbol *nv;

	(void)ud;
	(void)start;
	if (!module_wanted(m, name, l->skip, l->object, &l->any_object))
		return DWARF_CB_OK;
	if ((f = sorted_of(m)) == NULL)
		return DWARF_CB_OK;
	/* TLS symbols are not in the sorted array: list them from the table. */
	for (int pass = 0; pass < 2; pass++) {
		int count = pass == 0 ? (int)f->nsorted : dwfl_module_getsymtab(m);

		for (int i = pass == 0 ? 0 : 1; i < count; i++) {
			int index = pass == 0 ? f->sorted[i].index : i;
			GElf_Sym sym;
			GElf_Addr a, bias;
			GElf_Word shndx;
			Elf *elf;
			const char *raw = dwfl_module_getsym_info(m, index, &sym, &a,
			    &shndx, &elf, &bias);
			struct tgt_symbol t;

			if (raw == NULL || (pass == 1 &&
			    (GELF_ST_TYPE(sym.st_info) != STT_TLS ||
			    !has_address(elf, shndx, &sym, raw))))
				continue;
			if ((l->status = fill_symbol(m, index, 0, &t, l->err)) != ZX_OK)
				return DWARF_CB_ABORT;
			t.offset = 0;
			if (!glob_matches(l->glob, raw, t.name)) {
				free(t.name);
				continue;
			}
			if ((nv = reallocarray(l->v, l->n + 1, sizeof(*nv))) == NULL) {
				free(t.name);
				l->status = zx_fail(l->err, ZX_ERR_NO_MEMORY,
				    "out of memory");
				return DWARF_CB_ABORT;
			}
			l->v = nv;
			l->v[l->n++] = t;
		}
	}
	return DWARF_CB_OK;
}

zx_status_t
tgt_symbols(struct zx_aspace *as, const char *glob, const char *object,
    struct tgt_symbol **out, size_t *np, struct zx_err *err)
{
	struct sym_session *s = session_of(as, err);
	struct listing l = { glob, object, NULL, NULL, 0, false, err, ZX_OK };

	*out = NULL;
	*np = 0;
	if (s == NULL)
		return err->status;
	if (s->main != NULL) {
		list_module(s->main, NULL, module_name(s->main), 0, &l);
		l.skip = s->main;
	}
	if (l.status == ZX_OK)
		dwfl_getmodules(s->dwfl, list_module, &l, 0);
	if (l.status != ZX_OK) {
		tgt_symbols_free(l.v, l.n);
		return l.status;
	}
	if (object != NULL && !l.any_object)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "%s maps no object named "
		    "'%s'", as->label, object);
	*out = l.v;
	*np = l.n;
	return ZX_OK;
}
