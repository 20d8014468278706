/* [OBJECT!]SYMBOL in a live process: the ELF objects its maps name, main
 * executable first, each searched .symtab then .dynsym, with its load bias.
 * Nothing is cached across commands: a file read here is the file mapped
 * now (checked by inode). */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets/process.h"

#define PAGE_MASK_ (~(uint64_t)4095)

/* Does OBJECT name this path? The full path, the basename, or the basename
 * up to a ".so" or "." suffix ("libc" for libc.so.6). */
static bool
object_matches(const char *object, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n = strlen(object);

	base = base ? base + 1 : path;
	if (strcmp(object, path) == 0 || strcmp(object, base) == 0)
		return true;
	return strncmp(object, base, n) == 0 && base[n] == '.';
}

/* The load bias: where the object's first mapping landed, less where its
 * segment asked to be. */
static bool
load_bias(Elf *elf, const GElf_Ehdr *eh, uint64_t start, uint64_t offset,
    uint64_t *bias)
{
	size_t n;

	if (eh->e_type == ET_EXEC) {
		*bias = 0;
		return true;
	}
	if (elf_getphdrnum(elf, &n) != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) == NULL || ph.p_type != PT_LOAD)
			continue;
		if ((ph.p_offset & PAGE_MASK_) != offset)
			continue;
		*bias = start - (ph.p_vaddr & PAGE_MASK_);
		return true;
	}
	return false;
}

/* Search one symbol table; a global or weak definition beats a local one.
 * Returns 1 when found (value in *val). */
static int
search_table(Elf *elf, Elf_Scn *scn, const GElf_Shdr *sh, const char *symbol,
    GElf_Sym *out)
{
	Elf_Data *data = elf_getdata(scn, NULL);
	size_t count;
	bool have_local = false;

	if (data == NULL || sh->sh_entsize == 0)
		return 0;
	count = sh->sh_size / sh->sh_entsize;
	for (size_t i = 1; i < count; i++) {
		GElf_Sym sym;
		const char *name;
		int type;

		if (gelf_getsym(data, (int)i, &sym) == NULL)
			break;
		type = GELF_ST_TYPE(sym.st_info);
		if (sym.st_shndx == SHN_UNDEF || type == STT_SECTION ||
		    type == STT_FILE || type == STT_TLS)
			continue;
		name = elf_strptr(elf, sh->sh_link, sym.st_name);
		if (name == NULL || strcmp(name, symbol) != 0)
			continue;
		if (GELF_ST_BIND(sym.st_info) != STB_LOCAL) {
			*out = sym;
			return 1;
		}
		if (!have_local) {
			*out = sym;
			have_local = true;
		}
	}
	return have_local;
}

static int
search_object(const struct sym_object *o, const char *symbol, uint64_t *addr)
{
	char path[4200];
	struct stat st;
	GElf_Ehdr eh;
	Elf *elf;
	int fd, found = 0;
	uint64_t bias;

	snprintf(path, sizeof(path), "%s%s", o->prefix, o->path);
	fd = openat(o->dirfd, path, O_RDONLY | O_CLOEXEC);
	/* The file must be the one mapped, not a later one at that path. */
	if (fd < 0 || fstat(fd, &st) < 0 ||
	    (o->inode != 0 && (uint64_t)st.st_ino != o->inode)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf == NULL || elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &eh) == NULL ||
	    !load_bias(elf, &eh, o->start, o->offset, &bias))
		goto out;
	for (int pass = 0; pass < 2 && !found; pass++) {
		Elf_Scn *scn = NULL;
		GElf_Sym sym = { 0 };

		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			GElf_Shdr sh;

			if (gelf_getshdr(scn, &sh) == NULL ||
			    sh.sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM))
				continue;
			if (search_table(elf, scn, &sh, symbol, &sym)) {
				*addr = sym.st_shndx == SHN_ABS ? sym.st_value :
				    sym.st_value + bias;
				found = 1;
				break;
			}
		}
	}
out:
	if (elf != NULL)
		elf_end(elf);
	close(fd);
	return found;
}

zx_status_t
sym_lookup(const struct sym_object *objs, size_t n, const char *object,
    const char *symbol, const char *label, uint64_t *addr, struct zx_err *err)
{
	bool any_object = false;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return zx_fail(err, ZX_ERR_INTERNAL, "libelf: %s", elf_errmsg(-1));
	/* The main executable first, then every other object in order. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (objs[i].is_exe != (pass == 0))
				continue;
			if (object != NULL && !object_matches(object, objs[i].path))
				continue;
			any_object = true;
			if (search_object(&objs[i], symbol, addr))
				return ZX_OK;
		}
	if (object != NULL && !any_object)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "%s maps no object named "
		    "'%s'", label, object);
	if (object != NULL)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in %s of %s",
		    symbol, object, label);
	return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in any object "
	    "mapped by %s", symbol, label);
}

zx_status_t
proc_symbol(struct proc *p, const char *object, const char *symbol,
    uint64_t *addr, struct zx_err *err)
{
	struct sym_object *objs;
	struct stat exe;
	bool have_exe;
	size_t n = 0;
	zx_status_t s;

	have_exe = fstatat(p->dirfd, "exe", &exe, 0) == 0;
	if ((objs = calloc(p->nmaps ? p->nmaps : 1, sizeof(*objs))) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	/* Each object once, at its first (lowest) mapping; opened through
	 * the process's own root, so a chroot or container sees its files. */
	for (size_t i = 0; i < p->nmaps; i++) {
		const struct proc_map *m = &p->maps[i];
		bool seen = false;

		if (m->path[0] != '/' || m->inode == 0)
			continue;
		for (size_t j = 0; j < n && !seen; j++)
			seen = objs[j].inode == m->inode &&
			    strcmp(objs[j].path, m->path) == 0;
		if (seen)
			continue;
		objs[n].path = m->path;
		objs[n].dirfd = p->dirfd;
		objs[n].prefix = "root";
		objs[n].inode = m->inode;
		objs[n].start = m->m.start;
		objs[n].offset = m->m.offset;
		objs[n].is_exe = have_exe && m->inode == (uint64_t)exe.st_ino;
		n++;
	}
	s = sym_lookup(objs, n, object, symbol, p->as.label, addr, err);
	free(objs);
	return s;
}
