#include <inttypes.h>
#include <stdlib.h>

#include "core/vmo.h"

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

zx_status_t
zx_vmo_set_size(const struct zx_handle *h, uint64_t size, struct zx_err *err)
{
	zx_status_t st;
	uint64_t rounded;

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	/* "Only validate the RESIZE right if the VMO is resizable." */
	if (h->vmo->resizable && !(h->rights & ZX_RIGHT_RESIZE))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED,
		    "handle '%s' lacks the RESIZE right", h->name);
	if (size > UINT64_MAX - (ZX_PAGE_SIZE - 1))
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "size %#" PRIx64 " overflows when rounded up to a page", size);
	if (!h->vmo->resizable || h->vmo->ops->set_size == NULL)
		return zx_fail(err, ZX_ERR_UNAVAILABLE, "the VMO behind '%s' was "
		    "not created resizable", h->name);
	if ((st = zx_vmo_round_size(size, &rounded, err)) != ZX_OK)
		return st;
	return h->vmo->ops->set_size(h->vmo, rounded, size, err);
}

static const char *const policy_names[] = {
	"cached", "uncached", "uncached-device", "write-combining",
};

zx_status_t
zx_vmo_set_cache_policy(const struct zx_handle *h, uint32_t policy,
    struct zx_err *err)
{
	zx_status_t st;

	if (policy & ~(uint32_t)3)
		return zx_fail(err, ZX_ERR_INVALID_ARGS,
		    "cache policy %u is not one of 0-3", policy);
	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_MAP, err)) != ZX_OK)
		return st;
	if (h->vmo->ops->set_cache_policy == NULL) {
		if (policy == ZX_CACHE_POLICY_CACHED)
			return ZX_OK;
		return zx_fail(err, ZX_ERR_BAD_STATE, "'%s' is backed by a file, "
		    "which takes only the cached policy, not %s", h->name,
		    policy_names[policy]);
	}
	return h->vmo->ops->set_cache_policy(h->vmo, policy, err);
}

const char *
zx_cache_policy_name(uint32_t policy)
{
	return policy < 4 ? policy_names[policy] : "?";
}

zx_status_t
zx_vmo_info(const struct zx_handle *h, struct zx_vmo_info *info,
    struct zx_err *err)
{
	zx_status_t st;

	if ((st = zx_handle_check(h, ZX_OBJ_TYPE_VMO, ZX_RIGHT_INSPECT, err)) != ZX_OK)
		return st;
	info->koid = h->vmo->koid;
	info->size = h->vmo->size;
	info->content_size = h->vmo->content_size;
	info->committed = h->vmo->ops->committed ?
	    h->vmo->ops->committed(h->vmo) : 0;
	info->cache_policy = h->vmo->cache_policy;
	info->rights = h->rights;
	info->parent_koid = 0;
	info->children = 0;
	return ZX_OK;
}
