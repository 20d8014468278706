/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loadable modules: what only some commands need lives in a shared object
 * loaded on first use, so that a one-shot command (a poke by address) loads
 * no more libraries than it uses. zxmem-elf.so holds everything elfutils
 * does (symbols, DWARF types, cores); zxmem-shell.so the readline shell.
 * A module is looked for next to the zxmem binary (the build tree), then in
 * ../libexec/zxmem/ from it (an installed tree, wherever its prefix). */
#ifndef TARGETS_MODULE_H
#define TARGETS_MODULE_H

#include "core/status.h"

/* Every module's table starts with this string, the interface the binary
 * was built against: a module from another build is refused, not called. */
#include "modabi.h"

struct zx_module_head {
	const char *abi;         /* ZXMEM_MODULE_ABI */
};

/* The table that module FILE ("zxmem-elf.so") exports as SYMBOL, loaded
 * once per process; NULL with err set (ZX_ERR_NOT_SUPPORTED, naming the
 * module, where it was looked for and why it could not be used). */
const void *tgt_module(const char *file, const char *symbol,
    struct zx_err *err);

/* Whether module FILE is loaded already (a cheap check for free paths). */
const void *tgt_module_loaded(const char *file);

#endif
