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

#include "targets/internal.h"
#include "targets/process.h"

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
		e = errno;
		return zx_fail(err, e == EPERM ? ZX_ERR_ACCESS_DENIED :
		    ZX_ERR_BAD_STATE, "cannot stop thread %d to read its thread "
		    "pointer: ptrace: %s%s", (int)tid, strerror(e), e == EPERM ?
		    " (another debugger may be attached)" : "");
	}
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0 ||
	    waitpid(tid, &status, __WALL) != tid) {
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

/* A TLS symbol's address in the chosen thread (SPEC §10): the main
 * executable's block sits just below the thread pointer (x86-64, TLS
 * variant II), rounded up to its alignment. */
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

	if (m != s->main)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is a thread-local "
		    "variable of %s: only the main executable's TLS is supported",
		    name, dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL,
		    NULL));
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
	block = (memsz + align - 1) / align * align;
	if (tp < block)
		return zx_fail(err, ZX_ERR_BAD_STATE, "thread pointer %#" PRIx64
		    " is too low for a TLS block of %#" PRIx64 " bytes", tp, block);
	*addr = tp - block + sym->st_value;
	return ZX_OK;
}

/* --- names to addresses ----------------------------------------------- */

static const char *
module_name(Dwfl_Module *m)
{
	return dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Search one module; a global or weak definition beats a local one. */
static bool
search_module(Dwfl_Module *m, const char *symbol, struct sym_hit *hit)
{
	int n = dwfl_module_getsymtab(m);
	bool have_local = false;

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
		if (have_local && GELF_ST_BIND(sym.st_info) == STB_LOCAL)
			continue;
		hit->mod = m;
		hit->name = name;
		hit->sym = sym;
		hit->addr = sym.st_shndx == SHN_ABS ? sym.st_value : addr;
		hit->size = sym.st_size;
		hit->type = type;
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL)
			return true;
		have_local = true;
	}
	return have_local;
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
	Dwfl_Module *skip;
	bool any_object;
	bool found;
};

static int
search_each(Dwfl_Module *m, void **ud, const char *name, Dwarf_Addr start,
    void *arg)
{
	struct search *q = arg;
	const char *mainfile = NULL;

	(void)ud;
	(void)start;
	if (m == q->skip)
		return DWARF_CB_OK;
	if (q->object != NULL) {
		dwfl_module_info(m, NULL, NULL, NULL, NULL, NULL, &mainfile, NULL);
		if (!object_matches(q->object, name) &&
		    !object_matches(q->object, mainfile))
			return DWARF_CB_OK;
	}
	q->any_object = true;
	if (search_module(m, q->symbol, q->hit)) {
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
	struct search q = { object, symbol, hit, NULL, false, false };
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
