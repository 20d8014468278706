/* SPDX-License-Identifier: GPL-3.0-or-later */
/* %.Pg without printf, for the typed dumps: glibc's snprintf formats a
 * double with many digits through multi-precision arithmetic, about a
 * microsecond a value, and --format f64 prints millions.
 *
 * How. For |v| = a, finite and not zero, %.Pg needs the P significant
 * decimal digits of a correctly rounded (to nearest, ties to even: the
 * default rounding mode, which zxmem never changes) and the decimal
 * exponent X of the first one. With t = a * 10^k and k chosen so that
 * 10^(P-1) <= t < 10^P, the digits are t rounded to an integer D (if D
 * comes out as 10^P, the digits are 10^(P-1) and X grows by one), and
 * X = P-1-k. t is computed in long double (x87, its precision control
 * at Linux's default: 64-bit significand, unit roundoff u = 2^-64) as
 * s = a * T[k], T[k] being 10^k correctly rounded (strtold, built on
 * first use):
 *
 *   T[k] = 10^k (1 + e1), s = a T[k] (1 + e2), |e1|, |e2| <= u, so
 *   |s - t| <= t (2u + u^2) < 10^P (1 + 3u)(2u + u^2) < 10^P 2^-63 (1 + 2^-60)
 *
 * (t <= s / (1 - 2u - u^2) < 10^P (1 + 3u) once s < 10^P); B below is
 * 10^P 2^-63 (1 + 2^-16), larger still: 0.0109 for P = 17, 1.1e-10 for
 * P = 9. A double converts to long double exactly (subnormals too: long
 * double's exponent range is wider), and a, T[k] and s are all normal long
 * doubles. s's nearest integer R is (s + 2^63) - 2^63 (s < 10^17 < 2^63,
 * so s + 2^63 has a unit ulp and the addition rounds to nearest, ties to
 * even), and d = s - R is exact (Sterbenz-like: R and s share their
 * binade or R is 0; d is a multiple of ulp(s) below 1). If |d| < 1/2 - B,
 * t lies on the same side of R +- 1/2 as s does: R is t's rounding. Else t
 * may be a tie or on the other side: exact_digits() settles it with
 * 128-bit integers where they reach (a tie needs the exact value: f32
 * widened to double has many), and past them snprintf does.
 *
 * Choosing k: from the binary exponent, k = P-1-floor(e2 log10 2), then
 * k is moved until 10^(P-1) <= s < 10^P. Near either end s may be on
 * the other side of it than t; that changes nothing: if t < 10^P <= s
 * (or s < 10^P <= t), rounding t at scale k gives 10^P and at scale k-1
 * gives 10^(P-1), the same digits "1" and exponent, and likewise at
 * 10^(P-1) (rounding at the finer scale k+1 gives 10^P there since
 * 10 |s - t| < 1/2). And a |d| near 1/2 never sits within B of either
 * end. So the only decision s can get wrong is the rounding, and that one
 * is checked.
 *
 * Elsewhere than x87 long double (LDBL_MANT_DIG != 64), or where long
 * double arithmetic turns out narrower (valgrind), fmt_g is snprintf.
 * fuzz/fuzz_float.c compares fmt_g with snprintf on every input, and
 * bench/float_check.c over every float and 10^9 random doubles. */
#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/fmtfloat.h"

#ifdef FMT_G_STATS
/* bench/float_check.c counts the finite values snprintf formats */
_Thread_local unsigned long fmt_g_slow_count;
#endif

static char *
fmt_slow(char *p, double v, int prec)
{
	int n = snprintf(p, FMT_G_MAX, "%.*g", prec, v);

#ifdef FMT_G_STATS
	if (isfinite(v))
		fmt_g_slow_count++;
#endif

	return p + (n > 0 && n < FMT_G_MAX ? n : 0);
}

#if LDBL_MANT_DIG == 64 && LDBL_MAX_EXP == 16384 && \
    (defined(__x86_64__) || defined(__i386__))

/* k's range: a from 2^-1074 (4.9e-324) to 1.8e308, P from 1 to 17, and
 * one step either side while k is found. */
#define K_MIN (-310)
#define K_MAX 343

static long double pow10_tab[K_MAX - K_MIN + 1];   /* 0: not built yet */

static long double
pow10_ld(int k)
{
	long double *t = &pow10_tab[k - K_MIN];

	if (*t == 0) {
		char s[16];

		snprintf(s, sizeof s, "1e%d", k);
		*t = strtold(s, NULL);      /* correctly rounded (glibc) */
	}
	return *t;
}

/* 10^n, n <= 19, exactly */
static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/* Whether long double arithmetic is what the bound above assumes: 64
 * bits of significand. It is not under valgrind (which runs x87 code in
 * 53-bit doubles) or with the precision control set lower; then every
 * value goes to snprintf. Asked once. */
static bool
ld_is_x87(void)
{
	static int known;   /* 0: not asked yet, 1: yes, -1: no */

	if (known == 0) {
		volatile long double one = 1.0L, tiny = 0x1p-63L;
		long double x = one + tiny;

		known = x != 1.0L && x - one == tiny ? 1 : -1;
	}
	return known > 0;
}

typedef unsigned __int128 u128;

/* The digits of t = m 2^e 10^k rounded to an integer (ties to even),
 * exactly, or -1 where 128 bits do not reach. */
static int
exact_digits(uint64_t m, int e, int k, uint64_t *out)
{
	u128 q, rem, half;
	int tz = __builtin_ctzll(m);

	m >>= tz;
	e += tz;
	if (k >= 0) {
		/* t = m 5^k 2^(e+k); 5^27 < 2^63 and m < 2^53 */
		u128 x;
		int sh;

		if (k > 27)
			return -1;
		x = (u128)m;
		for (int i = 0; i < k; i++)
			x *= 5;
		sh = e + k;
		if (sh >= 0) {
			if (sh > 63 || (x >> (64 - sh)) != 0)
				return -1;
			*out = (uint64_t)(x << sh);
			return 0;
		}
		sh = -sh;
		if (sh >= 127)
			return -1;
		q = x >> sh;
		rem = x & (((u128)1 << sh) - 1);
		half = (u128)1 << (sh - 1);
	} else {
		/* t = m 2^e / 10^-k */
		u128 x, div = 1;
		int j = -k;

		if (j > 38 || e < 0 || 64 - __builtin_clzll(m) + e > 128)
			return -1;
		x = (u128)m << e;
		for (int i = 0; i < j; i++)
			div *= 10;
		q = x / div;
		rem = x % div;
		/* 2 rem < 2 div <= 2 10^38 < 2^128 */
		rem *= 2;
		half = div;
	}
	if (rem > half || (rem == half && (q & 1)))
		q++;
	if (q >> 64 != 0)
		return -1;
	*out = (uint64_t)q;
	return 0;
}

static const char pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* the 8 digits of x < 10^8 at p: two independent halves */
static void
put8(char *p, uint32_t x)
{
	uint32_t hi = x / 10000, lo = x % 10000;

	memcpy(p, pairs + 2 * (hi / 100), 2);
	memcpy(p + 2, pairs + 2 * (hi % 100), 2);
	memcpy(p + 4, pairs + 2 * (lo / 100), 2);
	memcpy(p + 6, pairs + 2 * (lo % 100), 2);
}

/* the n digits of x (x < 10^n) at p, leading zeros included */
static void
put_digits(char *p, uint64_t x, int n)
{
	if (n == 17) {
		uint64_t rest = x % 10000000000000000ULL;

		p[0] = (char)('0' + x / 10000000000000000ULL);
		put8(p + 1, (uint32_t)(rest / 100000000));
		put8(p + 9, (uint32_t)(rest % 100000000));
		return;
	}
	if (n == 9) {
		p[0] = (char)('0' + x / 100000000);
		put8(p + 1, (uint32_t)(x % 100000000));
		return;
	}
	while (n >= 2) {
		unsigned r = (unsigned)(x % 100);

		x /= 100;
		n -= 2;
		memcpy(p + n, pairs + 2 * r, 2);
	}
	if (n == 1)
		p[0] = (char)('0' + x);
}

char *
fmt_g(char *p, double v, int prec)
{
	const long double two63 = 0x1p63L;
	uint64_t bits, m, D, top, bot;
	long double a, s, big, r, d, bound;
	char dig[40];
	int e2, e, k, X, n, tries;

	if (!isfinite(v) || prec < 1 || prec > 17 || !ld_is_x87())
		return fmt_slow(p, v, prec);
	memcpy(&bits, &v, sizeof bits);
	if (bits >> 63) {
		*p++ = '-';
		bits &= ~(1ULL << 63);
		v = -v;
	}
	top = pow10_u64[prec];
	bot = pow10_u64[prec - 1];
	if (v == 0) {
		*p++ = '0';
		return p;
	}
	/* whole numbers below 10^P (zeros above all): their own digits */
	if (v < (double)top && v == (double)(uint64_t)v) {
		uint64_t w = (uint64_t)v;

		for (n = 1; n < prec && w >= pow10_u64[n]; n++)
			;
		put_digits(p, w, n);
		return p + n;
	}

	/* v = m 2^e, with its binary exponent e2 = floor(log2 v) */
	m = bits & ((1ULL << 52) - 1);
	if ((bits >> 52) == 0) {
		e = -1074;
		e2 = -1074 + 63 - __builtin_clzll(m);
	} else {
		e = (int)(bits >> 52) - 1075;
		e2 = e + 52;
		m |= 1ULL << 52;
	}
	/* k from floor(e2 log10 2) (78913 / 2^18 is log10 2 to within
	 * 2^-20; kept positive before the shift): floor(log10 v) or one
	 * less, and the loop corrects it */
	k = prec - 1 - ((int)(((int64_t)e2 * 78913 + ((int64_t)4096 << 18)) >> 18) - 4096);
	a = (long double)v;
	for (tries = 0;; tries++) {
		if (tries == 3 || k < K_MIN || k > K_MAX)
			return fmt_slow(p, v, prec);
		s = a * pow10_ld(k);
		if (s >= (long double)top)
			k--;
		else if (s < (long double)bot)
			k++;
		else
			break;
	}
	big = s + two63;
	r = big - two63;
	d = s - r;
	bound = (long double)top * 0x1.0001p-63L;
	if (fabsl(d) >= 0.5L - bound) {
		if (exact_digits(m, e, k, &D) != 0)
			return fmt_slow(p, v, prec);
	} else {
		/* big is 2^63 + r, and an x87 long double's first 8 bytes
		 * are its significand with the integer bit: 2^63 + r */
		memcpy(&D, &big, sizeof D);
		D -= 1ULL << 63;
	}
	X = prec - 1 - k;
	if (D >= top) {
		D /= 10;
		X++;
	}
	if (D < bot || D >= top)    /* cannot happen; snprintf knows */
		return fmt_slow(p, v, prec);
	memset(dig, '0', sizeof dig);       /* the fixed-size copies read past prec */
	put_digits(dig, D, prec);
	for (n = prec; n > 1 && dig[n - 1] == '0'; n--)
		;

	if (X < -4 || X >= prec) {
		/* d.ddde+XX */
		*p++ = dig[0];
		if (n > 1) {
			*p++ = '.';
			memcpy(p, dig + 1, 16);     /* n - 1 of them count */
			p += n - 1;
		}
		*p++ = 'e';
		*p++ = X < 0 ? '-' : '+';
		if (X < 0)
			X = -X;
		if (X >= 100) {
			*p++ = (char)('0' + X / 100);
			X %= 100;
		}
		memcpy(p, pairs + 2 * X, 2);
		return p + 2;
	}
	if (X < 0) {
		/* 0.000ddd */
		*p++ = '0';
		*p++ = '.';
		memcpy(p, "000", 4);         /* -X - 1 of them count */
		p += -X - 1;
		memcpy(p, dig, 17);         /* n of them count */
		return p + n;
	}
	/* ddd.ddd: X + 1 digits before the point, all of them printed */
	memcpy(p, dig, 17);                 /* X + 1 of them count */
	p += X + 1;
	if (n > X + 1) {
		*p++ = '.';
		memcpy(p, dig + X + 1, 16); /* n - X - 1 of them count */
		p += n - X - 1;
	}
	return p;
}

#else

char *
fmt_g(char *p, double v, int prec)
{
	return fmt_slow(p, v, prec);
}

#endif
