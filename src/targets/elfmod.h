/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem-elf.so: symbols.c, dwarf.c and core.c, everything that links
 * elfutils, loaded only when a command needs a symbol, a type or a core.
 * The binary calls them through elfmod.c's functions of the same names. */
#ifndef TARGETS_ELFMOD_H
#define TARGETS_ELFMOD_H

#include "targets/dwarf.h"
#include "targets/internal.h"
#include "targets/module.h"
#include "targets/targets.h"

#define ELFMOD_FILE   "zxmem-elf.so"
#define ELFMOD_SYMBOL "zxmem_module_elf"

struct elfmod_ops {
	struct zx_module_head head;
	struct zx_aspace *(*core_open)(const char *, int, const char *);
	bool (*core_is)(const struct zx_aspace *);
	void (*core_free)(struct zx_aspace *);
	zx_status_t (*core_maps)(struct zx_aspace *, const struct zx_mapping **,
	    size_t *, struct zx_err *);
	zx_status_t (*dw_describe)(struct zx_aspace *, const char *,
	    const char *, uint64_t, struct zx_types *, const struct zx_type **,
	    uint64_t *, struct zx_err *);
	bool (*dw_label)(struct zx_aspace *, uint64_t, char *, size_t);
	zx_status_t (*sym_resolve)(struct zx_aspace *, const char *,
	    const char *, uint64_t *, struct zx_err *);
	void (*sym_session_free)(struct sym_session *);
	zx_status_t (*tgt_symbol_at)(struct zx_aspace *, uint64_t,
	    struct tgt_symbol *, struct zx_err *);
	zx_status_t (*tgt_symbols)(struct zx_aspace *, const char *,
	    const char *, struct tgt_symbol **, size_t *, struct zx_err *);
	void (*tgt_symbols_free)(struct tgt_symbol *, size_t);
};

/* Whether the module can be had (loading it now); err says why not. */
bool elfmod_ready(struct zx_err *);

#endif
