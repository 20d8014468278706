/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor_poke: the C floor for a poke by symbol.
 *   floor_poke PID SYMBOL VALUE
 * What any tool must do at least: read /proc/PID/maps for the executable's
 * load address, look SYMBOL up in the executable's ELF symbol table
 * (libelf), and pwrite VALUE (a u32) to /proc/PID/mem there. No checks
 * beyond that; exits 0 only if the 4 bytes were written.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The lowest mapping of the executable: its load address. */
static int
exe_base(const char *pid, const char *exe, uint64_t *base)
{
	char path[64], line[PATH_MAX + 128];
	FILE *f;
	int found = -1;

	snprintf(path, sizeof(path), "/proc/%s/maps", pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *name = strchr(line, '/');
		unsigned long long start;

		if (name == NULL)
			continue;
		name[strcspn(name, "\n")] = '\0';
		if (strcmp(name, exe) == 0 && sscanf(line, "%llx-", &start) == 1) {
			*base = start;
			found = 0;
			break;
		}
	}
	fclose(f);
	return found;
}

/* SYMBOL's st_value in .symtab (else .dynsym), and the ELF type. */
static int
lookup(int fd, const char *symbol, uint64_t *value, uint64_t *first_vaddr,
    int *type)
{
	Elf *elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	size_t phnum;
	int rc = -1;

	if (elf == NULL || gelf_getehdr(elf, &eh) == NULL ||
	    elf_getphdrnum(elf, &phnum) != 0)
		goto out;
	*type = eh.e_type;
	*first_vaddr = 0;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;

		if (gelf_getphdr(elf, (int)i, &ph) != NULL && ph.p_type == PT_LOAD) {
			*first_vaddr = ph.p_vaddr & ~(ph.p_align - 1);
			break;
		}
	}
	for (int pass = 0; pass < 2 && rc != 0; pass++) {
		while ((scn = elf_nextscn(elf, scn)) != NULL) {
			GElf_Shdr sh;
			Elf_Data *d;

			if (gelf_getshdr(scn, &sh) == NULL ||
			    sh.sh_type != (pass == 0 ? SHT_SYMTAB : SHT_DYNSYM) ||
			    sh.sh_entsize == 0 || (d = elf_getdata(scn, NULL)) == NULL)
				continue;
			for (size_t k = 0; k < sh.sh_size / sh.sh_entsize; k++) {
				GElf_Sym sym;
				const char *name;

				if (gelf_getsym(d, (int)k, &sym) == NULL ||
				    sym.st_shndx == SHN_UNDEF ||
				    (name = elf_strptr(elf, sh.sh_link, sym.st_name)) == NULL ||
				    strcmp(name, symbol) != 0)
					continue;
				*value = sym.st_value;
				rc = 0;
				break;
			}
			if (rc == 0)
				break;
		}
	}
out:
	elf_end(elf);
	return rc;
}

int
main(int argc, char **argv)
{
	char path[64], exe[PATH_MAX], *end;
	uint64_t base, value, first;
	unsigned long v;
	uint32_t u;
	ssize_t n;
	int fd, mem, type;

	if (argc != 4 || (v = strtoul(argv[3], &end, 0), *end != '\0') ||
	    v > UINT32_MAX)
		return fprintf(stderr, "usage: floor_poke PID SYMBOL VALUE\n"), 64;
	u = (uint32_t)v;
	snprintf(path, sizeof(path), "/proc/%s/exe", argv[1]);
	if ((n = readlink(path, exe, sizeof(exe) - 1)) <= 0)
		return perror(path), 1;
	exe[n] = '\0';
	if (exe_base(argv[1], exe, &base) != 0)
		return fprintf(stderr, "floor_poke: %s is not in the maps\n", exe), 1;
	if (elf_version(EV_CURRENT) == EV_NONE ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return perror(path), 1;
	if (lookup(fd, argv[2], &value, &first, &type) != 0)
		return fprintf(stderr, "floor_poke: no symbol %s\n", argv[2]), 1;
	close(fd);
	if (type == ET_DYN)
		value += base - first;
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((mem = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return perror(path), 1;
	do
		n = pwrite(mem, &u, sizeof(u), (off_t)value);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(u))
		return perror("pwrite"), 1;
	return close(mem) == -1 ? perror(path), 1 : 0;
}
