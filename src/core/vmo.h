/* Zircon's VMO rules (ZIRCON.md §2-§4) over a backing that a target
 * implements. Core decides; the backing only moves bytes. */
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

struct zx_vmo;

struct zx_vmo_ops {
	/* Move exactly len bytes at off; the range is already checked. */
	zx_status_t (*read)(struct zx_vmo *, uint64_t off, void *buf, size_t len,
	    struct zx_err *);
	zx_status_t (*write)(struct zx_vmo *, uint64_t off,
	    const struct zx_bytes *src, struct zx_err *);
	/* Resize to size (a page multiple) with the bytes from content on
	 * zero; record content and policy. NULL: not resizable. */
	zx_status_t (*set_size)(struct zx_vmo *, uint64_t size, uint64_t content,
	    struct zx_err *);
	/* Record a cache policy; NULL: only CACHED is accepted (a file). */
	zx_status_t (*set_cache_policy)(struct zx_vmo *, uint32_t,
	    struct zx_err *);
	/* Bytes of memory in use (committed). */
	uint64_t (*committed)(struct zx_vmo *);
};

struct zx_vmo {
	const struct zx_vmo_ops *ops;
	uint64_t koid;
	uint64_t size;            /* page multiple for our VMOs; file size for external */
	uint64_t content_size;
	uint32_t cache_policy;
	bool resizable;
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
zx_status_t zx_vmo_write(const struct zx_handle *, uint64_t off,
    const struct zx_bytes *src, struct zx_err *);
zx_status_t zx_vmo_get_size(const struct zx_handle *, uint64_t *size,
    struct zx_err *);
/* zx_vmo_set_size, ZIRCON.md §5: WRITE, RESIZE if resizable, rounding,
 * UNAVAILABLE if not resizable, the size limit; [size, page end) zeroed. */
zx_status_t zx_vmo_set_size(const struct zx_handle *, uint64_t size,
    struct zx_err *);
/* zx_vmo_set_cache_policy, ZIRCON.md §9: the policy is checked before the
 * handle; MAP right; a file-backed VMO takes only CACHED. */
zx_status_t zx_vmo_set_cache_policy(const struct zx_handle *, uint32_t policy,
    struct zx_err *);

const char *zx_cache_policy_name(uint32_t);

/* What object-info shows (ZX_INFO_VMO, reduced): needs INSPECT. */
struct zx_vmo_info {
	uint64_t koid, size, content_size, committed, parent_koid, children;
	uint32_t cache_policy;
	zx_rights_t rights;
};
zx_status_t zx_vmo_info(const struct zx_handle *, struct zx_vmo_info *,
    struct zx_err *);

#endif
