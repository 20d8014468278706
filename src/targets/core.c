/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <elfutils/libdwelf.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <sys/user.h>
#include <unistd.h>

#include "targets/core.h"
#include "targets/dwarf.h"
#include "targets/fdio.h"
#include "targets/internal.h"
#include "targets/process.h"

#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif
#define AT_ENTRY_ 9
#define AT_SYSINFO_EHDR_ 33

void
core_info_free(struct core_info *ci)
{
	for (size_t i = 0; i < ci->nsegs; i++) {
		free(ci->segs[i].name);
		free(ci->segs[i].source);
	}
	free(ci->segs);
	for (size_t i = 0; i < ci->nfiles; i++)
		free(ci->files[i].name);
	free(ci->files);
	free(ci->threads);
	memset(ci, 0, sizeof(*ci));
}

/* Note payloads stay in the file's byte order (libelf converts only the
 * note headers): a word is read as the core's EI_DATA says. */
struct order {
	int wide;     /* ELFCLASS64 */
	int big;      /* ELFDATA2MSB */
};

static uint64_t
word_at(const unsigned char *p, struct order o)
{
	uint64_t v = 0;
	int n = o.wide ? 8 : 4;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[o.big ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

/* The first segment whose start is >= addr (segments are sorted). */
static size_t
first_seg_from(const struct core_info *ci, uint64_t addr)
{
	size_t lo = 0, hi = ci->nsegs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ci->segs[mid].m.start < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
parse_auxv(struct core_info *ci, const unsigned char *d, size_t len,
    struct order ord)
{
	size_t w = ord.wide ? 8 : 4;

	for (size_t o = 0; o + 2 * w <= len; o += 2 * w) {
		uint64_t type = word_at(d + o, ord), val = word_at(d + o + w, ord);

		if (type == 0)
			break;
		if (type == AT_SYSINFO_EHDR_)
			ci->vdso = val;
		else if (type == AT_ENTRY_)
			ci->entry = val;
	}
}

/* NT_FILE: count, page size, count x {start, end, page offset}, then count
 * NUL-terminated names. Every field is checked against the note's size. */
static zx_status_t
parse_nt_file(struct core_info *ci, const unsigned char *d, size_t len,
    struct order ord, struct zx_err *err)
{
	size_t w = ord.wide ? 8 : 4, names;
	uint64_t count, page;
	const char *name;

	if (len < 2 * w)
		return zx_fail(err, ZX_ERR_IO, "malformed core: NT_FILE note of "
		    "%zu bytes is too short", len);
	count = word_at(d, ord);
	page = word_at(d + w, ord);
	if (count > (len - 2 * w) / (3 * w))
		return zx_fail(err, ZX_ERR_IO, "malformed core: NT_FILE claims %"
		    PRIu64 " files but has room for %zu", count,
		    (len - 2 * w) / (3 * w));
	names = 2 * w + (size_t)count * 3 * w;
	name = (const char *)d + names;
	if (ci->files != NULL)
		return zx_fail(err, ZX_ERR_IO, "malformed core: more than one "
		    "NT_FILE note");
	if ((ci->files = calloc(count ? count : 1, sizeof(*ci->files))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	for (uint64_t i = 0; i < count; i++) {
		const unsigned char *e = d + 2 * w + i * 3 * w;
		uint64_t start = word_at(e, ord), end = word_at(e + w, ord);
		uint64_t pofs = word_at(e + 2 * w, ord);
		size_t left = len - (size_t)(name - (const char *)d);
		size_t nl = strnlen(name, left);

		if (nl == left)
			return zx_fail(err, ZX_ERR_IO, "malformed core: NT_FILE name "
			    "%" PRIu64 " is not terminated", i);
		if ((ci->files[ci->nfiles].name = strdup(name)) == NULL)
			return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		ci->files[ci->nfiles].start = start;
		ci->files[ci->nfiles].end = end;
		ci->files[ci->nfiles].offset = page != 0 && pofs <= UINT64_MAX / page ?
		    pofs * page : 0;
		ci->nfiles++;
		for (size_t s = first_seg_from(ci, start);
		    s < ci->nsegs && ci->segs[s].m.start < end; s++) {
			struct core_seg *sg = &ci->segs[s];
			char *copy;

			if (sg->name[0])
				continue;
			if ((copy = strdup(name)) == NULL)
				return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
			free(sg->name);
			sg->name = copy;
			sg->m.name = copy;
			/* The file offset of this segment's first byte. */
			if (page != 0 && pofs <= UINT64_MAX / page)
				sg->file_page_ofs = pofs * page + (sg->m.start - start);
			sg->m.offset = sg->file_page_ofs;
		}
		name += nl + 1;
	}
	return ZX_OK;
}

/* NT_PRSTATUS: the thread's id and registers (x86-64 layout; other
 * machines record the thread without a thread pointer). */
static zx_status_t
parse_prstatus(struct core_info *ci, const unsigned char *d, size_t len,
    struct zx_err *err)
{
	struct core_thread *nt;
	struct elf_prstatus pr;

	if (len < sizeof(pr))
		return ZX_OK;
	memcpy(&pr, d, sizeof(pr));
	if ((nt = reallocarray(ci->threads, ci->nthreads + 1, sizeof(*nt))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	ci->threads = nt;
	nt[ci->nthreads].tid = pr.pr_pid;
#if defined(__x86_64__)
	{
		struct user_regs_struct regs;

		_Static_assert(sizeof(regs) == sizeof(pr.pr_reg), "pr_reg layout");
		memcpy(&regs, &pr.pr_reg, sizeof(regs));
		nt[ci->nthreads].fs_base = regs.fs_base;
	}
#else
	nt[ci->nthreads].fs_base = 0;
#endif
	ci->nthreads++;
	return ZX_OK;
}

static zx_status_t
parse_notes(Elf *elf, const GElf_Phdr *ph, uint64_t file_size,
    struct core_info *ci, struct order ord, struct zx_err *err)
{
	Elf_Data *data;
	size_t off = 0, next, name_off, desc_off;
	GElf_Nhdr nh;

	if (ph->p_offset > file_size || ph->p_filesz > file_size - ph->p_offset)
		return zx_fail(err, ZX_ERR_IO, "truncated core: the note segment "
		    "at file offset %#" PRIx64 " runs past the end of the file",
		    ph->p_offset);
	data = elf_getdata_rawchunk(elf, (int64_t)ph->p_offset, ph->p_filesz,
	    ELF_T_NHDR);
	if (data == NULL)
		return zx_fail(err, ZX_ERR_IO, "malformed core: cannot read notes: %s",
		    elf_errmsg(-1));
	while (off < data->d_size &&
	    (next = gelf_getnote(data, off, &nh, &name_off, &desc_off)) > 0) {
		const unsigned char *desc = (const unsigned char *)data->d_buf + desc_off;
		bool core = nh.n_namesz == 5 &&
		    memcmp((const char *)data->d_buf + name_off, "CORE", 5) == 0;
		zx_status_t s;

		if (desc_off > data->d_size || nh.n_descsz > data->d_size - desc_off)
			return zx_fail(err, ZX_ERR_IO, "malformed core: a note runs past "
			    "its segment");
		if (core && nh.n_type == NT_AUXV)
			parse_auxv(ci, desc, nh.n_descsz, ord);
		else if (core && nh.n_type == NT_FILE &&
		    (s = parse_nt_file(ci, desc, nh.n_descsz, ord, err)) != ZX_OK)
			return s;
		else if (core && nh.n_type == NT_PRSTATUS &&
		    (s = parse_prstatus(ci, desc, nh.n_descsz, err)) != ZX_OK)
			return s;
		off = next;
	}
	return ZX_OK;
}

#define VSYSCALL_ADDR 0xffffffffff600000ull

static void
name_seg(struct core_seg *sg, const char *name)
{
	char *copy = strdup(name);

	if (copy == NULL)
		return;
	free(sg->name);
	sg->name = copy;
	sg->m.name = copy;
}

static void
mark_protected(struct core_info *ci)
{
	size_t v;

	/* x86-64's legacy vsyscall page sits at one fixed address. */
	for (v = 0; v < ci->nsegs; v++)
		if (ci->segs[v].m.start == VSYSCALL_ADDR && !ci->segs[v].name[0]) {
			name_seg(&ci->segs[v], "[vsyscall]");
			ci->segs[v].m.protected_ = true;
		}

	for (v = 0; v < ci->nsegs; v++)
		if (ci->vdso >= ci->segs[v].m.start && ci->vdso < ci->segs[v].m.end)
			break;
	if (ci->vdso == 0 || v == ci->nsegs)
		return;
	ci->segs[v].m.protected_ = true;
	if (!ci->segs[v].name[0])
		name_seg(&ci->segs[v], "[vdso]");
	/* Its data neighbours ([vvar] and kin): adjacent, unnamed, read-only. */
	for (int dir = -1; dir <= 1; dir += 2) {
		size_t i = v;

		while ((dir < 0 ? i > 0 : i + 1 < ci->nsegs)) {
			struct core_seg *a = &ci->segs[i], *b = &ci->segs[i + dir];

			if ((dir < 0 ? b->m.end != a->m.start : b->m.start != a->m.end) ||
			    b->name[0] || strchr(b->m.perms, 'w'))
				break;
			b->m.protected_ = true;
			name_seg(b, "[vvar]");
			i += dir;
		}
	}
}

/* The program header table as the ELF header declares it must be in the
 * file: libelf quietly indexes only the headers that fit, so a table cut
 * short would read as a core with fewer (or no) segments. */
static zx_status_t
check_phdr_table(Elf *elf, const GElf_Ehdr *eh, size_t n, uint64_t file_size,
    struct zx_err *err)
{
	uint64_t want = eh->e_phnum, size = gelf_fsize(elf, ELF_T_PHDR, 1,
	    EV_CURRENT);
	GElf_Shdr sh0;
	Elf_Scn *scn;

	if (eh->e_phnum == PN_XNUM) {
		/* The real count is in section 0's sh_info. */
		if ((scn = elf_getscn(elf, 0)) == NULL ||
		    gelf_getshdr(scn, &sh0) == NULL)
			return zx_fail(err, ZX_ERR_IO, "malformed core: e_phnum is "
			    "PN_XNUM but there is no section 0 to hold the count");
		want = sh0.sh_info;
	}
	if (want == 0)
		return ZX_OK;
	if (eh->e_phentsize != size)
		return zx_fail(err, ZX_ERR_IO, "malformed core: program headers of "
		    "%u bytes, not %" PRIu64, (unsigned)eh->e_phentsize, size);
	if (eh->e_phoff > file_size || want > (file_size - eh->e_phoff) / size ||
	    n != want)
		return zx_fail(err, ZX_ERR_IO, "truncated core: the program header "
		    "table (%" PRIu64 " headers at file offset %#" PRIx64 ") is cut "
		    "short by the end of the file at %#" PRIx64, want, eh->e_phoff,
		    file_size);
	return ZX_OK;
}

/* A byte range of the file and what holds it. */
struct file_range {
	uint64_t start, end;
	int type;                /* PT_LOAD, PT_NOTE, PT_PHDR (the table), or
	                          * PT_NULL (the ELF header) */
	size_t phdr;             /* its program header, for PT_LOAD, PT_NOTE */
};

static int
cmp_range(const void *a, const void *b)
{
	const struct file_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void
range_name(const struct file_range *r, char *buf, size_t len)
{
	if (r->type == PT_LOAD)
		snprintf(buf, len, "segment %zu (%#" PRIx64 "-%#" PRIx64 ")",
		    r->phdr, r->start, r->end);
	else if (r->type == PT_NOTE)
		snprintf(buf, len, "the notes of program header %zu (%#" PRIx64
		    "-%#" PRIx64 ")", r->phdr, r->start, r->end);
	else
		snprintf(buf, len, "%s (%#" PRIx64 "-%#" PRIx64 ")",
		    r->type == PT_PHDR ? "the program header table" :
		    "the ELF header", r->start, r->end);
}

/* No PT_LOAD's file bytes may be those of the ELF header, the program
 * headers, the notes or another segment: a write through it would destroy
 * them. Sorted by start, a range overlaps an earlier one iff it starts
 * before the furthest end so far (of any range, for a PT_LOAD; of the
 * PT_LOADs, for the others). */
static zx_status_t
check_file_ranges(Elf *elf, const GElf_Ehdr *eh, size_t n, uint64_t file_size,
    struct zx_err *err)
{
	const struct file_range *all_max = NULL, *load_max = NULL, *other;
	struct file_range *r;
	size_t k = 0;
	zx_status_t s = ZX_OK;
	char a[96], b[96];

	if ((r = calloc(n + 2, sizeof(*r))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	r[k++] = (struct file_range){ 0, eh->e_ehsize, PT_NULL, 0 };
	if (n > 0)   /* check_phdr_table: inside the file */
		r[k++] = (struct file_range){ eh->e_phoff, eh->e_phoff +
		    (uint64_t)n * eh->e_phentsize, PT_PHDR, 0 };
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
		    (ph.p_type != PT_LOAD && ph.p_type != PT_NOTE) ||
		    ph.p_filesz == 0 || ph.p_offset > file_size ||
		    ph.p_filesz > file_size - ph.p_offset)
			continue;   /* refused elsewhere, or no file bytes */
		r[k++] = (struct file_range){ ph.p_offset, ph.p_offset +
		    ph.p_filesz, (int)ph.p_type, i };
	}
	qsort(r, k, sizeof(*r), cmp_range);
	for (size_t i = 0; i < k; i++) {
		other = r[i].type == PT_LOAD ? all_max : load_max;
		if (other != NULL && r[i].start < other->end) {
			/* Name the PT_LOAD first. */
			range_name(r[i].type == PT_LOAD ? &r[i] : other, a, sizeof(a));
			range_name(r[i].type == PT_LOAD ? other : &r[i], b, sizeof(b));
			s = zx_fail(err, ZX_ERR_IO, "malformed core: the file bytes "
			    "of %s overlap %s", a, b);
			break;
		}
		if (all_max == NULL || r[i].end > all_max->end)
			all_max = &r[i];
		if (r[i].type == PT_LOAD && (load_max == NULL ||
		    r[i].end > load_max->end))
			load_max = &r[i];
	}
	free(r);
	return s;
}

zx_status_t
core_parse(Elf *elf, uint64_t file_size, struct core_info *ci, struct zx_err *err)
{
	GElf_Ehdr eh;
	size_t n;
	struct order ord;
	zx_status_t s = ZX_OK;

	memset(ci, 0, sizeof(*ci));
	if (elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &eh) == NULL)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "not an ELF file");
	if (eh.e_type != ET_CORE)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "an ELF file but not a core "
		    "file (e_type %u)", (unsigned)eh.e_type);
	ord.wide = gelf_getclass(elf) == ELFCLASS64;
	ord.big = eh.e_ident[EI_DATA] == ELFDATA2MSB;
	if (elf_getphdrnum(elf, &n) != 0)
		return zx_fail(err, ZX_ERR_IO, "malformed core: no program headers: "
		    "%s", elf_errmsg(-1));
	if ((s = check_phdr_table(elf, &eh, n, file_size, err)) != ZX_OK)
		return s;
	if ((ci->segs = calloc(n ? n : 1, sizeof(*ci->segs))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < n; i++) {
		struct core_seg *sg = &ci->segs[ci->nsegs];
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) == NULL) {
			s = zx_fail(err, ZX_ERR_IO, "malformed core: program header %zu: "
			    "%s", i, elf_errmsg(-1));
			goto fail;
		}
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_vaddr > UINT64_MAX - ph.p_memsz) {
			s = zx_fail(err, ZX_ERR_IO, "malformed core: segment %zu at %#"
			    PRIx64 " has file size %#" PRIx64 " over memory size %#"
			    PRIx64 " or wraps", i, ph.p_vaddr, ph.p_filesz, ph.p_memsz);
			goto fail;
		}
		if (ph.p_offset > file_size || ph.p_filesz > file_size - ph.p_offset) {
			s = zx_fail(err, ZX_ERR_IO, "truncated core: segment %zu at %#"
			    PRIx64 " needs file bytes up to %#" PRIx64 " but the file "
			    "has %#" PRIx64, i, ph.p_vaddr, ph.p_offset + ph.p_filesz,
			    file_size);
			goto fail;
		}
		if (ph.p_memsz == 0)
			continue;
		if (ci->nsegs > 0 && ph.p_vaddr < ci->segs[ci->nsegs - 1].m.end) {
			s = zx_fail(err, ZX_ERR_IO, "malformed core: segment %zu at %#"
			    PRIx64 " overlaps or precedes the one before", i, ph.p_vaddr);
			goto fail;
		}
		if ((sg->name = strdup("")) == NULL) {
			s = zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
			goto fail;
		}
		sg->m.start = ph.p_vaddr;
		sg->m.end = ph.p_vaddr + ph.p_memsz;
		sg->m.backed_end = ph.p_vaddr + ph.p_filesz;
		sg->core_end = sg->m.backed_end;
		sg->mfile = -1;
		sg->m.name = sg->name;
		snprintf(sg->m.perms, sizeof(sg->m.perms), "%c%c%cp",
		    ph.p_flags & PF_R ? 'r' : '-', ph.p_flags & PF_W ? 'w' : '-',
		    ph.p_flags & PF_X ? 'x' : '-');
		sg->file_offset = ph.p_offset;
		ci->nsegs++;
	}
	if ((s = check_file_ranges(elf, &eh, n, file_size, err)) != ZX_OK)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_NOTE &&
		    (s = parse_notes(elf, &ph, file_size, ci, ord, err)) != ZX_OK)
			goto fail;
	}
	mark_protected(ci);
	return ZX_OK;
fail:
	core_info_free(ci);
	return s;
}

/* The target. */

/* A file NT_FILE names (or --exe, for the main executable), checked once
 * against the core: its build-id as recorded in the core's copy of its ELF
 * header, else its size against the core's mappings of it. */
struct core_mfile {
	const char *path;         /* NT_FILE's name (owned by ci) */
	const char *open_path;    /* what is opened: path, or --exe */
	uint64_t base;            /* start of its offset-0 mapping, 0 if none */
	uint64_t need;            /* it must be longer than this */
	bool is_exe;
	int fd;                   /* -1: not usable */
	uint64_t size;
	char *why;                /* why it is not usable (owned), or NULL */
};

struct core {
	struct zx_aspace as;      /* first: the core sees only this */
	char *path;
	char *exe;                /* --exe, or NULL */
	int pathfd;               /* O_PATH: the file whose type was checked */
	int fd;
	bool parsed;
	struct core_info ci;
	struct zx_mapping *views;
	struct sym_session *syms;  /* elfutils, made on the first symbol */
	struct core_mfile *mfiles; /* the files NT_FILE names, once each */
	size_t nmfiles;
};

static zx_status_t plan_files(struct core *, struct zx_err *);

static zx_status_t
core_lookup(struct zx_aspace *as, struct zx_err *err)
{
	struct core *c = (struct core *)as;
	struct stat st;
	Elf *elf;
	zx_status_t s;

	char self[64];
	const char *name = c->path;

	if (c->parsed)
		return ZX_OK;
	if (c->fd >= 0) {        /* a failed lookup before (batch, shell) */
		close(c->fd);
		c->fd = -1;
	}
	/* The file whose type process_open checked, not whatever the path
	 * names now; O_NONBLOCK in case that is no pinned file after all. */
	if (c->pathfd >= 0) {
		snprintf(self, sizeof(self), "/proc/self/fd/%d", c->pathfd);
		name = self;
	}
	c->fd = open(name, O_RDWR | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	as->rights = ZX_RIGHT_READ | ZX_RIGHT_WRITE;
	if (c->fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		snprintf(as->no_write, sizeof(as->no_write), "core file %s cannot "
		    "be opened for writing: %s", c->path, strerror(errno));
		as->rights = ZX_RIGHT_READ;
		c->fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	if (c->fd < 0)
		return zx_fail(err, errno == ENOENT ? ZX_ERR_BAD_HANDLE :
		    errno == EACCES ? ZX_ERR_ACCESS_DENIED : ZX_ERR_IO, "%s: %s",
		    c->path, strerror(errno));
	if (fstat(c->fd, &st) < 0 || !S_ISREG(st.st_mode))
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "%s is not a regular file",
		    c->path);
	if (elf_version(EV_CURRENT) == EV_NONE)
		return zx_fail(err, ZX_ERR_INTERNAL, "libelf: %s", elf_errmsg(-1));
	if ((elf = elf_begin(c->fd, ELF_C_READ, NULL)) == NULL)
		return zx_fail(err, ZX_ERR_IO, "%s: %s", c->path, elf_errmsg(-1));
	s = core_parse(elf, (uint64_t)st.st_size, &c->ci, err);
	elf_end(elf);
	if (s != ZX_OK) {
		char msg[sizeof(err->msg)];

		strlcpy(msg, err->msg, sizeof(msg));
		return zx_fail(err, s, "%.200s: %.300s", c->path, msg);
	}
	c->parsed = true;
	return plan_files(c, err);
}

static zx_status_t
core_state(struct zx_aspace *as, struct zx_err *err)
{
	(void)as;
	(void)err;
	return ZX_OK;   /* a core's address space never goes away */
}

static zx_status_t
core_find(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out,
    struct zx_err *err)
{
	struct core *c = (struct core *)as;

	for (size_t i = 0; i < c->ci.nsegs; i++)
		if (vaddr >= c->ci.segs[i].m.start && vaddr < c->ci.segs[i].m.end) {
			*out = c->ci.segs[i].m;
			return ZX_OK;
		}
	return zx_fail(err, ZX_ERR_NO_MEMORY, "no segment of core %s contains %#"
	    PRIx64, c->path, vaddr);
}

static zx_status_t
core_next(struct zx_aspace *as, uint64_t vaddr, struct zx_mapping *out)
{
	struct core *c = (struct core *)as;

	for (size_t i = 0; i < c->ci.nsegs; i++)
		if (c->ci.segs[i].m.end > vaddr) {
			*out = c->ci.segs[i].m;
			return ZX_OK;
		}
	return ZX_ERR_NOT_FOUND;
}

static const struct core_seg *
seg_of(const struct core *c, const struct zx_mapping *m)
{
	for (size_t i = 0; i < c->ci.nsegs; i++)
		if (c->ci.segs[i].m.start == m->start)
			return &c->ci.segs[i];
	return NULL;
}

static zx_status_t
core_read(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    void *buf, size_t len, size_t *actual, struct zx_err *err)
{
	struct core *c = (struct core *)as;
	const struct core_seg *sg = seg_of(c, m);
	int rc;

	size_t incore = 0, more = 0;

	if (sg == NULL)
		return zx_fail(err, ZX_ERR_INTERNAL, "segment vanished");
	*actual = 0;
	if (vaddr < sg->core_end) {
		incore = len < sg->core_end - vaddr ? len : sg->core_end - vaddr;
		rc = fd_read_at(c->fd, buf, incore, sg->file_offset +
		    (vaddr - m->start), actual);
		if (rc != 0 || *actual < incore)
			return zx_fail(err, ZX_ERR_IO, "core %s: reading %zu bytes "
			    "at %#" PRIx64 " got %zu: %s", c->path, incore, vaddr,
			    *actual, rc ? strerror(rc) :
			    "the file is shorter than its headers say");
	}
	if (incore == len)
		return ZX_OK;
	/* The rest is not in the core: from the file it maps (plan_files
	 * checked that it still matches and set backed_end). */
	if (sg->mfile < 0 || c->mfiles[sg->mfile].fd < 0)
		return zx_fail(err, ZX_ERR_INTERNAL, "no file for %#" PRIx64, vaddr);
	rc = fd_read_at(c->mfiles[sg->mfile].fd, (uint8_t *)buf + incore,
	    len - incore, sg->file_page_ofs + (vaddr + incore - m->start), &more);
	*actual += more;
	if (*actual == 0)
		return zx_fail(err, ZX_ERR_IO, "reading %s for %#" PRIx64 ": %s",
		    c->mfiles[sg->mfile].path, vaddr, rc ? strerror(rc) :
		    "the file is shorter than when the core was opened");
	return ZX_OK;
}

/* -o: the same bytes as core_read, copied by the kernel from the core
 * file and the file it maps. */
static zx_status_t
core_copy_out(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    uint64_t len, int out, uint64_t *done, struct zx_err *err)
{
	struct core *c = (struct core *)as;
	const struct core_seg *sg = seg_of(c, m);
	uint64_t incore = 0, more = 0;
	int rc;

	*done = 0;
	if (sg == NULL)
		return zx_fail(err, ZX_ERR_INTERNAL, "segment vanished");
	if (vaddr < sg->core_end) {
		incore = len < sg->core_end - vaddr ? len : sg->core_end - vaddr;
		rc = fd_copy_range(c->fd, sg->file_offset + (vaddr - m->start), out,
		    incore, done);
		if (rc == ECANCELED)
			return zx_fail(err, ZX_ERR_CANCELED, "interrupted after %"
			    PRIu64 " of %" PRIu64 " bytes", *done, len);
		if (rc != 0 || *done < incore)
			return zx_fail(err, ZX_ERR_IO, "core %s: copying %" PRIu64
			    " bytes at %#" PRIx64 " stopped after %" PRIu64 ": %s",
			    c->path, incore, vaddr, *done, rc ? strerror(rc) :
			    "the file is shorter than its headers say");
	}
	if (incore == len)
		return ZX_OK;
	if (sg->mfile < 0 || c->mfiles[sg->mfile].fd < 0)
		return zx_fail(err, ZX_ERR_INTERNAL, "no file for %#" PRIx64, vaddr);
	rc = fd_copy_range(c->mfiles[sg->mfile].fd, sg->file_page_ofs +
	    (vaddr + incore - m->start), out, len - incore, &more);
	*done += more;
	if (rc == ECANCELED)
		return zx_fail(err, ZX_ERR_CANCELED, "interrupted after %" PRIu64
		    " of %" PRIu64 " bytes", *done, len);
	if (*done == 0)
		return zx_fail(err, ZX_ERR_IO, "reading %s for %#" PRIx64 ": %s",
		    c->mfiles[sg->mfile].path, vaddr, rc ? strerror(rc) :
		    "the file is shorter than when the core was opened");
	return ZX_OK;
}

static zx_status_t
core_write(struct zx_aspace *as, const struct zx_mapping *m, uint64_t vaddr,
    const struct zx_bytes *src, size_t len, size_t *actual, struct zx_err *err)
{
	struct core *c = (struct core *)as;
	const struct core_seg *sg = seg_of(c, m);
	int rc;

	if (sg == NULL)
		return zx_fail(err, ZX_ERR_INTERNAL, "segment vanished");
	/* Bytes read from a mapped file have no place in the core file. */
	if (vaddr + len > sg->core_end)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "%#" PRIx64 " is not in "
		    "core %s: its bytes%s are read from %s, which the core does "
		    "not contain, and a core cannot grow in place", vaddr <
		    sg->core_end ? sg->core_end : vaddr, c->path, vaddr <
		    sg->core_end ? " from there on" : "",
		    sg->mfile >= 0 ? c->mfiles[sg->mfile].path : "the mapped file");
	rc = fd_write_bytes_at(c->fd, src, len, sg->file_offset + (vaddr - m->start),
	    actual);
	if (rc != 0)
		return zx_fail(err, ZX_ERR_IO, "core %s: writing %zu bytes at %#"
		    PRIx64 " stopped after %zu: %s", c->path, len, vaddr, *actual,
		    strerror(rc));
	return ZX_OK;
}

/* Symbols come from the files NT_FILE names, one module per file over its
 * entries (--exe replaces the main executable's). The main executable is
 * the file mapped over AT_ENTRY: gcore keeps no text segment, so NT_FILE,
 * not the PT_LOADs, says which that is. */
struct sym_session *
core_session(struct zx_aspace *as, struct zx_err *err)
{
	struct core *c = (struct core *)as;
	const struct core_info *ci = &c->ci;
	struct sym_span *spans;
	size_t n = 0;
	zx_status_t s;

	if (c->syms != NULL)
		return c->syms;
	if ((spans = calloc(ci->nfiles ? ci->nfiles : 1, sizeof(*spans))) == NULL) {
		zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < ci->nfiles; i++) {
		const struct core_file *f = &ci->files[i];
		struct sym_span *sp;
		size_t j = i;
		bool seen = false;

		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(ci->files[k].name, f->name) == 0;
		if (seen || f->name[0] != '/' || f->offset != 0)
			continue;
		while (j + 1 < ci->nfiles &&
		    strcmp(ci->files[j + 1].name, f->name) == 0)
			j++;
		sp = &spans[n++];
		sp->name = sp->path = f->name;
		sp->start = sp->map_start = f->start;
		sp->end = ci->files[j].end;
		sp->map_end = f->end;
		sp->dirfd = -1;
		sp->exe = c->exe;
		/* A file that no longer matches the core gives no symbols. */
		for (size_t k = 0; k < c->nmfiles; k++)
			if (strcmp(c->mfiles[k].path, f->name) == 0 &&
			    c->mfiles[k].fd < 0)
				sp->refuse = c->mfiles[k].why;
		sp->is_exe = ci->entry >= sp->start && ci->entry < sp->end;
		/* The .bss right after the file's last mapping. */
		for (size_t g = 0; g < ci->nsegs; g++)
			if (ci->segs[g].m.start == sp->end && !ci->segs[g].name[0]) {
				sp->end = ci->segs[g].m.end;
				break;
			}
	}
	if ((c->syms = sym_session_new(err)) == NULL) {
		free(spans);
		return NULL;
	}
	s = sym_report(c->syms, spans, n, ci->entry, err);
	free(spans);
	if (s != ZX_OK) {
		sym_session_free(c->syms);
		c->syms = NULL;
		return NULL;
	}
	c->syms->reported = true;
	return c->syms;
}

zx_status_t
core_thread_pointer(struct zx_aspace *as, pid_t tid, uint64_t *tp,
    struct zx_err *err)
{
	struct core *c = (struct core *)as;

	for (size_t i = 0; i < c->ci.nthreads; i++)
		if (tid == 0 || c->ci.threads[i].tid == tid) {
			*tp = c->ci.threads[i].fs_base;
			return ZX_OK;
		}
	if (tid == 0)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "core %s records no thread "
		    "(no NT_PRSTATUS note)", c->path);
	return zx_fail(err, ZX_ERR_NOT_FOUND, "core %s has no thread %d",
	    c->path, (int)tid);
}

static const struct zx_aspace_ops core_ops = {
	.lookup = core_lookup,
	.state = core_state,
	.resolve = sym_resolve,
	.describe = dw_describe,
	.label = dw_label,
	.find = core_find,
	.next = core_next,
	.read = core_read,
	.copy_out = core_copy_out,
	.write = core_write,
};

struct zx_aspace *
core_open(const char *path, int pathfd, const char *exe)
{
	struct core *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		if (pathfd >= 0)
			close(pathfd);
		return NULL;
	}
	c->fd = -1;
	c->pathfd = pathfd;
	if ((c->path = strdup(path)) == NULL ||
	    (exe != NULL && (c->exe = strdup(exe)) == NULL)) {
		if (pathfd >= 0)
			close(pathfd);
		free(c->path);
		free(c);
		return NULL;
	}
	c->as.ops = &core_ops;
	snprintf(c->as.label, sizeof(c->as.label), "core %s", path);
	return &c->as;
}

bool
core_is(const struct zx_aspace *as)
{
	return as->ops == &core_ops;
}

void
core_free(struct zx_aspace *as)
{
	struct core *c = (struct core *)as;

	sym_session_free(c->syms);
	for (size_t i = 0; i < c->nmfiles; i++) {
		if (c->mfiles[i].fd >= 0)
			close(c->mfiles[i].fd);
		free(c->mfiles[i].why);
	}
	free(c->mfiles);
	core_info_free(&c->ci);
	if (c->fd >= 0)
		close(c->fd);
	if (c->pathfd >= 0)
		close(c->pathfd);
	free(c->views);
	free(c->exe);
	free(c->path);
	free(c);
}

zx_status_t
core_maps(struct zx_aspace *as, const struct zx_mapping **out, size_t *np,
    struct zx_err *err)
{
	struct core *c = (struct core *)as;
	zx_status_t s;

	if ((s = core_lookup(as, err)) != ZX_OK)
		return s;
	free(c->views);
	if ((c->views = calloc(c->ci.nsegs ? c->ci.nsegs : 1,
	    sizeof(*c->views))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < c->ci.nsegs; i++)
		c->views[i] = c->ci.segs[i].m;
	*out = c->views;
	*np = c->ci.nsegs;
	return ZX_OK;
}

/* --- bytes the core does not contain (SPEC §5) ------------------------- */

/* Read bytes the core itself holds at addr (no file fallback). */
static bool
core_bytes(struct core *c, uint64_t addr, void *buf, size_t len)
{
	size_t done;

	for (size_t i = 0; i < c->ci.nsegs; i++) {
		const struct core_seg *sg = &c->ci.segs[i];

		if (addr < sg->m.start || addr >= sg->core_end ||
		    len > sg->core_end - addr)
			continue;
		return fd_read_at(c->fd, buf, len, sg->file_offset +
		    (addr - sg->m.start), &done) == 0 && done == len;
	}
	return false;
}

/* The GNU build-id in the core's copy of an ELF header page at base. */
static int
core_build_id(struct core *c, uint64_t base, unsigned char *id, size_t cap)
{
	static const size_t page = 4096;
	unsigned char *buf = malloc(page);
	Elf *elf;
	size_t n;
	int len = -1;

	if (buf == NULL || !core_bytes(c, base, buf, page) ||
	    (elf = elf_memory((char *)buf, page)) == NULL) {
		free(buf);
		return -1;
	}
	if (elf_kind(elf) == ELF_K_ELF && elf_getphdrnum(elf, &n) == 0)
		for (size_t i = 0; i < n && len < 0; i++) {
			GElf_Phdr ph;
			GElf_Nhdr nh;
			Elf_Data *d;
			size_t off = 0, next, name_off, desc_off;

			if (gelf_getphdr(elf, (int)i, &ph) == NULL ||
			    ph.p_type != PT_NOTE || ph.p_offset > page ||
			    ph.p_filesz > page - ph.p_offset)
				continue;
			d = elf_getdata_rawchunk(elf, (int64_t)ph.p_offset,
			    ph.p_filesz, ELF_T_NHDR);
			while (d != NULL && off < d->d_size &&
			    (next = gelf_getnote(d, off, &nh, &name_off,
			    &desc_off)) > 0) {
				if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 &&
				    memcmp((char *)d->d_buf + name_off, "GNU", 4) == 0 &&
				    nh.n_descsz <= cap) {
					memcpy(id, (char *)d->d_buf + desc_off,
					    nh.n_descsz);
					len = (int)nh.n_descsz;
					break;
				}
				off = next;
			}
		}
	elf_end(elf);
	free(buf);
	return len;
}

static void
mfile_refuse(struct core_mfile *f, const char *fmt, const char *arg)
{
	char buf[400];

	snprintf(buf, sizeof(buf), fmt, f->open_path, arg);
	free(f->why);
	f->why = strdup(buf);
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}

/* Open one mapped file and check it still matches the core. */
static void
mfile_check(struct core *c, struct core_mfile *f)
{
	unsigned char want[64];
	const void *have;
	struct stat st;
	char num[64];
	int wlen = f->base ? core_build_id(c, f->base, want, sizeof(want)) : -1;
	ssize_t hlen = -1;
	Elf *elf;

	f->fd = open(f->open_path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (f->fd < 0) {
		mfile_refuse(f, "%s cannot be opened: %s", strerror(errno));
		return;
	}
	if (fstat(f->fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		mfile_refuse(f, "%s is not a regular file%s", "");
		return;
	}
	f->size = (uint64_t)st.st_size;
	if ((elf = elf_begin(f->fd, ELF_C_READ, NULL)) != NULL) {
		hlen = dwelf_elf_gnu_build_id(elf, &have);
		if (wlen > 0 && hlen == wlen && memcmp(have, want, (size_t)wlen) == 0)
			wlen = 0;   /* matched */
		elf_end(elf);
	}
	if (wlen > 0) {
		mfile_refuse(f, "%s has another build-id than the core records "
		    "for it%s (it was rebuilt or replaced)", "");
		return;
	}
	/* No build-id to go by: its size must cover the core's mappings. */
	if (wlen < 0 && f->size <= f->need) {
		snprintf(num, sizeof(num), "%" PRIu64 " bytes, but the core maps "
		    "%" PRIu64, f->size, f->need + 1);
		mfile_refuse(f, "%s is shorter than when the core was made (%s)",
		    num);
	}
}

/* Does a segment of the first n (sorted) overlap [start, end)? */
static bool
covered(const struct core_seg *segs, size_t n, uint64_t start, uint64_t end)
{
	for (size_t i = 0; i < n; i++)
		if (segs[i].m.start < end && segs[i].m.end > start)
			return true;
	return false;
}

static int
cmp_seg(const void *a, const void *b)
{
	const struct core_seg *x = a, *y = b;

	return x->m.start < y->m.start ? -1 : x->m.start > y->m.start;
}

static zx_status_t
seg_source(struct core *c, struct core_seg *sg)
{
	const struct core_mfile *f = sg->mfile >= 0 ? &c->mfiles[sg->mfile] : NULL;
	char buf[512];

	sg->m.backed_end = sg->core_end;
	if (sg->core_end >= sg->m.end)
		snprintf(buf, sizeof(buf), "from core");
	else if (f == NULL)
		snprintf(buf, sizeof(buf), "%s", sg->core_end > sg->m.start ?
		    "from core, rest not dumped" : "not dumped");
	else if (f->fd < 0)
		snprintf(buf, sizeof(buf), "%smissing (%s)", sg->core_end >
		    sg->m.start ? "from core, rest " : "", f->why ? f->why : "?");
	else {
		uint64_t end = sg->m.end;

		/* Trimmed at the file's end (the last page of a mapping). */
		if (sg->file_page_ofs >= f->size)
			end = sg->m.start;
		else if (f->size - sg->file_page_ofs < end - sg->m.start)
			end = sg->m.start + (f->size - sg->file_page_ofs);
		if (end > sg->core_end)
			sg->m.backed_end = end;
		snprintf(buf, sizeof(buf), "%s", end <= sg->core_end ?
		    "from core" : sg->core_end > sg->m.start ?
		    "from core+file" : "from file");
	}
	free(sg->source);
	if ((sg->source = strdup(buf)) == NULL)
		return ZX_ERR_NO_MEMORY;
	sg->m.source = sg->source;
	return ZX_OK;
}

/* Which file each segment maps, segments for NT_FILE mappings the core
 * left out altogether (gcore drops read-only file mappings), and where
 * every segment's bytes come from. */
static zx_status_t
plan_files(struct core *c, struct zx_err *err)
{
	struct core_info *ci = &c->ci;
	struct core_seg *ns;

	if ((c->mfiles = calloc(ci->nfiles ? ci->nfiles : 1,
	    sizeof(*c->mfiles))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	for (size_t i = 0; i < ci->nfiles; i++) {
		const struct core_file *e = &ci->files[i];
		struct core_mfile *f = NULL;
		uint64_t last;

		for (size_t k = 0; k < c->nmfiles && f == NULL; k++)
			if (strcmp(c->mfiles[k].path, e->name) == 0)
				f = &c->mfiles[k];
		if (f == NULL) {
			f = &c->mfiles[c->nmfiles++];
			f->path = f->open_path = e->name;
			f->fd = -1;
		}
		if (e->offset == 0 && f->base == 0)
			f->base = e->start;
		if (ci->entry >= e->start && ci->entry < e->end) {
			f->is_exe = true;
			if (c->exe != NULL)
				f->open_path = c->exe;
		}
		/* The mapping's last page may run past the file's end. */
		last = e->offset + (e->end - e->start);
		last = last > 4096 ? last - 4096 : 0;
		if (last > f->need)
			f->need = last;
	}
	/* Entries no PT_LOAD covers become segments of their own. */
	for (size_t i = 0, n = ci->nsegs, cap = ci->nsegs; i < ci->nfiles; i++) {
		const struct core_file *e = &ci->files[i];
		struct core_seg *sg;

		if (covered(ci->segs, n, e->start, e->end))
			continue;
		if (ci->nsegs == cap) {
			cap = cap * 2 + 8;
			if ((ns = reallocarray(ci->segs, cap, sizeof(*ns))) == NULL)
				return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
			ci->segs = ns;
		}
		sg = &ci->segs[ci->nsegs];
		memset(sg, 0, sizeof(*sg));
		if ((sg->name = strdup(e->name)) == NULL)
			return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
		ci->nsegs++;
		sg->m.name = sg->name;
		sg->m.start = e->start;
		sg->m.end = e->end;
		sg->m.offset = e->offset;
		/* The core records no permissions for it. */
		strlcpy(sg->m.perms, "r??p", sizeof(sg->m.perms));
		sg->core_end = e->start;
		sg->file_page_ofs = e->offset;
		sg->mfile = -1;
	}
	qsort(ci->segs, ci->nsegs, sizeof(*ci->segs), cmp_seg);
	for (size_t k = 0; k < c->nmfiles; k++)
		mfile_check(c, &c->mfiles[k]);
	for (size_t i = 0; i < ci->nsegs; i++) {
		struct core_seg *sg = &ci->segs[i];

		sg->m.name = sg->name;
		sg->mfile = -1;
		for (size_t k = 0; k < c->nmfiles && sg->name[0]; k++)
			if (strcmp(c->mfiles[k].path, sg->name) == 0)
				sg->mfile = (int)k;
		if (seg_source(c, sg) != ZX_OK)
			return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	return ZX_OK;
}
