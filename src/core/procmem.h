/* zx_process_read_memory / zx_process_write_memory: the check order of
 * SPEC §5 (ZIRCON.md §11) over any zx_aspace, live or core. */
#ifndef ZX_PROCMEM_H
#define ZX_PROCMEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/aspace.h"
#include "core/bytes.h"
#include "core/status.h"

#define ZX_MAX_DEBUG_BLOCK (64u * 1024u * 1024u)

/* A VADDR as the user wrote it: a number, or [object!]symbol[+-delta]. */
struct zx_vaddr {
	uint64_t addr;             /* the number, or the resolved symbol's address */
	const char *object;        /* NULL for any object */
	const char *symbol;        /* NULL for a plain number */
	uint64_t delta;
	bool negative;
};

/* Results: where the transfer went and the mapping that bounded it. */
struct zx_procmem_result {
	uint64_t vaddr;
	size_t actual;
	struct zx_mapping map;
};

zx_status_t zx_process_read_memory(struct zx_aspace *, struct zx_vaddr *,
    void *buf, size_t len, struct zx_procmem_result *, struct zx_err *);

/* debugging_enabled is kernel.enable-debugging-syscalls (core/kcmdline.h). */
zx_status_t zx_process_write_memory(bool debugging_enabled, struct zx_aspace *,
    struct zx_vaddr *, const struct zx_bytes *src,
    struct zx_procmem_result *, struct zx_err *);

/* Resolve a VADDR alone (process-symbol): lookup, state, symbol. */
zx_status_t zx_process_resolve(struct zx_aspace *, struct zx_vaddr *,
    zx_rights_t need, struct zx_err *);

#endif
