/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "kernel command line": KEY=VALUE options from several sources, later
 * wins (SPEC §6). The CLI reads the sources; core only parses text. */
#ifndef ZX_KCMDLINE_H
#define ZX_KCMDLINE_H

#include <stdbool.h>

struct zx_kopts {
	bool debugging_syscalls;   /* kernel.enable-debugging-syscalls */
};

typedef void (*zx_kwarn_fn)(void *ctx, const char *source, int line,
    const char *msg);

/* The keys known here, NULL-terminated (each a boolean: true or false). */
extern const char *const zx_kcmdline_keys[];

/* Parse whitespace-separated KEY=VALUE words; '#' starts a comment that
 * runs to the end of the line. Problems are warnings, never errors. */
void zx_kcmdline_parse(struct zx_kopts *, const char *text,
    const char *source, zx_kwarn_fn, void *ctx);

/* One KEY=VALUE word (for -k). */
void zx_kcmdline_word(struct zx_kopts *, const char *word,
    const char *source, int line, zx_kwarn_fn, void *ctx);

#endif
