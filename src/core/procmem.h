/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include "core/ztype.h"

#define ZX_MAX_DEBUG_BLOCK (64u * 1024u * 1024u)

/* A VADDR as the user wrote it (SPEC §2, §10): a NUMBER, or
 * [*...][OBJECT!]SYMBOL[.field|->field|[N]]...[(+|-)NUMBER]. The postfix
 * steps come first in steps[], then one DEREF for each leading '*', as C
 * binds them. parse_vaddr (cli/args.h) fills the syntax; the resolution
 * fills the rest. Everything points into buf: never copy the struct. */
#define ZX_VADDR_MAX 2048
#define ZX_MAX_STEPS 32

enum zx_step_op { ZX_STEP_FIELD, ZX_STEP_ARROW, ZX_STEP_INDEX, ZX_STEP_DEREF };

struct zx_step {
	enum zx_step_op op;
	const char *name;          /* FIELD, ARROW */
	uint64_t index;            /* INDEX */
};

struct zx_vaddr {
	uint64_t addr;             /* the number, or the resolved address */
	const char *object;        /* NULL for any object */
	const char *symbol;        /* NULL for a plain number */
	uint64_t delta;            /* bytes, after the expression */
	bool negative;
	struct zx_step steps[ZX_MAX_STEPS];
	size_t nsteps;
	const char *expr;          /* the expression as written, without the
	                            * delta: the object's name in messages */
	char buf[ZX_VADDR_MAX];
	/* Set by the caller before resolving: */
	struct zx_types *types;    /* build EXPR's type here; NULL: not wanted */
	bool need_type;            /* no type is NOT_FOUND (--value) */
	bool force;                /* --force: no bounds guard on writes */
	/* Set by resolving: */
	bool resolved;
	const struct zx_type *type;  /* EXPR's type; NULL if none (or unwanted) */
	uint64_t obj_size;         /* the named object's bytes; 0: unknown, no guard */
	uint32_t bit_offset;       /* a bitfield: its bits from addr, LSB first */
	uint32_t bit_size;         /* 0: not a bitfield */
};

/* Results: where the transfer went and the mapping that bounded it. */
struct zx_procmem_result {
	uint64_t vaddr;
	size_t actual;
	struct zx_mapping map;
};

zx_status_t zx_process_read_memory(struct zx_aspace *, struct zx_vaddr *,
    void *buf, size_t len, struct zx_procmem_result *, struct zx_err *);

/* The same read in bounded memory, as zx_vmo_read_check does it: the
 * checks and the clamp once (res->vaddr and res->map set, *clamped the
 * bytes the one mapping holds from there), then the bytes in pieces.
 * read_piece moves up to len bytes at res->vaddr + off (*actual may be
 * short: the transfer ends there); copy_out hands them to the sink
 * descriptor out by the kernel where the target can (a core's bytes lie in
 * a file), else ZX_ERR_NOT_SUPPORTED. */
zx_status_t zx_process_read_check(struct zx_aspace *, struct zx_vaddr *,
    uint64_t len, struct zx_procmem_result *, size_t *clamped,
    struct zx_err *);
zx_status_t zx_process_read_piece(struct zx_aspace *,
    const struct zx_procmem_result *, uint64_t off, void *buf, size_t len,
    size_t *actual, struct zx_err *);
zx_status_t zx_process_copy_out(struct zx_aspace *,
    const struct zx_procmem_result *, uint64_t off, uint64_t len, int out,
    uint64_t *done, struct zx_err *);

/* debugging_enabled is kernel.enable-debugging-syscalls (core/kcmdline.h). */
zx_status_t zx_process_write_memory(bool debugging_enabled, struct zx_aspace *,
    struct zx_vaddr *, const struct zx_bytes *src,
    struct zx_procmem_result *, struct zx_err *);

/* --value: the bytes of V for EXPR's type, made after the symbol step
 * (which found the type) and before the bounds guard. The callee owns what
 * it returns in out until the command ends. */
typedef zx_status_t (*zx_encode_fn)(void *arg, const struct zx_vaddr *,
    struct zx_bytes *out, struct zx_err *);
zx_status_t zx_process_write_value(bool debugging_enabled, struct zx_aspace *,
    struct zx_vaddr *, zx_encode_fn, void *arg, struct zx_procmem_result *,
    struct zx_err *);

/* Resolve a VADDR alone (process-symbol): lookup, state, symbol, and the
 * expression (its type if va->types is set, dereferences read under the
 * process-read-memory rules). Once resolved, later calls only redo the
 * lookup and state checks. */
zx_status_t zx_process_resolve(struct zx_aspace *, struct zx_vaddr *,
    zx_rights_t need, struct zx_err *);

/* The symbol at or before addr ("origin", "buf+4"), for printing a pointer;
 * false when none is known. */
bool zx_process_label(struct zx_aspace *, uint64_t addr, char *buf,
    size_t len);

#endif
