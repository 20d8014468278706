/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem-elf.so's one exported symbol: the table the binary calls through
 * (elfmod.c). Everything else in the module is hidden. */
#include "targets/core.h"
#include "targets/elfmod.h"

__attribute__((visibility("default")))
const struct elfmod_ops zxmem_module_elf = {
	.head = { .abi = ZXMEM_MODULE_ABI },
	.core_open = core_open,
	.core_is = core_is,
	.core_free = core_free,
	.core_maps = core_maps,
	.dw_describe = dw_describe,
	.dw_label = dw_label,
	.sym_resolve = sym_resolve,
	.sym_session_free = sym_session_free,
	.tgt_symbol_at = tgt_symbol_at,
	.tgt_symbols = tgt_symbols,
	.tgt_symbols_free = tgt_symbols_free,
};
