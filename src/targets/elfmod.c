/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The binary's side of zxmem-elf.so (elfmod.h): each function loads the
 * module on first use and calls its own. What frees or asks about an
 * object the module made never loads it: no such object exists without. */
#include <string.h>
#include <unistd.h>

#include "targets/elfmod.h"

static const struct elfmod_ops *
mod(struct zx_err *err)
{
	return tgt_module(ELFMOD_FILE, ELFMOD_SYMBOL, err);
}

static const struct elfmod_ops *
loaded(void)
{
	return tgt_module_loaded(ELFMOD_FILE);
}

bool
elfmod_ready(struct zx_err *err)
{
	return mod(err) != NULL;
}

/* Called after elfmod_ready (process.c): NULL only when out of memory. */
struct zx_aspace *
core_open(const char *path, int pathfd, const char *exe)
{
	const struct elfmod_ops *m = loaded();

	if (m == NULL) {
		if (pathfd >= 0)
			close(pathfd);
		return NULL;
	}
	return m->core_open(path, pathfd, exe);
}

bool
core_is(const struct zx_aspace *as)
{
	const struct elfmod_ops *m = loaded();

	return m != NULL && m->core_is(as);
}

void
core_free(struct zx_aspace *as)
{
	const struct elfmod_ops *m = loaded();

	if (m != NULL)
		m->core_free(as);
}

zx_status_t
core_maps(struct zx_aspace *as, const struct zx_mapping **out, size_t *np,
    struct zx_err *err)
{
	const struct elfmod_ops *m = mod(err);

	return m != NULL ? m->core_maps(as, out, np, err) : err->status;
}

zx_status_t
dw_describe(struct zx_aspace *as, const char *object, const char *symbol,
    uint64_t addr, struct zx_types *t, const struct zx_type **type,
    uint64_t *size, struct zx_err *err)
{
	const struct elfmod_ops *m = mod(err);

	return m != NULL ? m->dw_describe(as, object, symbol, addr, t, type,
	    size, err) : err->status;
}

bool
dw_label(struct zx_aspace *as, uint64_t addr, char *buf, size_t len)
{
	struct zx_err err;
	const struct elfmod_ops *m = mod(&err);

	return m != NULL && m->dw_label(as, addr, buf, len);
}

zx_status_t
sym_resolve(struct zx_aspace *as, const char *object, const char *symbol,
    uint64_t *addr, struct zx_err *err)
{
	const struct elfmod_ops *m = mod(err);

	return m != NULL ? m->sym_resolve(as, object, symbol, addr, err) :
	    err->status;
}

void
sym_session_free(struct sym_session *s)
{
	const struct elfmod_ops *m = loaded();

	if (s != NULL && m != NULL)
		m->sym_session_free(s);
}

zx_status_t
tgt_symbol_at(struct zx_aspace *as, uint64_t addr, struct tgt_symbol *out,
    struct zx_err *err)
{
	const struct elfmod_ops *m = mod(err);

	if (m == NULL) {
		memset(out, 0, sizeof(*out));
		return err->status;
	}
	return m->tgt_symbol_at(as, addr, out, err);
}

zx_status_t
tgt_symbols(struct zx_aspace *as, const char *glob, const char *object,
    struct tgt_symbol **out, size_t *np, struct zx_err *err)
{
	const struct elfmod_ops *m = mod(err);

	if (m == NULL) {
		*out = NULL;
		*np = 0;
		return err->status;
	}
	return m->tgt_symbols(as, glob, object, out, np, err);
}

void
tgt_symbols_free(struct tgt_symbol *v, size_t n)
{
	const struct elfmod_ops *m = loaded();

	if (m != NULL)
		m->tgt_symbols_free(v, n);
}
