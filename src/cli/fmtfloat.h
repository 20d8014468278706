/* SPDX-License-Identifier: GPL-3.0-or-later */
/* printf's %.Pg of a double, fast: the typed dumps (--format f32/f64) print
 * millions of values. The text is byte for byte glibc's snprintf("%.*g"),
 * P significant digits; fmtfloat.c says how and when it asks snprintf. */
#ifndef CLI_FMTFLOAT_H
#define CLI_FMTFLOAT_H

#define FMT_G_MAX 40    /* room fmt_g may write at p (no NUL; the text may be shorter) */

/* %.Pg of v at p, 1 <= prec <= 17; returns the end of the text. */
char *fmt_g(char *p, double v, int prec);

#endif
