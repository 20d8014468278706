/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fmt_g (src/cli/fmtfloat.c) against glibc's snprintf("%.*g"): every one
 * of the 2^32 floats widened to double at %.9g (the negative ones as "-"
 * and their positive twin's text, checked), N random 64-bit patterns
 * as doubles at %.17g (and at %.9g), and the edge cases where %g changes
 * its mind (powers of two and ten, DBL_MIN/MAX, subnormals, either side of
 * 1e-5/1e-4 and 1e16/1e17, halves). It takes minutes to hours, so it is
 * no part of make check; fuzz/fuzz_float.c is the quick differential test.
 * Build and run (from the repository root):
 *   cc -std=c17 -O2 -D_GNU_SOURCE -DFMT_G_STATS -Isrc -pthread \
 *       -o build/float_check bench/float_check.c src/cli/fmtfloat.c
 *   nice -n 19 build/float_check [-t THREADS] [-n RANDOM_DOUBLES] [-s SEED] [-F]
 *   build/float_check -b [-n VALUES]     ns per value, fmt_g vs snprintf
 * -F skips the 2^32 floats. Prints its figures; exit 1 on any difference. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/fmtfloat.h"

#ifndef FMT_G_STATS
#error "build with -DFMT_G_STATS: the fallback counts are among the figures"
#endif
extern _Thread_local unsigned long fmt_g_slow_count;

static atomic_ulong bad_count;

static uint64_t
splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 1 if fmt_g and snprintf agree on v at prec, else report it */
static int
check(double v, int prec)
{
	char want[64], got[FMT_G_MAX + 1];
	char *end = fmt_g(got, v, prec);
	uint64_t bits;

	*end = '\0';
	snprintf(want, sizeof want, "%.*g", prec, v);
	if (strcmp(want, got) == 0)
		return 1;
	memcpy(&bits, &v, sizeof bits);
	if (atomic_fetch_add(&bad_count, 1) < 50)
		fprintf(stderr, "DIFF %#018" PRIx64 " %%.%dg: snprintf %s fmt_g %s\n",
		    bits, prec, want, got);
	return 0;
}

struct job {
	int id, nthreads;
	int floats;
	uint64_t ndoubles, seed;
	unsigned long f32_slow, f64_slow, f64_9_slow;
};

static void *
worker(void *arg)
{
	struct job *j = arg;
	uint64_t lo = ((uint64_t)1 << 32) * (uint64_t)j->id / (uint64_t)j->nthreads;
	uint64_t hi = ((uint64_t)1 << 32) * (uint64_t)(j->id + 1) / (uint64_t)j->nthreads;
	uint64_t s = j->seed ^ ((uint64_t)j->id * 0x51ed2701f00dULL);
	uint64_t n = j->ndoubles / (uint64_t)j->nthreads;

	if (j->floats) {
		/* The positive floats against snprintf; each negative one
		 * against "-" and its positive twin's text, already checked
		 * (%g prints the sign, then |v|): half the snprintf calls.
		 * NaNs and infinities (exponent 255) all against snprintf. */
		fmt_g_slow_count = 0;
		for (uint64_t u = lo / 2; u < hi / 2; u++) {
			uint32_t b = (uint32_t)u, nb = b | 0x80000000u;
			char pos[FMT_G_MAX + 1], neg[FMT_G_MAX + 2];
			float f;

			memcpy(&f, &b, 4);
			check((double)f, 9);
			memcpy(&f, &nb, 4);
			if ((b >> 23) == 255) {
				check((double)f, 9);
			} else {
				unsigned long c;

				*fmt_g(neg, (double)f, 9) = '\0';
				memcpy(&f, &b, 4);
				c = fmt_g_slow_count;   /* counted once, in check() */
				*fmt_g(pos, (double)f, 9) = '\0';
				fmt_g_slow_count = c;
				if (neg[0] != '-' || strcmp(neg + 1, pos) != 0) {
					atomic_fetch_add(&bad_count, 1);
					fprintf(stderr, "DIFF %#010x: %s, but %s\n",
					    (unsigned)nb, neg, pos);
				}
			}
			if ((u & 0x7ffffff) == 0x7ffffff)
				fprintf(stderr, "float_check: floats to %#010" PRIx64
				    " and their negatives done, %lu differences\n", u,
				    (unsigned long)atomic_load(&bad_count));
		}
		j->f32_slow = fmt_g_slow_count;
	}
	fmt_g_slow_count = 0;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t b = splitmix(&s);
		double v;

		memcpy(&v, &b, 8);
		check(v, 17);
		if (i % 50000000 == 49999999)
			fprintf(stderr, "float_check: thread %d: %" PRIu64 " doubles done, "
			    "%lu differences, fallback %lu\n", j->id, i + 1,
			    (unsigned long)atomic_load(&bad_count), fmt_g_slow_count);
	}
	j->f64_slow = fmt_g_slow_count;
	/* a tenth as many at %.9g, the float precision */
	fmt_g_slow_count = 0;
	for (uint64_t i = 0; i < n / 10; i++) {
		uint64_t b = splitmix(&s);
		double v;

		memcpy(&v, &b, 8);
		check(v, 9);
	}
	j->f64_9_slow = fmt_g_slow_count;
	return NULL;
}

/* v and its neighbours, both signs, at every precision 1..17 */
static unsigned long
edge(double v)
{
	unsigned long n = 0;
	double w[5];

	w[0] = v;
	w[1] = nextafter(v, 0);
	w[2] = nextafter(v, INFINITY);
	w[3] = nextafter(w[1], 0);
	w[4] = nextafter(w[2], INFINITY);
	for (int i = 0; i < 5; i++)
		for (int p = 1; p <= 17; p++) {
			check(w[i], p);
			check(-w[i], p);
			n += 2;
		}
	return n;
}

static unsigned long
edges(void)
{
	unsigned long n = 0;
	char s[32];

	for (int e = -1074; e <= 1023; e++)
		n += edge(ldexp(1, e));
	for (int e = -323; e <= 308; e++) {
		snprintf(s, sizeof s, "1e%d", e);
		n += edge(strtod(s, NULL));
		/* 5 in the digit past each precision: the halfway cases */
		for (int p = 1; p <= 17; p++) {
			snprintf(s, sizeof s, "1.%0*d5e%d", p - 1, 0, e);
			n += edge(strtod(s, NULL));
			snprintf(s, sizeof s, "9.%0*d5e%d", p - 1, 0, e);
			for (char *c = s + 2; *c == '0'; c++)
				*c = '9';
			n += edge(strtod(s, NULL));
		}
	}
	n += edge(DBL_MIN) + edge(DBL_MAX) + edge(DBL_TRUE_MIN) +
	    edge(DBL_MIN - DBL_TRUE_MIN) + edge(FLT_MIN) + edge(FLT_MAX) +
	    edge(FLT_TRUE_MIN) + edge(1e-5) + edge(1e-4) + edge(1e16) +
	    edge(1e17) + edge(9.9999999999999995e-5) + edge(0.5) + edge(0);
	/* x.5 for every x below 2^20, and x.25 / x.125 near the float ties */
	for (uint32_t x = 0; x < (1u << 20); x++) {
		for (int p = 1; p <= 17; p++) {
			check(x + 0.5, p);
			check(x * 8 + 0.125, p);
			n += 2;
		}
	}
	return n;
}

/* CPU time: the machine may be shared */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ns per value of fmt_g and of snprintf over n random patterns */
static void
bench(uint64_t n, uint64_t seed)
{
	static const struct { const char *name; int f32; } kinds[] = {
		{ "f64 %.17g", 0 }, { "f32 %.9g", 1 },
	};
	char buf[64];
	uint64_t *vals = calloc(n, sizeof *vals);
	volatile size_t sink = 0;

	if (vals == NULL) {
		perror("calloc");
		exit(2);
	}
	for (size_t k = 0; k < 2; k++) {
		uint64_t s = seed;
		double t0, t1, t2;

		for (uint64_t i = 0; i < n; i++) {
			uint64_t b = splitmix(&s);
			double v;

			if (kinds[k].f32) {
				uint32_t b32 = (uint32_t)b;
				float f;

				memcpy(&f, &b32, 4);
				v = f;
			} else {
				memcpy(&v, &b, 8);
			}
			memcpy(&vals[i], &v, 8);
		}
		fmt_g_slow_count = 0;
		t0 = now();
		for (uint64_t i = 0; i < n; i++) {
			double v;

			memcpy(&v, &vals[i], 8);
			sink += (size_t)(fmt_g(buf, v, kinds[k].f32 ? 9 : 17) - buf);
		}
		t1 = now();
		for (uint64_t i = 0; i < n; i++) {
			double v;

			memcpy(&v, &vals[i], 8);
			sink += (size_t)snprintf(buf, sizeof buf, "%.*g", kinds[k].f32 ? 9 : 17, v);
		}
		t2 = now();
		printf("%s: fmt_g %.1f ns/value (fallback %.3f%%), snprintf %.1f ns/value, n=%" PRIu64 "\n",
		    kinds[k].name, (t1 - t0) * 1e9 / (double)n,
		    100.0 * (double)fmt_g_slow_count / (double)n, (t2 - t1) * 1e9 / (double)n, n);
	}
	free(vals);
}

int
main(int argc, char **argv)
{
	int nthreads = 1, floats = 1, do_bench = 0, c;
	uint64_t ndoubles = 1000000000ULL, seed = 0x7a786d656dULL;
	unsigned long f32_slow = 0, f64_slow = 0, f64_9_slow = 0, nedge;
	pthread_t tid[64];
	struct job jobs[64];
	double t0 = now();

	while ((c = getopt(argc, argv, "bFn:s:t:")) != -1) {
		switch (c) {
		case 'b': do_bench = 1; break;
		case 'F': floats = 0; break;
		case 'n': ndoubles = strtoull(optarg, NULL, 0); break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 't': nthreads = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: float_check [-b] [-F] [-n N] [-s SEED] [-t THREADS]\n");
			return 2;
		}
	}
	if (do_bench) {
		bench(ndoubles == 1000000000ULL ? 2000000 : ndoubles, seed);
		return 0;
	}
	if (nthreads < 1 || nthreads > 64) {
		fprintf(stderr, "float_check: -t takes 1 to 64\n");
		return 2;
	}
	nedge = edges();
	printf("edge cases: %lu checks, %lu differences\n", nedge,
	    (unsigned long)atomic_load(&bad_count));
	fflush(stdout);
	for (int i = 0; i < nthreads; i++) {
		jobs[i] = (struct job){ .id = i, .nthreads = nthreads, .floats = floats,
		    .ndoubles = ndoubles, .seed = seed };
		if (pthread_create(&tid[i], NULL, worker, &jobs[i]) != 0) {
			perror("pthread_create");
			return 2;
		}
	}
	for (int i = 0; i < nthreads; i++) {
		pthread_join(tid[i], NULL);
		f32_slow += jobs[i].f32_slow;
		f64_slow += jobs[i].f64_slow;
		f64_9_slow += jobs[i].f64_9_slow;
	}
	ndoubles = ndoubles / (uint64_t)nthreads * (uint64_t)nthreads;
	if (floats)
		printf("f32: all 4294967296 floats at %%.9g, fallback to snprintf %lu (%.6f%%)\n",
		    f32_slow, 100.0 * (double)f32_slow / 4294967296.0);
	if (ndoubles >= 10 * (uint64_t)nthreads) {
		uint64_t n9 = ndoubles / (uint64_t)nthreads / 10 * (uint64_t)nthreads;

		printf("f64: %" PRIu64 " random doubles at %%.17g (seed %#" PRIx64 "), "
		    "fallback %lu (%.4f%%)\n", ndoubles, seed, f64_slow,
		    100.0 * (double)f64_slow / (double)ndoubles);
		printf("f64: %" PRIu64 " random doubles at %%.9g, fallback %lu (%.4f%%)\n",
		    n9, f64_9_slow, 100.0 * (double)f64_9_slow / (double)n9);
	}
	printf("differences: %lu; %.0f s of CPU\n", (unsigned long)atomic_load(&bad_count), now() - t0);
	return atomic_load(&bad_count) == 0 ? 0 : 1;
}
