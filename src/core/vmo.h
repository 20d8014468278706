/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Zircon's VMO rules (ZIRCON.md §2-§9a) over a backing that a target
 * implements. Core decides; the backing only moves bytes and keeps the
 * object's state where every handle in every process finds it. */
#ifndef ZX_VMO_H
#define ZX_VMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"
#include "core/rights.h"
#include "core/status.h"

#define ZX_PAGE_SIZE            4096u
#define ZX_VMO_MAX_SIZE         0xFFFFFFFFFFFE0000ull

#define ZX_OBJ_TYPE_NONE        0u
#define ZX_OBJ_TYPE_PROCESS     1u
#define ZX_OBJ_TYPE_VMO         3u

#define ZX_CACHE_POLICY_CACHED          0u
#define ZX_CACHE_POLICY_UNCACHED        1u
#define ZX_CACHE_POLICY_UNCACHED_DEVICE 2u
#define ZX_CACHE_POLICY_WRITE_COMBINING 3u

/* zx_vmo_op_range ops (values as in Zircon); DISCARD is zxmem's own: the
 * kernel's reclaim of an unlocked discardable VMO, on demand. */
enum zx_vmo_op {
	ZX_VMO_OP_COMMIT = 1, ZX_VMO_OP_DECOMMIT = 2, ZX_VMO_OP_LOCK = 3,
	ZX_VMO_OP_UNLOCK = 4, ZX_VMO_OP_CACHE_SYNC = 6,
	ZX_VMO_OP_CACHE_INVALIDATE = 7, ZX_VMO_OP_CACHE_CLEAN = 8,
	ZX_VMO_OP_CACHE_CLEAN_INVALIDATE = 9, ZX_VMO_OP_ZERO = 10,
	ZX_VMO_OP_TRY_LOCK = 11, ZX_VMO_OP_DONT_NEED = 12,
	ZX_VMO_OP_ALWAYS_NEED = 13, ZX_VMO_OP_PREFETCH = 14,
	ZX_VMO_OP_DISCARD = 1000,
};

/* zx_vmo_create_child options. */
#define ZX_VMO_CHILD_SNAPSHOT                   (1u << 0)
#define ZX_VMO_CHILD_RESIZABLE                  (1u << 2)
#define ZX_VMO_CHILD_SLICE                      (1u << 3)
#define ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE (1u << 4)
#define ZX_VMO_CHILD_REFERENCE                  (1u << 5)
#define ZX_VMO_CHILD_SNAPSHOT_MODIFIED          (1u << 6)
#define ZX_VMO_CHILD_NO_WRITE                   (1u << 7)

/* ZX_INFO_VMO flags (the ones zxmem can have). */
#define ZX_INFO_VMO_TYPE_PAGED    (1u << 0)
#define ZX_INFO_VMO_RESIZABLE     (1u << 1)
#define ZX_INFO_VMO_IS_COW_CLONE  (1u << 2)
#define ZX_INFO_VMO_VIA_HANDLE    (1u << 3)
#define ZX_INFO_VMO_DISCARDABLE   (1u << 6)
#define ZX_INFO_VMO_IMMUTABLE     (1u << 7)

/* What kind of object, for the child rules. */
enum zx_vmo_kind {
	ZX_VMO_KIND_FILE, ZX_VMO_KIND_ROOT, ZX_VMO_KIND_SLICE,
	ZX_VMO_KIND_REFERENCE, ZX_VMO_KIND_SNAPSHOT,
};

struct zx_vmo;

struct zx_vmo_lock_state {
	uint64_t offset, size, discarded_offset, discarded_size;
};

/* A new child, as the rules decided it. */
struct zx_vmo_child_req {
	enum zx_vmo_kind kind;
	uint64_t offset, size, content_size, root_offset;
	bool resizable, immutable;
	zx_rights_t rights;
	const char *name;          /* NULL: the next free vmoN */
};

struct zx_vmo_ops {
	/* Lock the object (shared, or exclusive to change it) and load its
	 * state fresh into the struct: size, content size, policy, children,
	 * lock state. Every rule below runs between begin and end. */
	zx_status_t (*begin)(struct zx_vmo *, bool exclusive, struct zx_err *);
	void (*end)(struct zx_vmo *);
	/* Move exactly len bytes at off; the range is already checked. */
	zx_status_t (*read)(struct zx_vmo *, uint64_t off, void *buf, size_t len,
	    struct zx_err *);
	zx_status_t (*write)(struct zx_vmo *, uint64_t off,
	    const struct zx_bytes *src, struct zx_err *);
	/* Resize to size (a page multiple); the bytes from content on are
	 * zeroed when zero_tail; record content. NULL: not resizable. */
	zx_status_t (*set_size)(struct zx_vmo *, uint64_t size, uint64_t content,
	    bool zero_tail, struct zx_err *);
	/* Record a cache policy; NULL: only CACHED is accepted (a file). */
	zx_status_t (*set_cache_policy)(struct zx_vmo *, uint32_t,
	    struct zx_err *);
	/* Bytes of memory in use (committed), page-granular. */
	uint64_t (*committed)(struct zx_vmo *);
	/* Pages: commit (allocate), decommit (free, reads zero), zero (bytes
	 * read zero), discard (all pages freed); the range is checked. */
	zx_status_t (*range)(struct zx_vmo *, enum zx_vmo_op, uint64_t off,
	    uint64_t len, struct zx_err *);
	/* Record the lock state (lock count, discarded). */
	zx_status_t (*set_lock)(struct zx_vmo *, uint32_t count, bool discarded,
	    struct zx_err *);
	/* Make the child; its handle name goes to out. NULL: not supported. */
	zx_status_t (*create_child)(struct zx_vmo *, const struct zx_vmo_child_req *,
	    char *out, size_t outlen, struct zx_err *);
	/* How many mappings of the object processes have (a cache policy
	 * change refuses while there are any). */
	uint64_t (*mappings)(struct zx_vmo *);
	/* Copy len bytes at off to the sink descriptor out (its current
	 * position), by the kernel where it can; *done is what arrived.
	 * NULL: the caller copies through read. */
	zx_status_t (*copy_out)(struct zx_vmo *, uint64_t off, uint64_t len,
	    int out, uint64_t *done, struct zx_err *);
};

/* The object's state, loaded by ops->begin. */
struct zx_vmo {
	const struct zx_vmo_ops *ops;
	uint64_t koid;
	uint64_t size;            /* page multiple for our VMOs; file size for external */
	uint64_t content_size;
	uint32_t cache_policy;
	bool resizable;
	enum zx_vmo_kind kind;
	bool discardable, immutable;
	uint64_t parent_koid, children, snapshots, root_offset;
	uint32_t lock_count;
	bool discarded;
};

/* A handle as its holder sees it: a name, rights and the object (NULL when
 * the object behind the name could not be found). */
struct zx_handle {
	const char *name;
	uint32_t type;
	zx_rights_t rights;
	struct zx_vmo *vmo;
	/* Why the name did not resolve (a vanished object, an unsafe namespace,
	 * a directory given as a path); reported at the lookup step. */
	const struct zx_err *lookup_err;
};

/* Handle lookup checks, in Zircon's order: BAD_HANDLE, WRONG_TYPE, then
 * ACCESS_DENIED when any right in need is missing. */
zx_status_t zx_handle_check(const struct zx_handle *, uint32_t type,
    zx_rights_t need, struct zx_err *);

/* VmObject::RoundSize and the size limit of zx_vmo_create: the page-rounded
 * size, or OUT_OF_RANGE. */
zx_status_t zx_vmo_round_size(uint64_t size, uint64_t *rounded, struct zx_err *);

/* Reads into a buffer it allocates once the range is proven (free it). */
zx_status_t zx_vmo_read(const struct zx_handle *, uint64_t off, uint64_t len,
    uint8_t **out, struct zx_err *);
/* A read in bounded memory: zx_vmo_read's checks once (rights, the
 * object's state, cache policy, range), then the bytes in pieces, then
 * read_done (the object's state is held from a successful check until
 * then). read_piece moves exactly len bytes of a range the check proved;
 * copy_out hands a piece to the sink descriptor out (ZX_ERR_NOT_SUPPORTED
 * when the backing cannot; ZX_ERR_CANCELED when the sink's wait was given
 * up), *done the bytes that reached it. */
zx_status_t zx_vmo_read_check(const struct zx_handle *, uint64_t off,
    uint64_t len, struct zx_err *);
void zx_vmo_read_done(const struct zx_handle *);
zx_status_t zx_vmo_read_piece(const struct zx_handle *, uint64_t off,
    void *buf, size_t len, struct zx_err *);
zx_status_t zx_vmo_copy_out(const struct zx_handle *, uint64_t off,
    uint64_t len, int out, uint64_t *done, struct zx_err *);
zx_status_t zx_vmo_write(const struct zx_handle *, uint64_t off,
    const struct zx_bytes *src, struct zx_err *);
zx_status_t zx_vmo_get_size(const struct zx_handle *, uint64_t *size,
    struct zx_err *);
/* zx_vmo_set_size, ZIRCON.md §5: WRITE, RESIZE if resizable, rounding,
 * UNAVAILABLE if not resizable, the size limit; [size, page end) zeroed
 * unless the VMO is uncached. */
zx_status_t zx_vmo_set_size(const struct zx_handle *, uint64_t size,
    struct zx_err *);
/* zx_vmo_set_cache_policy, ZIRCON.md §9: the policy is checked before the
 * handle; MAP right; a file-backed VMO takes only CACHED. */
zx_status_t zx_vmo_set_cache_policy(const struct zx_handle *, uint64_t policy,
    struct zx_err *);
/* zx_vmo_op_range, ZIRCON.md §7; gate is kernel.enable-debugging-syscalls
 * (cache-invalidate); LOCK and TRY_LOCK fill *ls. */
zx_status_t zx_vmo_op_range(const struct zx_handle *, uint32_t op,
    uint64_t off, uint64_t len, bool gate, struct zx_vmo_lock_state *ls,
    struct zx_err *);
/* zx_vmo_create_child, ZIRCON.md §8. */
zx_status_t zx_vmo_create_child(const struct zx_handle *, uint32_t options,
    uint64_t offset, uint64_t size, const char *name, char *out, size_t outlen,
    struct zx_err *);

const char *zx_cache_policy_name(uint32_t);

/* What object-info shows (ZX_INFO_VMO, reduced): needs no right. */
struct zx_vmo_info {
	uint64_t koid, size, content_size, committed, parent_koid, children,
	    mappings;
	uint32_t cache_policy, flags;
	zx_rights_t rights;
};
zx_status_t zx_vmo_info(const struct zx_handle *, struct zx_vmo_info *,
    struct zx_err *);

#endif
