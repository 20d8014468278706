/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An ELF core file as a target: each PT_LOAD is one mapping whose backing
 * ends at p_filesz; NT_AUXV finds the vDSO, NT_FILE names the mapped files
 * (and so finds symbols). The parser only reads through libelf's checked
 * accessors and our own bounds checks: a malformed core is ZX_ERR_IO. */
#ifndef TARGETS_CORE_H
#define TARGETS_CORE_H

#include <stddef.h>
#include <stdint.h>
#include <libelf.h>

#include "core/aspace.h"
#include "core/status.h"

struct core_seg {
	struct zx_mapping m;
	uint64_t file_offset;     /* p_offset */
	uint64_t file_page_ofs;   /* NT_FILE's offset into the named file */
	char *name;               /* NT_FILE name, "[vdso]", or "" (owned) */
	uint64_t core_end;        /* p_vaddr + p_filesz: the core's bytes end */
	int mfile;                /* index in the core's mapped files, or -1 */
	char *source;             /* "core", "file", ... (owned; m.source) */
};

/* One NT_FILE entry: a file mapped at [start, end) from byte offset. */
struct core_file {
	uint64_t start, end, offset;
	char *name;               /* owned */
};

/* One thread, from its NT_PRSTATUS. */
struct core_thread {
	int tid;
	uint64_t fs_base;         /* x86-64 thread pointer */
};

struct core_info {
	struct core_seg *segs;
	size_t nsegs;
	struct core_file *files;
	size_t nfiles;
	uint64_t vdso;            /* AT_SYSINFO_EHDR, 0 if none */
	uint64_t entry;           /* AT_ENTRY, 0 if none */
	struct core_thread *threads;   /* in note order: the first dumped first */
	size_t nthreads;
};

/* Parse a core already opened with libelf; file_size bounds every offset. */
zx_status_t core_parse(Elf *, uint64_t file_size, struct core_info *,
    struct zx_err *);
void core_info_free(struct core_info *);

#endif
