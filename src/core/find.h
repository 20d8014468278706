/* SPDX-License-Identifier: GPL-3.0-or-later */
/* process-find's rules over any zx_aspace, live or core (SPEC §11): which
 * mappings are scanned, the chunked scan with matches across chunk
 * boundaries, alignment, the hit limit, and the check of one address for
 * --among. The scan holds one buffer of ZX_FIND_CHUNK + pattern bytes,
 * whatever the target's size. */
#ifndef ZX_FIND_H
#define ZX_FIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/aspace.h"
#include "core/status.h"

#define ZX_FIND_CHUNK (1u << 20)
#define ZX_FIND_ALIGN 4096u
#define ZX_FIND_MAX_PATTERN (64u * 1024u * 1024u)

struct zx_find_opts {
	const uint8_t *pat;        /* DATA, contiguous */
	size_t len;
	uint64_t align;            /* >= 1 */
	uint64_t lo, hi;           /* only [lo, hi); 0, UINT64_MAX for all */
	const char *in;            /* a mapping name to match, or NULL */
	bool writable;             /* only writable mappings */
	uint64_t max;              /* stop after this many hits */
	size_t chunk;              /* bytes a read asks for; 0: ZX_FIND_CHUNK
	                            * (the fuzz harness uses small ones) */
	bool (*canceled)(void);    /* asked before each chunk and after each
	                            * hit: true stops the scan (Ctrl-C); NULL
	                            * for never */
};

struct zx_find_stats {
	uint64_t hits;
	uint64_t bytes;            /* scanned */
	uint64_t mappings;         /* scanned (at least in part) */
	uint64_t refused;          /* mappings the target would not read whole */
	bool truncated;            /* stopped at max with more hits left */
	bool canceled;             /* stopped because opts->canceled said so */
};

/* A hit: the address and the mapping that holds it. Return false to stop. */
typedef bool (*zx_find_hit_fn)(void *arg, uint64_t addr,
    const struct zx_mapping *);

/* Does the mapping's name match NAME: the whole name ("[heap]",
 * "/usr/lib/libc.so.6"), its last path component ("libc.so.6"), or that
 * component up to a '.' ("libc")? */
bool zx_mapping_named(const struct zx_mapping *, const char *name);

/* Is the mapping one the options scan (readable, --writable, --in)? */
bool zx_find_wants(const struct zx_find_opts *, const struct zx_mapping *);

/* The handle lookup, READ right and state: call once before scanning. */
zx_status_t zx_find_begin(struct zx_aspace *, const struct zx_find_opts *,
    struct zx_err *);

/* Every address in the scanned mappings where the pattern occurs, in
 * increasing order, read through one buffer of about chunk + len bytes
 * (allocated here: NO_MEMORY if it cannot be). A mapping
 * the target refuses to read is scanned up to the refusal and counted in
 * stats->refused; a target that goes away fails the scan. A scan that
 * opts->canceled stops returns ZX_OK with stats->canceled: the caller
 * says why. */
zx_status_t zx_process_find(struct zx_aspace *, const struct zx_find_opts *,
    zx_find_hit_fn, void *arg, struct zx_find_stats *, struct zx_err *);

/* --among: does addr hold the pattern now (in a mapping the options scan,
 * aligned)? *m receives the mapping. Unreadable or unmapped is no match;
 * a target that has gone away is the error. buf holds len bytes. */
zx_status_t zx_find_check(struct zx_aspace *, const struct zx_find_opts *,
    uint64_t addr, uint8_t *buf, bool *match, struct zx_mapping *m,
    struct zx_err *);

#endif
