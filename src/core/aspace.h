/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a process-like target (a live process, an ELF core) offers the
 * process-memory rules: its mappings, its state and the I/O. Implemented in
 * src/targets/; core never sees how. */
#ifndef ZX_ASPACE_H
#define ZX_ASPACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/rights.h"
#include "core/status.h"
#include "core/ztype.h"

/* One mapping: Zircon's "mapping of a VMO". [start, end) is the address
 * range; bytes from backed_end on have no backing (a core's p_filesz), so a
 * transfer is trimmed there. */
struct zx_mapping {
	uint64_t start;
	uint64_t end;
	uint64_t backed_end;
	uint64_t offset;
	char perms[8];
	const char *name;        /* owned by the target; "" for anonymous */
	bool protected_;         /* the vDSO and its data neighbours */
	const char *source;      /* a core's: where its bytes come from, or NULL */
};

struct zx_aspace;

struct zx_aspace_ops {
	/* The handle lookup: BAD_HANDLE / WRONG_TYPE, and set as->rights. */
	zx_status_t (*lookup)(struct zx_aspace *, struct zx_err *);
	/* BAD_STATE when there is no address space (zombie, exiting). */
	zx_status_t (*state)(struct zx_aspace *, struct zx_err *);
	/* [OBJECT!]SYMBOL to an address, or NOT_FOUND. */
	zx_status_t (*resolve)(struct zx_aspace *, const char *object,
	    const char *symbol, uint64_t *addr, struct zx_err *);
	/* What the symbol found at addr is (optional: NULL knows nothing):
	 * *size its bytes (ELF st_size, 0 unknown); with types not NULL also
	 * its DWARF type, built in types (*type NULL when it has none). */
	zx_status_t (*describe)(struct zx_aspace *, const char *object,
	    const char *symbol, uint64_t addr, struct zx_types *, const struct zx_type **type,
	    uint64_t *size, struct zx_err *);
	/* The symbol holding addr, as "name" or "name+off" (optional). */
	bool (*label)(struct zx_aspace *, uint64_t addr, char *buf, size_t len);
	/* The one mapping holding vaddr: ZX_OK, or NO_MEMORY (err filled). */
	zx_status_t (*find)(struct zx_aspace *, uint64_t vaddr,
	    struct zx_mapping *, struct zx_err *);
	/* The first mapping that ends after vaddr, in address order (a scan
	 * walks the mappings with it): ZX_OK, or ZX_ERR_NOT_FOUND past the
	 * last one. Valid until the next lookup. */
	zx_status_t (*next)(struct zx_aspace *, uint64_t vaddr,
	    struct zx_mapping *);
	/* Move up to len bytes (already clamped); *actual may be short. */
	zx_status_t (*read)(struct zx_aspace *, const struct zx_mapping *,
	    uint64_t vaddr, void *buf, size_t len, size_t *actual, struct zx_err *);
	zx_status_t (*write)(struct zx_aspace *, const struct zx_mapping *,
	    uint64_t vaddr, const struct zx_bytes *src, size_t len,
	    size_t *actual, struct zx_err *);
	/* Copy up to len bytes (already clamped) to the sink descriptor out
	 * (its current position) by the kernel; *done is what arrived and
	 * may be short. Optional: NULL copies through read. */
	zx_status_t (*copy_out)(struct zx_aspace *, const struct zx_mapping *,
	    uint64_t vaddr, uint64_t len, int out, uint64_t *done,
	    struct zx_err *);
};

struct zx_aspace {
	const struct zx_aspace_ops *ops;
	zx_rights_t rights;        /* set by lookup */
	char label[64];            /* "process 1234", "core vmcore.1" */
	char no_read[256];         /* why READ is missing, if it is */
	char no_write[256];        /* why WRITE is missing, if it is */
	int thread;                /* --thread TID for TLS; 0: the main one */
};

#endif
