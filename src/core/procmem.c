/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "core/procmem.h"

static zx_status_t locate(struct zx_aspace *, bool, uint64_t, uint64_t,
    struct zx_procmem_result *, size_t *, struct zx_err *);

/* Put "what: " before the message already in err. */
static zx_status_t
err_prefix(struct zx_err *err, const char *what)
{
	char msg[sizeof(err->msg)];

	if (err == NULL)
		return ZX_ERR_INTERNAL;
	/* Cut to the message's size, the end of a long name dropped. */
	if (snprintf(msg, sizeof(msg), "%s: %s", what, err->msg) < 0)
		return err->status;
	memcpy(err->msg, msg, sizeof(msg));
	return err->status;
}

/* A pointer's value, read under process-read-memory's rules. */
static zx_status_t
read_pointer(struct zx_aspace *as, uint64_t at, const struct zx_type *t,
    const char *name, uint64_t *out, struct zx_err *err)
{
	struct zx_procmem_result res;
	uint8_t b[8] = { 0 };
	char what[ZX_VADDR_MAX + 64];
	zx_status_t st;
	size_t n;

	snprintf(what, sizeof(what), "reading the pointer '%s' at %#" PRIx64,
	    name, at);
	if (!(as->rights & ZX_RIGHT_READ))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s: %s", what,
		    as->no_read[0] ? as->no_read : "no READ right on the target");
	if (t->size != 4 && t->size != 8)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "%s: %" PRIu64 "-byte "
		    "pointers are not supported", what, t->size);
	if ((st = locate(as, false, at, t->size, &res, &n, err)) != ZX_OK)
		return err_prefix(err, what);
	if (n == t->size && (st = as->ops->read(as, &res.map, at, b, n,
	    &res.actual, err)) != ZX_OK)
		return err_prefix(err, what);
	if (n < t->size || res.actual < t->size)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "%s: only %zu of its %"
		    PRIu64 " bytes are in the mapping", what, n, t->size);
	if (t->size == 4) {
		uint32_t v;

		memcpy(&v, b, 4);
		*out = v;
	} else {
		memcpy(out, b, 8);
	}
	return ZX_OK;
}

static const char *
tname(const struct zx_type *t)
{
	return t == NULL ? "void" : t->name;
}

/* The postfix steps and dereferences of SPEC §10 over EXPR's type, from
 * the symbol's address. name grows with the steps, for messages. */
static zx_status_t
eval_steps(struct zx_aspace *as, struct zx_vaddr *va, const struct zx_type *t,
    uint64_t *addrp, struct zx_err *err)
{
	char name[ZX_VADDR_MAX + 8];
	uint64_t addr = *addrp;
	zx_status_t st;

	snprintf(name, sizeof(name), "%s", va->symbol);
	for (size_t i = 0; i < va->nsteps; i++) {
		const struct zx_step *sp = &va->steps[i];
		const struct zx_member *m;
		uint64_t off = 0, ptr;
		size_t nl = strlen(name);

		va->bit_size = 0;
		va->bit_offset = 0;
		switch (sp->op) {
		case ZX_STEP_ARROW:
		case ZX_STEP_DEREF:
			if (t == NULL || t->kind != ZX_T_POINTER)
				return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is %s%s, "
				    "not a pointer%s", name, t ? "of type " : "",
				    t ? tname(t) : "untyped", sp->op == ZX_STEP_ARROW ?
				    " (use '.' for a member)" : "");
			if (t->target == NULL || t->target->kind == ZX_T_VOID)
				return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is %s: "
				    "it points to no type", name, tname(t));
			if ((st = read_pointer(as, addr, t, name, &ptr, err)) != ZX_OK)
				return st;
			addr = ptr;
			t = t->target;
			if (sp->op == ZX_STEP_DEREF) {
				memmove(name + 2, name, nl + 1);
				name[0] = '(';
				name[1] = '*';
				strlcat(name, ")", sizeof(name));
				break;
			}
			/* FALLTHROUGH */
		case ZX_STEP_FIELD:
			if (t->kind != ZX_T_STRUCT && t->kind != ZX_T_UNION)
				return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is of type "
				    "%s, not a struct or union%s", name, tname(t),
				    t->kind == ZX_T_POINTER && sp->op == ZX_STEP_FIELD ?
				    " (use '->' for a pointer)" : "");
			if ((m = zx_type_member(t, sp->name, &off)) == NULL)
				return zx_fail(err, ZX_ERR_NOT_FOUND, "%s ('%s') has no "
				    "member '%s'", tname(t), name, sp->name);
			if (addr > UINT64_MAX - off)
				return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "'%s.%s' wraps "
				    "around the address space", name, sp->name);
			addr += off;
			t = m->type;
			va->bit_offset = m->bit_offset;
			va->bit_size = m->bit_size;
			snprintf(name + nl, sizeof(name) - nl, "%s%s",
			    sp->op == ZX_STEP_ARROW ? "->" : ".", sp->name);
			break;
		case ZX_STEP_INDEX: {
			const struct zx_type *elem;

			if (t != NULL && t->kind == ZX_T_ARRAY) {
				if (t->count_known && sp->index >= t->count)
					return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "index %"
					    PRIu64 " is past the end of '%s' (%" PRIu64
					    " elements)", sp->index, name, t->count);
				elem = t->elem;
			} else if (t != NULL && t->kind == ZX_T_POINTER &&
			    t->target != NULL && t->target->kind != ZX_T_VOID) {
				if ((st = read_pointer(as, addr, t, name, &addr, err)) != ZX_OK)
					return st;
				elem = t->target;
			} else {
				return zx_fail(err, ZX_ERR_WRONG_TYPE, "'%s' is %s%s, not "
				    "an array or a typed pointer", name, t ? "of type " :
				    "", t ? tname(t) : "untyped");
			}
			if (elem == NULL || !elem->sized)
				return zx_fail(err, ZX_ERR_WRONG_TYPE, "the elements of "
				    "'%s' (%s) have no size", name, tname(t));
			if ((elem->size != 0 &&
			    sp->index > (UINT64_MAX - addr) / elem->size))
				return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "'%s[%" PRIu64
				    "]' is outside the address space", name, sp->index);
			addr += sp->index * elem->size;
			t = elem;
			snprintf(name + nl, sizeof(name) - nl, "[%" PRIu64 "]",
			    sp->index);
			break;
		}
		}
	}
	*addrp = addr;
	va->type = t;
	return ZX_OK;
}

/* Steps 3 and 4 of SPEC §5, then the symbol: the handle lookup and its
 * rights, the address space's state, and only then the symbol and its
 * expression (a zombie is BAD_STATE whatever VADDR says). */
zx_status_t
zx_process_resolve(struct zx_aspace *as, struct zx_vaddr *va, zx_rights_t need,
    struct zx_err *err)
{
	const struct zx_type *t = NULL;
	struct zx_types scratch = { 0 };
	struct zx_types *types;
	zx_status_t st;
	uint64_t base, size = 0;

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
	if (va->symbol == NULL || va->resolved)
		return ZX_OK;
	if ((st = as->ops->resolve(as, va->object, va->symbol, &base, err)) != ZX_OK)
		return st;
	/* The type is built in the caller's arena when it wants it, else in a
	 * scratch one that the steps alone need. */
	types = va->types != NULL ? va->types : va->nsteps > 0 ? &scratch : NULL;
	if (as->ops->describe != NULL && (st = as->ops->describe(as, va->object,
	    va->symbol, base, types, types ? &t : NULL, &size, err)) != ZX_OK)
		goto out;
	va->obj_size = size;
	if (t == NULL && (va->nsteps > 0 || va->need_type)) {
		st = zx_fail(err, ZX_ERR_NOT_FOUND, "no type information for '%s' "
		    "(compile with -g or install its debug package)", va->symbol);
		goto out;
	}
	if (t != NULL) {
		if ((st = eval_steps(as, va, t, &base, err)) != ZX_OK)
			goto out;
		t = va->type;
		va->obj_size = t->sized ? t->size : 0;
		if (va->bit_size != 0)
			va->obj_size = (va->bit_offset + va->bit_size + 7) / 8;
		if (types == &scratch)
			va->type = NULL;
	}
	if (va->negative ? base < va->delta : base > UINT64_MAX - va->delta) {
		st = zx_fail(err, ZX_ERR_OUT_OF_RANGE,
		    "%s at %#" PRIx64 " %c %#" PRIx64 " wraps around the address space",
		    va->expr, base, va->negative ? '-' : '+', va->delta);
		goto out;
	}
	va->addr = va->negative ? base - va->delta : base + va->delta;
	va->resolved = true;
out:
	zx_types_free(&scratch);
	return st;
}

bool
zx_process_label(struct zx_aspace *as, uint64_t addr, char *buf, size_t len)
{
	return as->ops->label != NULL && as->ops->label(as, addr, buf, len);
}

/* SPEC §10's bounds guard: DATA must stay inside the object VADDR names. */
static zx_status_t
bounds_guard(const struct zx_vaddr *va, uint64_t len, struct zx_err *err)
{
	if (va->force || va->symbol == NULL || va->obj_size == 0)
		return ZX_OK;
	if (va->negative && va->delta != 0)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "%" PRIu64 " bytes do not "
		    "fit in '%s' (%" PRIu64 " bytes at offset -%" PRIu64 "); "
		    "--force writes anyway", len, va->expr, va->obj_size, va->delta);
	if (va->delta > va->obj_size || len > va->obj_size - va->delta)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "%" PRIu64 " bytes do not "
		    "fit in '%s' (%" PRIu64 " bytes at offset %" PRIu64 "); "
		    "--force writes anyway", len, va->expr, va->obj_size, va->delta);
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
zx_process_read_check(struct zx_aspace *as, struct zx_vaddr *va, uint64_t len,
    struct zx_procmem_result *res, size_t *clamped, struct zx_err *err)
{
	zx_status_t st;

	res->actual = 0;
	*clamped = 0;
	if ((st = check_size(len, err)) != ZX_OK)
		return st;
	if ((st = zx_process_resolve(as, va, ZX_RIGHT_READ, err)) != ZX_OK)
		return st;
	return locate(as, false, va->addr, len, res, clamped, err);
}

zx_status_t
zx_process_read_piece(struct zx_aspace *as, const struct zx_procmem_result *res,
    uint64_t off, void *buf, size_t len, size_t *actual, struct zx_err *err)
{
	*actual = 0;
	return as->ops->read(as, &res->map, res->vaddr + off, buf, len, actual,
	    err);
}

zx_status_t
zx_process_copy_out(struct zx_aspace *as, const struct zx_procmem_result *res,
    uint64_t off, uint64_t len, int out, uint64_t *done, struct zx_err *err)
{
	*done = 0;
	if (as->ops->copy_out == NULL)
		return ZX_ERR_NOT_SUPPORTED;
	return as->ops->copy_out(as, &res->map, res->vaddr + off, len, out, done,
	    err);
}

zx_status_t
zx_process_read_memory(struct zx_aspace *as, struct zx_vaddr *va, void *buf,
    size_t len, struct zx_procmem_result *res, struct zx_err *err)
{
	zx_status_t st;
	size_t n;

	if ((st = zx_process_read_check(as, va, len, res, &n, err)) != ZX_OK)
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
	if ((st = bounds_guard(va, zx_bytes_size(src), err)) != ZX_OK)
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

/* A bitfield: the bytes that hold it are read, only its bits changed and
 * the bytes written back (a read-modify-write, as a debugger's: a bit
 * beside it that the program changes in between is written back as it
 * was). val holds the field's value in its low bits, 8 bytes. */
static zx_status_t
write_bits(struct zx_aspace *as, struct zx_vaddr *va,
    const struct zx_bytes *val, struct zx_procmem_result *res,
    struct zx_err *err)
{
	size_t n = ((size_t)va->bit_offset + va->bit_size + 7) / 8;
	struct zx_bytes data = { .len = n, .repeat = 1, .fd = -1 };
	struct zx_procmem_result rres;
	uint8_t span[16];
	uint64_t v;
	size_t got;
	zx_status_t st;

	if (val->in_file || val->len != 8 || n > sizeof(span))
		return zx_fail(err, ZX_ERR_INTERNAL, "a bitfield of %" PRIu32
		    " bits at bit %" PRIu32 " cannot be written", va->bit_size,
		    va->bit_offset);
	memcpy(&v, val->data, 8);
	/* The lookup zx_process_write_value just made serves the read; the
	 * write makes its own. */
	if (!(as->rights & ZX_RIGHT_READ))
		return zx_fail(err, ZX_ERR_ACCESS_DENIED, "%s", as->no_read[0] ?
		    as->no_read : "no READ right on the target");
	if ((st = locate(as, false, va->addr, n, &rres, &got, err)) != ZX_OK)
		return st;
	if ((st = as->ops->read(as, &rres.map, va->addr, span, got,
	    &rres.actual, err)) != ZX_OK)
		return st;
	if (rres.actual < n)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "only %zu of the %zu bytes "
		    "that hold the bitfield at %#" PRIx64 " can be read",
		    rres.actual, n, va->addr);
	for (uint32_t i = 0; i < va->bit_size; i++) {
		uint32_t b = va->bit_offset + i;
		uint8_t mask = (uint8_t)(1u << (b % 8));

		if (v >> i & 1)
			span[b / 8] |= mask;
		else
			span[b / 8] &= (uint8_t)~mask;
	}
	data.data = span;
	return zx_process_write_memory(true, as, va, &data, res, err);
}

zx_status_t
zx_process_write_value(bool debugging_enabled, struct zx_aspace *as,
    struct zx_vaddr *va, zx_encode_fn encode, void *arg,
    struct zx_procmem_result *res, struct zx_err *err)
{
	struct zx_bytes data;
	zx_status_t st;

	res->actual = 0;
	if (!debugging_enabled)
		return zx_process_write_memory(false, as, va, NULL, res, err);
	va->need_type = true;
	if ((st = zx_process_resolve(as, va, ZX_RIGHT_WRITE, err)) != ZX_OK)
		return st;
	if ((st = encode(arg, va, &data, err)) != ZX_OK)
		return st;
	if (va->bit_size != 0)
		return write_bits(as, va, &data, res, err);
	return zx_process_write_memory(true, as, va, &data, res, err);
}
