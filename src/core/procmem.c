#include <inttypes.h>

#include "core/procmem.h"

/* Steps 3 and 4 of SPEC §5, then the symbol: the handle lookup and its
 * rights, the address space's state, and only then the symbol (a zombie is
 * BAD_STATE whatever VADDR says). */
zx_status_t
zx_process_resolve(struct zx_aspace *as, struct zx_vaddr *va, zx_rights_t need,
    struct zx_err *err)
{
	zx_status_t st;
	uint64_t base;

	if ((st = as->ops->lookup(as, err)) != ZX_OK)
		return st;
	if ((need & ZX_RIGHT_WRITE) && !(as->rights & ZX_RIGHT_WRITE))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s",
		    as->no_write[0] ? as->no_write : "no WRITE right on the target");
	if ((need & ZX_RIGHT_READ) && !(as->rights & ZX_RIGHT_READ))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s",
		    as->no_read[0] ? as->no_read : "no READ right on the target");
	if ((st = as->ops->state(as, err)) != ZX_OK)
		return st;
	if (va->symbol == NULL)
		return ZX_OK;
	if ((st = as->ops->resolve(as, va->object, va->symbol, &base, err)) != ZX_OK)
		return st;
	if (va->negative ? base < va->delta : base > UINT64_MAX - va->delta)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "%s at %#" PRIx64 " %c %#" PRIx64 " wraps around the address space",
		    va->symbol, base, va->negative ? '-' : '+', va->delta);
	va->addr = va->negative ? base - va->delta : base + va->delta;
	return ZX_OK;
}

static zx_status_t
check_size(uint64_t len, struct zx_err *err)
{
	if (len == 0)
		return zx_fail(err, ZX_ERR_INVALID_ARGS, "buffer size is 0");
	if (len > ZX_MAX_DEBUG_BLOCK)
		return zx_fail(err, ZX_ERR_INVALID_ARGS,
		    "buffer size %" PRIu64 " is over the 64 MiB limit (%u bytes)",
		    len, ZX_MAX_DEBUG_BLOCK);
	return ZX_OK;
}

/* Steps 5-7: the one mapping holding vaddr, its protection, and the clamp
 * to that mapping and to its backing. */
static zx_status_t
locate(struct zx_aspace *as, bool writing, uint64_t vaddr, uint64_t len,
    struct zx_procmem_result *res, size_t *clamped, struct zx_err *err)
{
	struct zx_mapping *m = &res->map;
	zx_status_t st;
	uint64_t n;

	res->vaddr = vaddr;
	if ((st = as->ops->find(as, vaddr, m, err)) != ZX_OK)
		return st;
	if (writing && m->protected_)
		return zx_fail(err, ZX_ERR_ACCESS_DENIED,
		    "%#" PRIx64 " is in %s (%#" PRIx64 "-%#" PRIx64
		    "), which is protected: writes to the vDSO are refused",
		    vaddr, m->name[0] ? m->name : "a protected mapping",
		    m->start, m->end);
	if (vaddr >= m->backed_end)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "%#" PRIx64 " is past the backed part of the mapping %#" PRIx64
		    "-%#" PRIx64 " (backing ends at %#" PRIx64 ")",
		    vaddr, m->start, m->end, m->backed_end);
	n = m->backed_end - vaddr;
	*clamped = (size_t)(len < n ? len : n);
	return ZX_OK;
}

zx_status_t
zx_process_read_memory(struct zx_aspace *as, struct zx_vaddr *va, void *buf,
    size_t len, struct zx_procmem_result *res, struct zx_err *err)
{
	zx_status_t st;
	size_t n;

	res->actual = 0;
	if ((st = check_size(len, err)) != ZX_OK)
		return st;
	if ((st = zx_process_resolve(as, va, ZX_RIGHT_READ, err)) != ZX_OK)
		return st;
	if ((st = locate(as, false, va->addr, len, res, &n, err)) != ZX_OK)
		return st;
	if ((st = as->ops->read(as, &res->map, va->addr, buf, n, &res->actual,
	    err)) != ZX_OK)
		return st;
	if (res->actual == 0)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "nothing could be read at %#" PRIx64, va->addr);
	return ZX_OK;
}

zx_status_t
zx_process_write_memory(bool debugging_enabled, struct zx_aspace *as,
    struct zx_vaddr *va, const struct zx_bytes *src,
    struct zx_procmem_result *res, struct zx_err *err)
{
	zx_status_t st;
	size_t n;

	res->actual = 0;
	if (!debugging_enabled)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED,
		    "process writes are disabled: set "
		    "kernel.enable-debugging-syscalls=true (-k, "
		    "ZXMEM_KERNEL_CMDLINE or kernel.conf)");
	if ((st = check_size(zx_bytes_size(src), err)) != ZX_OK)
		return st;
	if ((st = zx_process_resolve(as, va, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	if ((st = locate(as, true, va->addr, zx_bytes_size(src), res, &n,
	    err)) != ZX_OK)
		return st;
	if ((st = as->ops->write(as, &res->map, va->addr, src, n, &res->actual,
	    err)) != ZX_OK)
		return st;
	if (res->actual == 0)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "nothing could be written at %#" PRIx64, va->addr);
	return ZX_OK;
}
