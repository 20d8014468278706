/* SPDX-License-Identifier: GPL-3.0-or-later */
/* dwarf.c: the describe and label operations of process-like targets
 * (struct zx_aspace_ops), through elfutils. */
#ifndef TARGETS_DWARF_H
#define TARGETS_DWARF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/aspace.h"

zx_status_t dw_describe(struct zx_aspace *, const char *object,
    const char *symbol, uint64_t addr, struct zx_types *,
    const struct zx_type **, uint64_t *size, struct zx_err *);
bool dw_label(struct zx_aspace *, uint64_t addr, char *buf, size_t len);

#endif
