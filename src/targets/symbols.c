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
load_bias(Elf *elf, const GElf_Ehdr *eh, const struct proc_map *first,
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
		if ((ph.p_offset & PAGE_MASK_) != first->m.offset)
			continue;
		*bias = first->m.start - (ph.p_vaddr & PAGE_MASK_);
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
search_object(struct proc *p, const struct proc_map *first, const char *symbol,
    uint64_t *addr)
{
	char path[4200];
	struct stat st;
	GElf_Ehdr eh;
	Elf *elf;
	int fd, found = 0;
	uint64_t bias;

	/* Through the process's own root, so a chroot or container sees the
	 * file it mapped; the inode must match what is mapped. */
	snprintf(path, sizeof(path), "root%s", first->path);
	fd = openat(p->dirfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || (uint64_t)st.st_ino != first->inode) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (elf == NULL || elf_kind(elf) != ELF_K_ELF || gelf_getehdr(elf, &eh) == NULL ||
	    !load_bias(elf, &eh, first, &bias))
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
proc_symbol(struct proc *p, const char *object, const char *symbol,
    uint64_t *addr, struct zx_err *err)
{
	struct stat exe;
	bool have_exe, any_object = false;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return zx_fail(err, ZX_ERR_INTERNAL, "libelf: %s", elf_errmsg(-1));
	have_exe = fstatat(p->dirfd, "exe", &exe, 0) == 0;
	/* Pass 0: the main executable; pass 1: every other object, in
	 * address order. An object is tried at its first mapping. */
	for (size_t pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < p->nmaps; i++) {
			const struct proc_map *m = &p->maps[i];
			bool is_exe = have_exe && m->inode == (uint64_t)exe.st_ino;
			bool seen = false;

			if (m->path[0] != '/' || m->inode == 0 || (pass == 0) != is_exe)
				continue;
			for (size_t j = 0; j < i && !seen; j++)
				seen = p->maps[j].inode == m->inode &&
				    strcmp(p->maps[j].path, m->path) == 0;
			if (seen)
				continue;
			if (object != NULL && !object_matches(object, m->path))
				continue;
			any_object = true;
			if (search_object(p, m, symbol, addr))
				return ZX_OK;
		}
	}
	if (object != NULL && !any_object)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "process %d maps no object "
		    "named '%s'", (int)p->pid, object);
	if (object != NULL)
		return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in %s of "
		    "process %d", symbol, object, (int)p->pid);
	return zx_fail(err, ZX_ERR_NOT_FOUND, "no symbol '%s' in any object "
	    "mapped by process %d", symbol, (int)p->pid);
}
