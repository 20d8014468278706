/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdlib.h>

#include "core/vmo.h"

#define PAGE_MASK ((uint64_t)ZX_PAGE_SIZE - 1)

zx_status_t
zx_handle_check(const struct zx_handle *h, uint32_t type, zx_rights_t need,
    struct zx_err *err)
{
	if (h != NULL && h->lookup_err != NULL && h->lookup_err->status != ZX_OK)
		return zx_fail(err, h->lookup_err->status, "%s", h->lookup_err->msg);
	if (h == NULL || h->type == ZX_OBJ_TYPE_NONE)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "'%s' is not a handle",
		    h && h->name ? h->name : "?");
	if (h->type != type)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is not a %s", h->name,
		    type == ZX_OBJ_TYPE_VMO ? "VMO" : "process");
	for (size_t i = 0; i < zx_right_names_len; i++) {
		char upper[32];
		size_t k;

		if (!(need & zx_right_names[i].bit) || (h->rights & zx_right_names[i].bit))
			continue;
		/* ZX_RIGHT_GET_PROPERTY is named GET_PROPERTY. */
		for (k = 0; zx_right_names[i].name[k] && k < sizeof(upper) - 1; k++)
			upper[k] = zx_right_names[i].name[k] == '-' ? '_' :
			    (char)(zx_right_names[i].name[k] - 'a' + 'A');
		upper[k] = '\0';
		return zx_fail(err, ZX_ERR_ACCESS_DENIED,
		    "handle '%s' lacks the %s right", h->name, upper);
	}
	return ZX_OK;
}

/* The object's state, fresh, locked until end() (ZIRCON §9a: read under
 * the VMO's lock at every call, through every handle). */
static zx_status_t
begin(const struct zx_handle *h, bool exclusive, struct zx_err *err)
{
	if (h->vmo->ops->begin == NULL)
		return ZX_OK;
	return h->vmo->ops->begin(h->vmo, exclusive, err);
}

static zx_status_t
end(const struct zx_handle *h, zx_status_t st)
{
	if (h->vmo->ops->end != NULL)
		h->vmo->ops->end(h->vmo);
	return st;
}

zx_status_t
zx_vmo_round_size(uint64_t size, uint64_t *rounded, struct zx_err *err)
{
	uint64_t r;

	if (size > UINT64_MAX - PAGE_MASK)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " overflows when rounded up to a page", size);
	r = (size + PAGE_MASK) & ~PAGE_MASK;
	if (r > ZX_VMO_MAX_SIZE)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " is over the largest VMO, %#llx", size,
		    ZX_VMO_MAX_SIZE);
	*rounded = r;
	return ZX_OK;
}

/* Steps 4-7 of zx_vmo_read/write (ReadWriteInternal): overflow, cache
 * policy, range. */
static zx_status_t
check_range(const struct zx_vmo *vmo, uint64_t off, uint64_t len,
    struct zx_err *err)
{
	uint64_t end;

	if (__builtin_add_overflow(off, len, &end))
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "offset %#" PRIx64 " + size %" PRIu64 " overflows 64 bits",
		    off, len);
	if (vmo->cache_policy != ZX_CACHE_POLICY_CACHED)
		return zx_fail(err, ZX_ERR_BAD_STATE,
		    "the VMO is not cached (cache policy %s)",
		    zx_cache_policy_name(vmo->cache_policy));
	if (end > vmo->size)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "offset %#" PRIx64 " + size %" PRIu64
		    " is past the VMO size %#" PRIx64, off, len, vmo->size);
	return ZX_OK;
}

zx_status_t
zx_vmo_read(const struct zx_handle *h, uint64_t off, uint64_t len,
    uint8_t **out, struct zx_err *err)
{
	zx_status_t st;
	uint8_t *buf;

	*out = NULL;
	/* On ZX_OK the check leaves the read begun; end() below closes it. */
	if ((st = zx_vmo_read_check(h, off, len, err)) != ZX_OK)
		return st;
	if (len > SIZE_MAX - 1 || (buf = malloc(len ? len : 1)) == NULL)
		return end(h, zx_fail(err, ZX_ERR_NO_MEMORY, "cannot allocate %"
		    PRIu64 " bytes to read into", len));
	if (len > 0 && (st = h->vmo->ops->read(h->vmo, off, buf, len, err)) != ZX_OK) {
		free(buf);
		return end(h, st);
	}
	*out = buf;
	return end(h, ZX_OK);
}

zx_status_t
zx_vmo_read_check(const struct zx_handle *h, uint64_t off, uint64_t len,
    struct zx_err *err)
{
	zx_status_t st;

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ, err)) != ZX_OK)
		return st;
	if ((st = begin(h, false, err)) != ZX_OK)
		return st;
	if ((st = check_range(h->vmo, off, len, err)) != ZX_OK)
		return end(h, st);
	return ZX_OK;
}

void
zx_vmo_read_done(const struct zx_handle *h)
{
	(void)end(h, ZX_OK);
}

zx_status_t
zx_vmo_read_piece(const struct zx_handle *h, uint64_t off, void *buf,
    size_t len, struct zx_err *err)
{
	if (len == 0)
		return ZX_OK;
	return h->vmo->ops->read(h->vmo, off, buf, len, err);
}

zx_status_t
zx_vmo_copy_out(const struct zx_handle *h, uint64_t off, uint64_t len, int out,
    uint64_t *done, struct zx_err *err)
{
	*done = 0;
	if (h->vmo->ops->copy_out == NULL)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "no copy path");
	return h->vmo->ops->copy_out(h->vmo, off, len, out, done, err);
}

zx_status_t
zx_vmo_write(const struct zx_handle *h, uint64_t off,
    const struct zx_bytes *src, struct zx_err *err)
{
	zx_status_t st;
	uint64_t len = zx_bytes_size(src);

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	/* Shared: writers run side by side; a resize waits for them, so no
	 * write lands past an end another process just set. */
	if ((st = begin(h, false, err)) != ZX_OK)
		return st;
	if ((st = check_range(h->vmo, off, len, err)) != ZX_OK || len == 0)
		return end(h, st);
	return end(h, h->vmo->ops->write(h->vmo, off, src, err));
}

zx_status_t
zx_vmo_get_size(const struct zx_handle *h, uint64_t *size, struct zx_err *err)
{
	zx_status_t st;

	/* "no rights check, anyone should be able to get the size" */
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, 0, err)) != ZX_OK)
		return st;
	if ((st = begin(h, false, err)) != ZX_OK)
		return st;
	*size = h->vmo->size;
	return end(h, ZX_OK);
}

zx_status_t
zx_vmo_set_size(const struct zx_handle *h, uint64_t size, struct zx_err *err)
{
	zx_status_t st;
	uint64_t rounded;

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	if ((st = begin(h, true, err)) != ZX_OK)
		return st;
	/* "Only validate the RESIZE right if the VMO is resizable." */
	if (h->vmo->resizable && !(h->rights & ZX_RIGHT_RESIZE))
		return end(h, zx_fail(err, ZX_ERR_ACCESS_DENIED,
		    "handle '%s' lacks the RESIZE right", h->name));
	if (size > UINT64_MAX - PAGE_MASK)
		return end(h, zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " overflows when rounded up to a page", size));
	if (!h->vmo->resizable || h->vmo->ops->set_size == NULL)
		return end(h, zx_fail(err, ZX_ERR_UNAVAILABLE, "the VMO behind "
		    "'%s' was not created resizable", h->name));
	if ((st = zx_vmo_round_size(size, &rounded, err)) != ZX_OK)
		return end(h, st);
	/* A child's range stays relative to its root: one that would run
	 * past 2^64 there is refused, as the cow-pages resize does. */
	if (rounded > UINT64_MAX - h->vmo->root_offset)
		return end(h, zx_fail(err, ZX_ERR_INVALID_ARGS, "size %#" PRIx64
		    " overflows at the root (the VMO is at %#" PRIx64 " in it)",
		    rounded, h->vmo->root_offset));
	/* SetSize ignores ZeroRange's status: on an uncached VMO the zeroing
	 * write fails, so the tail keeps its bytes (ZIRCON §5 step 6). */
	return end(h, h->vmo->ops->set_size(h->vmo, rounded, size,
	    h->vmo->cache_policy == ZX_CACHE_POLICY_CACHED, err));
}

static const char *const policy_names[] = {
	"cached", "uncached", "uncached-device", "write-combining",
};

zx_status_t
zx_vmo_set_cache_policy(const struct zx_handle *h, uint64_t policy,
    struct zx_err *err)
{
	zx_status_t st;
	struct zx_vmo *v;

	/* The syscall takes a uint32_t: wider values fail the mask too. */
	if (policy & ~(uint64_t)3)
		return zx_fail(err, ZX_ERR_INVALID_ARGS,
		    "cache policy %#" PRIx64 " is not one of 0-3", policy);
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP, err)) != ZX_OK)
		return st;
	v = h->vmo;
	if (v->ops->set_cache_policy == NULL) {
		if (policy == ZX_CACHE_POLICY_CACHED)
			return ZX_OK;
		return zx_fail(err, ZX_ERR_BAD_STATE, "'%s' is backed by a file, "
		    "which takes only the cached policy, not %s", h->name,
		    policy_names[policy]);
	}
	if ((st = begin(h, true, err)) != ZX_OK)
		return st;
	if (v->ops->mappings != NULL && v->ops->mappings(v) > 0)
		return end(h, zx_fail(err, ZX_ERR_BAD_STATE, "the VMO (koid %"
		    PRIu64 ") is mapped by a process; its cache policy cannot "
		    "change", v->koid));
	if (v->children > 0)
		return end(h, zx_fail(err, ZX_ERR_BAD_STATE, "the VMO (koid %"
		    PRIu64 ") has %" PRIu64 " children; its cache policy cannot "
		    "change", v->koid, v->children));
	if (v->parent_koid != 0)
		return end(h, zx_fail(err, ZX_ERR_BAD_STATE, "the VMO (koid %"
		    PRIu64 ") is a child of koid %" PRIu64 "; its cache policy "
		    "cannot change", v->koid, v->parent_koid));
	if (v->discardable && policy != ZX_CACHE_POLICY_CACHED)
		return end(h, zx_fail(err, ZX_ERR_BAD_STATE, "a discardable VMO "
		    "takes only the cached policy, not %s", policy_names[policy]));
	return end(h, v->ops->set_cache_policy(v, (uint32_t)policy, err));
}

const char *
zx_cache_policy_name(uint32_t policy)
{
	return policy < 4 ? policy_names[policy] : "?";
}

/* InRange of range_check.h. */
static bool
in_range(uint64_t off, uint64_t len, uint64_t max)
{
	uint64_t end;

	return !__builtin_add_overflow(off, len, &end) && off <= max && end <= max;
}

static zx_status_t
range_error(uint64_t off, uint64_t len, uint64_t size, struct zx_err *err)
{
	uint64_t end;

	if (__builtin_add_overflow(off, len, &end))
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "offset %#" PRIx64
		    " + size %" PRIu64 " overflows 64 bits", off, len);
	return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "offset %#" PRIx64 " + size %"
	    PRIu64 " is past the VMO size %#" PRIx64, off, len, size);
}

static zx_status_t
need_rights(const struct zx_handle *h, zx_rights_t any, const char *what,
    struct zx_err *err)
{
	if (h->rights & any)
		return ZX_OK;
	return zx_fail(err, ZX_ERR_ACCESS_DENIED, "handle '%s' lacks the %s "
	    "right", h->name, what);
}

/* COMMIT and PREFETCH: the range rounded out to pages. */
static zx_status_t
page_range(const struct zx_vmo *v, uint64_t off, uint64_t len, uint64_t *start,
    uint64_t *stop, struct zx_err *err)
{
	uint64_t end;

	if (__builtin_add_overflow(off, len, &end) || end > UINT64_MAX - PAGE_MASK)
		return range_error(off, len, v->size, err);
	*start = off & ~PAGE_MASK;
	*stop = (end + PAGE_MASK) & ~PAGE_MASK;
	if (!in_range(*start, *stop - *start, v->size))
		return range_error(off, len, v->size, err);
	return ZX_OK;
}

/* LOCK, TRY_LOCK, UNLOCK, and the zxmem DISCARD. */
static zx_status_t
lock_op(const struct zx_handle *h, uint32_t op, uint64_t off, uint64_t len,
    struct zx_vmo_lock_state *ls, struct zx_err *err)
{
	struct zx_vmo *v = h->vmo;
	uint64_t end;

	if (!v->discardable)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "the VMO behind '%s' is "
		    "not discardable", h->name);
	if (__builtin_add_overflow(off, len, &end))
		return range_error(off, len, v->size, err);
	/* Only the whole VMO is locked and unlocked. */
	if (off != 0 || len != v->size)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "a discardable VMO is "
		    "locked whole: offset 0, size %#" PRIx64 " (not %#" PRIx64
		    " + %" PRIu64 ")", v->size, off, len);
	switch (op) {
	case ZX_VMO_OP_LOCK:
		ls->offset = 0;
		ls->size = v->size;
		ls->discarded_offset = 0;
		ls->discarded_size = v->discarded ? v->size : 0;
		return v->ops->set_lock(v, v->lock_count + 1, false, err);
	case ZX_VMO_OP_TRY_LOCK:
		if (v->discarded)
			return zx_fail(err, ZX_ERR_UNAVAILABLE, "the VMO behind '%s' "
			    "was discarded", h->name);
		ls->offset = 0;
		ls->size = v->size;
		ls->discarded_offset = ls->discarded_size = 0;
		return v->ops->set_lock(v, v->lock_count + 1, false, err);
	case ZX_VMO_OP_UNLOCK:
		if (v->lock_count == 0)
			return zx_fail(err, ZX_ERR_BAD_STATE, "the VMO behind '%s' is "
			    "not locked", h->name);
		return v->ops->set_lock(v, v->lock_count - 1, v->discarded, err);
	default:   /* DISCARD: what the kernel's reclaim does */
		if (v->lock_count > 0)
			return zx_fail(err, ZX_ERR_BAD_STATE, "the VMO behind '%s' is "
			    "locked (%u); only an unlocked VMO can be discarded",
			    h->name, v->lock_count);
		if (v->discarded)
			return ZX_OK;
		if (v->size > 0 && v->ops->range(v, ZX_VMO_OP_DISCARD, 0, v->size,
		    err) != ZX_OK)
			return err->status;
		return v->ops->set_lock(v, 0, true, err);
	}
}

static zx_status_t
op_range_locked(const struct zx_handle *h, uint32_t op, uint64_t off,
    uint64_t len, bool gate, struct zx_vmo_lock_state *ls, struct zx_err *err)
{
	struct zx_vmo *v = h->vmo;
	uint64_t start = 0, stop = 0;
	zx_status_t st;

	switch (op) {
	case ZX_VMO_OP_COMMIT:
	case ZX_VMO_OP_PREFETCH:
		if ((st = need_rights(h, op == ZX_VMO_OP_COMMIT ? ZX_RIGHT_WRITE :
		    ZX_RIGHT_READ, op == ZX_VMO_OP_COMMIT ? "WRITE" : "READ",
		    err)) != ZX_OK)
			return st;
		if ((st = page_range(v, off, len, &start, &stop, err)) != ZX_OK)
			return st;
		if (stop == start || op == ZX_VMO_OP_PREFETCH || v->ops->range == NULL)
			return ZX_OK;
		return v->ops->range(v, ZX_VMO_OP_COMMIT, start, stop - start, err);
	case ZX_VMO_OP_DECOMMIT:
		if ((st = need_rights(h, ZX_RIGHT_WRITE, "WRITE", err)) != ZX_OK)
			return st;
		if (!in_range(off, len, v->size))
			return range_error(off, len, v->size, err);
		if (len == 0)
			return ZX_OK;
		/* A copy-on-write parent or child: VmCowPages has a parent. */
		if (v->kind == ZX_VMO_KIND_SNAPSHOT || v->snapshots > 0 ||
		    v->ops->range == NULL)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' %s: its "
			    "pages cannot be decommitted", h->name,
			    v->ops->range == NULL ? "is a file" :
			    v->snapshots > 0 ? "has snapshot children" :
			    "is a snapshot child");
		if ((off & PAGE_MASK) || (len & PAGE_MASK))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "decommit needs a "
			    "page-aligned offset and size (%#" PRIx64 " + %#" PRIx64
			    ")", off, len);
		return v->ops->range(v, ZX_VMO_OP_DECOMMIT, off, len, err);
	case ZX_VMO_OP_LOCK:
	case ZX_VMO_OP_TRY_LOCK:
	case ZX_VMO_OP_UNLOCK:
		if ((st = need_rights(h, ZX_RIGHT_READ | ZX_RIGHT_WRITE,
		    "READ or WRITE", err)) != ZX_OK)
			return st;
		return lock_op(h, op, off, len, ls, err);
	case ZX_VMO_OP_DISCARD:
		if ((st = need_rights(h, ZX_RIGHT_WRITE, "WRITE", err)) != ZX_OK)
			return st;
		return lock_op(h, op, off, len, ls, err);
	case ZX_VMO_OP_CACHE_INVALIDATE:
		if (!gate)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "cache-invalidate "
			    "needs kernel.enable-debugging-syscalls=true");
		if ((st = need_rights(h, ZX_RIGHT_WRITE, "WRITE", err)) != ZX_OK)
			return st;
		goto cache;
	case ZX_VMO_OP_CACHE_SYNC:
	case ZX_VMO_OP_CACHE_CLEAN:
	case ZX_VMO_OP_CACHE_CLEAN_INVALIDATE:
		if ((st = need_rights(h, ZX_RIGHT_READ, "READ", err)) != ZX_OK)
			return st;
cache:
		if (len == 0)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "a cache op needs a "
			    "size above 0");
		if (!in_range(off, len, v->size))
			return range_error(off, len, v->size, err);
		return ZX_OK;
	case ZX_VMO_OP_ZERO:
		if ((st = need_rights(h, ZX_RIGHT_WRITE, "WRITE", err)) != ZX_OK)
			return st;
		if (len == 0)
			return ZX_OK;
		/* Every check before the first byte changes (a refused zero
		 * changes nothing). */
		if (v->cache_policy != ZX_CACHE_POLICY_CACHED)
			return zx_fail(err, ZX_ERR_BAD_STATE, "the VMO is not cached "
			    "(cache policy %s)", zx_cache_policy_name(v->cache_policy));
		if (!in_range(off, len, v->size))
			return range_error(off, len, v->size, err);
		return v->ops->range(v, ZX_VMO_OP_ZERO, off, len, err);
	case ZX_VMO_OP_DONT_NEED:
	case ZX_VMO_OP_ALWAYS_NEED:
		/* "Ignore hints for non user-pager-backed VMOs." */
		return ZX_OK;
	default:
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "%u is not a VMO op", op);
	}
}

zx_status_t
zx_vmo_op_range(const struct zx_handle *h, uint32_t op, uint64_t off,
    uint64_t len, bool gate, struct zx_vmo_lock_state *ls, struct zx_err *err)
{
	zx_status_t st;
	bool excl;

	/* GetDispatcherAndRights: no right yet; each op checks its own. */
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, 0, err)) != ZX_OK)
		return st;
	excl = op == ZX_VMO_OP_LOCK || op == ZX_VMO_OP_TRY_LOCK ||
	    op == ZX_VMO_OP_UNLOCK || op == ZX_VMO_OP_DISCARD;
	if ((st = begin(h, excl, err)) != ZX_OK)
		return st;
	return end(h, op_range_locked(h, op, off, len, gate, ls, err));
}

/* The snapshot type by priority; 0: none given. */
static uint32_t
snapshot_type(uint32_t options)
{
	static const uint32_t order[] = { ZX_VMO_CHILD_SNAPSHOT,
	    ZX_VMO_CHILD_SNAPSHOT_AT_LEAST_ON_WRITE,
	    ZX_VMO_CHILD_SNAPSHOT_MODIFIED };

	for (size_t i = 0; i < 3; i++)
		if (options & order[i])
			return order[i];
	return 0;
}

static zx_status_t
child_checks(const struct zx_handle *h, uint32_t options, uint64_t offset,
    uint64_t size, struct zx_vmo_child_req *req, struct zx_err *err)
{
	const struct zx_vmo *v = h->vmo;
	uint64_t end, root_end;

	if (v->discardable)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is discardable: it "
		    "cannot have children", h->name);
	if (v->ops->create_child == NULL)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is a file, not a "
		    "VMO of the namespace: it cannot have children", h->name);
	req->resizable = (options & ZX_VMO_CHILD_RESIZABLE) != 0;
	if (options & ZX_VMO_CHILD_SLICE) {
		if (options & ~ZX_VMO_CHILD_SLICE)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "slice takes no other "
			    "option");
		if (offset & PAGE_MASK)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "offset %#" PRIx64
			    " is not page-aligned", offset);
		if (size > ZX_VMO_MAX_SIZE)
			return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "size %#" PRIx64
			    " is over the largest VMO", size);
		if (!in_range(offset, size, v->size))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "a slice must lie "
			    "inside its parent: offset %#" PRIx64 " + size %#" PRIx64
			    " is past %#" PRIx64, offset, size, v->size);
		if (v->resizable)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is resizable: "
			    "it cannot have slices", h->name);
		if (v->cache_policy != ZX_CACHE_POLICY_CACHED)
			return zx_fail(err, ZX_ERR_BAD_STATE, "'%s' is not cached",
			    h->name);
		req->kind = ZX_VMO_KIND_SLICE;
	} else if (options & ZX_VMO_CHILD_REFERENCE) {
		if (options & ~(ZX_VMO_CHILD_REFERENCE | ZX_VMO_CHILD_RESIZABLE))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "reference takes only "
			    "resizable besides");
		if (offset != 0 || size != 0)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "a reference covers "
			    "the whole VMO: offset and size must be 0");
		if (v->kind == ZX_VMO_KIND_SLICE)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is a slice: it "
			    "cannot have references", h->name);
		if (req->resizable && !v->resizable)
			return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "a resizable "
			    "reference needs a resizable parent");
		if (v->cache_policy != ZX_CACHE_POLICY_CACHED)
			return zx_fail(err, ZX_ERR_BAD_STATE, "'%s' is not cached",
			    h->name);
		req->kind = ZX_VMO_KIND_REFERENCE;
		req->resizable = v->resizable;
	} else {
		uint32_t type = snapshot_type(options);

		if (type == 0)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "give one of snapshot, "
			    "snapshot-at-least-on-write, snapshot-modified, slice, "
			    "reference");
		if (options & ~(type | ZX_VMO_CHILD_RESIZABLE))
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "one snapshot type at "
			    "a time (and no slice or reference with it)");
		if (offset & PAGE_MASK)
			return zx_fail(err, ZX_ERR_INVALID_ARGS, "offset %#" PRIx64
			    " is not page-aligned", offset);
		if (size > ZX_VMO_MAX_SIZE)
			return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "size %#" PRIx64
			    " is over the largest VMO", size);
		if (__builtin_add_overflow(offset, size, &end))
			return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "offset %#" PRIx64
			    " + size %#" PRIx64 " overflows 64 bits", offset, size);
		if (v->cache_policy != ZX_CACHE_POLICY_CACHED)
			return zx_fail(err, ZX_ERR_BAD_STATE, "'%s' is not cached",
			    h->name);
		req->kind = ZX_VMO_KIND_SNAPSHOT;
	}
	/* Offsets stay relative to the root: overflow along a chain fails. */
	if (__builtin_add_overflow(v->root_offset, offset, &req->root_offset) ||
	    __builtin_add_overflow(req->root_offset, size, &root_end))
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "offset %#" PRIx64 " + "
		    "size %#" PRIx64 " overflows at the root (the parent is at %#"
		    PRIx64 " in it)", offset, size, v->root_offset);
	return ZX_OK;
}

zx_status_t
zx_vmo_create_child(const struct zx_handle *h, uint32_t options,
    uint64_t offset, uint64_t size, const char *name, char *out, size_t outlen,
    struct zx_err *err)
{
	struct zx_vmo_child_req req = { 0 };
	zx_rights_t need = ZX_RIGHT_DUPLICATE | ZX_RIGHT_READ;
	uint64_t rounded;
	bool no_write;
	zx_status_t st;

	/* Before the handle lookup, as Zircon. */
	if ((st = zx_vmo_round_size(size, &rounded, err)) != ZX_OK)
		return st;
	if ((options & ZX_VMO_CHILD_NO_WRITE) && (options & ZX_VMO_CHILD_RESIZABLE))
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "no-write and resizable "
		    "exclude each other");
	no_write = (options & ZX_VMO_CHILD_NO_WRITE) != 0;
	options &= ~ZX_VMO_CHILD_NO_WRITE;
	if ((options & ZX_VMO_CHILD_REFERENCE) && (options & ZX_VMO_CHILD_RESIZABLE))
		need |= ZX_RIGHT_RESIZE;
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, need, err)) != ZX_OK)
		return st;
	if ((st = begin(h, false, err)) != ZX_OK)
		return st;
	if ((st = child_checks(h, options, offset, rounded, &req, err)) != ZX_OK)
		return end(h, st);
	req.offset = offset;
	req.size = req.kind == ZX_VMO_KIND_REFERENCE ? 0 : rounded;
	req.content_size = size;
	req.name = name;
	req.rights = (h->rights & ~ZX_RIGHT_RESIZE) |
	    (req.resizable ? ZX_RIGHT_RESIZE : 0) | ZX_RIGHT_GET_PROPERTY |
	    ZX_RIGHT_SET_PROPERTY;
	if (no_write) {
		req.rights &= ~ZX_RIGHT_WRITE;
		req.immutable = req.kind == ZX_VMO_KIND_SNAPSHOT;
	} else if (req.kind == ZX_VMO_KIND_SNAPSHOT) {
		req.rights &= ~ZX_RIGHT_EXECUTE;
		req.rights |= ZX_RIGHT_WRITE;
	}
	return end(h, h->vmo->ops->create_child(h->vmo, &req, out, outlen, err));
}

zx_status_t
zx_vmo_info(const struct zx_handle *h, struct zx_vmo_info *info,
    struct zx_err *err)
{
	struct zx_vmo *v;
	zx_status_t st;

	/* ZX_INFO_VMO: "No rights check performed". */
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, 0, err)) != ZX_OK)
		return st;
	if ((st = begin(h, false, err)) != ZX_OK)
		return st;
	v = h->vmo;
	info->koid = v->koid;
	info->size = v->size;
	info->content_size = v->content_size;
	info->committed = v->ops->committed ? v->ops->committed(v) : 0;
	info->cache_policy = v->cache_policy;
	info->rights = h->rights;
	info->parent_koid = v->parent_koid;
	info->children = v->children;
	info->mappings = v->ops->mappings ? v->ops->mappings(v) : 0;
	info->flags = ZX_INFO_VMO_TYPE_PAGED | ZX_INFO_VMO_VIA_HANDLE |
	    (v->resizable ? ZX_INFO_VMO_RESIZABLE : 0) |
	    (v->kind == ZX_VMO_KIND_SNAPSHOT ? ZX_INFO_VMO_IS_COW_CLONE : 0) |
	    (v->discardable ? ZX_INFO_VMO_DISCARDABLE : 0) |
	    (v->immutable ? ZX_INFO_VMO_IMMUTABLE : 0);
	return end(h, ZX_OK);
}
