/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness for fmt_g (src/cli/fmtfloat.c): a differential check
 * against glibc's snprintf("%.*g"), which fmt_g must equal byte for byte.
 *
 * Input: any bytes, read in 8-byte pieces (the last one zero-padded).
 * Each piece is checked as a double at %.17g (--format f64), each of its
 * 4-byte halves as a float widened to double at %.9g (--format f32), and
 * the double at the precision 1 + data[0] % 17 as well. A difference
 * aborts with both texts. bench/float_check.c runs the same comparison
 * over every float and a billion random doubles. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fmtfloat.h"

static void
check(double v, int prec)
{
	char want[64], got[FMT_G_MAX + 1];
	char *end = fmt_g(got, v, prec);
	uint64_t bits;

	if (end < got || end > got + FMT_G_MAX) {
		fprintf(stderr, "fmt_g wrote %td bytes\n", end - got);
		abort();
	}
	*end = '\0';
	snprintf(want, sizeof want, "%.*g", prec, v);
	if (strcmp(want, got) != 0) {
		memcpy(&bits, &v, sizeof bits);
		fprintf(stderr, "%%.%dg of %a (bits %#llx): snprintf '%s', fmt_g '%s'\n",
		    prec, v, (unsigned long long)bits, want, got);
		abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int prec = size > 0 ? 1 + data[0] % 17 : 17;

	for (size_t o = 0; o < size; o += 8) {
		uint8_t b[8] = { 0 };
		double d;
		float f;

		memcpy(b, data + o, size - o < 8 ? size - o : 8);
		memcpy(&d, b, 8);
		check(d, 17);
		check(d, prec);
		memcpy(&f, b, 4);
		check((double)f, 9);
		memcpy(&f, b + 4, 4);
		check((double)f, 9);
	}
	return 0;
}
