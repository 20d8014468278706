#include <inttypes.h>
#include <stdlib.h>

#include "core/vmo.h"

zx_status_t
zx_handle_check(const struct zx_handle *h, uint32_t type, zx_rights_t need,
    struct zx_err *err)
{
	static const struct {
		zx_rights_t bit;
		const char *name;
	} named[] = {
		{ ZX_RIGHT_READ, "READ" }, { ZX_RIGHT_WRITE, "WRITE" },
		{ ZX_RIGHT_DUPLICATE, "DUPLICATE" }, { ZX_RIGHT_MAP, "MAP" },
		{ ZX_RIGHT_RESIZE, "RESIZE" }, { ZX_RIGHT_EXECUTE, "EXECUTE" },
	};

	if (h != NULL && h->lookup_err != NULL && h->lookup_err->status != ZX_OK)
		return zx_fail(err, h->lookup_err->status, "%s", h->lookup_err->msg);
	if (h == NULL || h->type == ZX_OBJ_TYPE_NONE)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "'%s' is not a handle",
		    h && h->name ? h->name : "?");
	if (h->type != type)
		return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is not a %s", h->name,
		    type == ZX_OBJ_TYPE_VMO ? "VMO" : "process");
	if ((h->rights & need) != need) {
		for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
			if ((need & named[i].bit) && !(h->rights & named[i].bit))
				return zx_fail(err, ZX_ERR_ACCESS_DENIED,
				    "handle '%s' lacks the %s right", h->name,
				    named[i].name);
		return zx_fail(err, ZX_ERR_ACCESS_DENIED,
		    "handle '%s' lacks a required right", h->name);
	}
	return ZX_OK;
}

zx_status_t
zx_vmo_round_size(uint64_t size, uint64_t *rounded, struct zx_err *err)
{
	uint64_t r;

	if (size > UINT64_MAX - (ZX_PAGE_SIZE - 1))
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " overflows when rounded up to a page", size);
	r = (size + ZX_PAGE_SIZE - 1) & ~(uint64_t)(ZX_PAGE_SIZE - 1);
	if (r > ZX_VMO_MAX_SIZE)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " is over the largest VMO, %#llx", size,
		    ZX_VMO_MAX_SIZE);
	*rounded = r;
	return ZX_OK;
}

/* Steps 4-7 of zx_vmo_read/write (ReadWriteInternal): overflow, cache
 * policy, range; ZX_ERR_NEXT-like 1 means "nothing to copy". */
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
		    "the VMO is not cached (cache policy %u)", vmo->cache_policy);
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
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_READ, err)) != ZX_OK)
		return st;
	if ((st = check_range(h->vmo, off, len, err)) != ZX_OK)
		return st;
	if (len > SIZE_MAX - 1 || (buf = malloc(len ? len : 1)) == NULL)
		return zx_fail(err, ZX_ERR_NO_MEMORY, "cannot allocate %" PRIu64
		    " bytes to read into", len);
	if (len > 0 && (st = h->vmo->ops->read(h->vmo, off, buf, len, err)) != ZX_OK) {
		free(buf);
		return st;
	}
	*out = buf;
	return ZX_OK;
}

zx_status_t
zx_vmo_write(const struct zx_handle *h, uint64_t off,
    const struct zx_bytes *src, struct zx_err *err)
{
	zx_status_t st;
	uint64_t len = zx_bytes_size(src);

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	if ((st = check_range(h->vmo, off, len, err)) != ZX_OK)
		return st;
	if (len == 0)
		return ZX_OK;
	return h->vmo->ops->write(h->vmo, off, src, err);
}

zx_status_t
zx_vmo_get_size(const struct zx_handle *h, uint64_t *size, struct zx_err *err)
{
	zx_status_t st;

	/* "no rights check, anyone should be able to get the size" */
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, 0, err)) != ZX_OK)
		return st;
	*size = h->vmo->size;
	return ZX_OK;
}
