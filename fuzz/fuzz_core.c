/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for the ELF core parser of src/targets/core.c.
 *
 * The input is the whole core file: it is copied into a malloc'd buffer of
 * exactly its size (so that ASan sees a read past the end of the file),
 * opened with libelf's elf_memory() and given to core_parse() with its
 * size. Besides crashes and leaks, the result is checked (abort() on a
 * violation):
 *   failure: the status is ZX_ERR_IO, ZX_ERR_WRONG_TYPE or ZX_ERR_NO_MEMORY,
 *     err.status agrees, err.msg is NUL-terminated and non-empty, and the
 *     core_info is left empty (nothing to free);
 *   success: every segment has start < end, backed_end in [start, end],
 *     its file bytes [file_offset, file_offset + backed_end - start) inside
 *     the file, perms "[r-][w-][x-]p", a non-NULL NUL-terminated name with
 *     m.name == name; the segments are sorted and do not overlap; there
 *     are no more of them than program headers; and each is its PT_LOAD:
 *     the k-th PT_LOAD of non-zero p_memsz gives the k-th segment's start
 *     (p_vaddr), end (+ p_memsz), backed_end (+ p_filesz), file offset and
 *     perms (p_flags), and there is no other segment.
 * Seeds: fuzz/corpus/core/, made by fuzz/make_core_seeds.py. Inputs larger
 * than libFuzzer's default -max_len of 4096 matter here, so run-core uses
 * -max_len=65536. */
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "targets/core.h"

static volatile uint8_t sink;

/* ZXMEM_FUZZ_VERBOSE=1: print each input's result (to look at the seeds:
 * build-fuzz/fuzz_core fuzz/corpus/core/NAME). */
static int verbose;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	verbose = getenv("ZXMEM_FUZZ_VERBOSE") != NULL;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		fprintf(stderr, "fuzz_core: libelf: %s\n", elf_errmsg(-1));
		abort();
	}
	return 0;
}

static void
fail_prop(const char *what, const struct core_info *ci, size_t i)
{
	fprintf(stderr, "PROPERTY VIOLATED in core_parse: %s\n", what);
	if (ci != NULL && i < ci->nsegs) {
		const struct core_seg *sg = &ci->segs[i];

		fprintf(stderr, "segment %zu of %zu: start %#" PRIx64 " end %#"
		    PRIx64 " backed_end %#" PRIx64 " file_offset %#" PRIx64 "\n",
		    i, ci->nsegs, sg->m.start, sg->m.end, sg->m.backed_end,
		    sg->file_offset);
	}
	abort();
}

#define CHECK(cond, ci, i) do { \
	if (!(cond)) \
		fail_prop(#cond, ci, i); \
} while (0)

static void
check_failure(zx_status_t s, const struct zx_err *err,
    const struct core_info *ci)
{
	CHECK(s == ZX_ERR_IO || s == ZX_ERR_WRONG_TYPE || s == ZX_ERR_NO_MEMORY,
	    NULL, 0);
	CHECK(err->status == s, NULL, 0);
	CHECK(memchr(err->msg, '\0', sizeof(err->msg)) != NULL, NULL, 0);
	CHECK(err->msg[0] != '\0', NULL, 0);
	CHECK(ci->segs == NULL && ci->nsegs == 0, NULL, 0);
}

static void
check_success(const struct core_info *ci, size_t size, size_t phnum)
{
	CHECK(ci->nsegs <= phnum, ci, 0);
	CHECK(ci->nsegs == 0 || ci->segs != NULL, ci, 0);
	for (size_t i = 0; i < ci->nsegs; i++) {
		const struct core_seg *sg = &ci->segs[i];
		const struct zx_mapping *m = &sg->m;
		size_t n;

		CHECK(m->start < m->end, ci, i);
		CHECK(m->backed_end >= m->start && m->backed_end <= m->end, ci, i);
		CHECK(sg->file_offset <= size, ci, i);
		CHECK(m->backed_end - m->start <= size - sg->file_offset, ci, i);
		CHECK(sg->name != NULL, ci, i);
		CHECK(m->name == sg->name, ci, i);
		n = strlen(sg->name);           /* ASan checks every byte */
		for (size_t k = 0; k < n; k++)
			sink ^= (uint8_t)sg->name[k];
		CHECK(memchr(m->perms, '\0', sizeof(m->perms)) != NULL, ci, i);
		CHECK(strlen(m->perms) == 4, ci, i);
		CHECK(m->perms[0] == 'r' || m->perms[0] == '-', ci, i);
		CHECK(m->perms[1] == 'w' || m->perms[1] == '-', ci, i);
		CHECK(m->perms[2] == 'x' || m->perms[2] == '-', ci, i);
		CHECK(m->perms[3] == 'p', ci, i);
		if (i > 0)
			CHECK(ci->segs[i - 1].m.end <= m->start, ci, i);
	}
}

/* Each reported segment is its PT_LOAD: the k-th program header of type
 * PT_LOAD with a non-zero p_memsz gives the k-th segment, exactly. */
static void
check_segments_are_loads(Elf *elf, const struct core_info *ci, size_t phnum)
{
	size_t k = 0;

	for (size_t i = 0; i < phnum; i++) {
		const struct core_seg *sg;
		char perms[5];
		GElf_Phdr ph;

		CHECK(gelf_getphdr(elf, (int)i, &ph) != NULL, ci, k);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		CHECK(k < ci->nsegs, ci, k);
		sg = &ci->segs[k];
		CHECK(sg->m.start == ph.p_vaddr, ci, k);
		CHECK(sg->m.end == ph.p_vaddr + ph.p_memsz, ci, k);
		CHECK(sg->m.backed_end == ph.p_vaddr + ph.p_filesz, ci, k);
		CHECK(sg->file_offset == ph.p_offset, ci, k);
		snprintf(perms, sizeof(perms), "%c%c%cp", ph.p_flags & PF_R ? 'r' : '-',
		    ph.p_flags & PF_W ? 'w' : '-', ph.p_flags & PF_X ? 'x' : '-');
		CHECK(strcmp(sg->m.perms, perms) == 0, ci, k);
		k++;
	}
	CHECK(k == ci->nsegs, ci, k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_info ci;
	struct zx_err err;
	size_t phnum = 0;
	zx_status_t s;
	char *buf;
	Elf *elf;

	if ((buf = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	if ((elf = elf_memory(buf, size)) == NULL) {
		free(buf);
		return 0;
	}
	memset(&ci, 0xa5, sizeof(ci));
	memset(&err, 0, sizeof(err));
	s = core_parse(elf, size, &ci, &err);
	if (verbose) {
		fprintf(stderr, "core_parse: %d %s\n", (int)s,
		    s == ZX_OK ? "" : err.msg);
		for (size_t i = 0; s == ZX_OK && i < ci.nsegs; i++)
			fprintf(stderr, "  %#" PRIx64 "-%#" PRIx64 " backed to %#"
			    PRIx64 " %s%s %s\n", ci.segs[i].m.start,
			    ci.segs[i].m.end, ci.segs[i].m.backed_end,
			    ci.segs[i].m.perms,
			    ci.segs[i].m.protected_ ? " protected" : "",
			    ci.segs[i].name);
		if (s == ZX_OK)
			fprintf(stderr, "  vdso %#" PRIx64 " entry %#" PRIx64 "\n",
			    ci.vdso, ci.entry);
	}
	if (s == ZX_OK) {
		/* core_parse succeeded, so the ELF header and phnum are sane. */
		CHECK(elf_getphdrnum(elf, &phnum) == 0, NULL, 0);
		check_success(&ci, size, phnum);
		check_segments_are_loads(elf, &ci, phnum);
		core_info_free(&ci);
		CHECK(ci.segs == NULL && ci.nsegs == 0, NULL, 0);
	} else {
		check_failure(s, &err, &ci);
	}
	elf_end(elf);
	free(buf);
	return 0;
}
