/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memcpy: the physical limit for moving 64 MiB, measured in the same run.
 *   memcpy [COPIES]      (default 21, at least 10)
 * Both buffers are touched and one warm-up copy is made first; the result
 * is the median of COPIES timed copies:
 *   memcpy_gbps=12.345 memcpy_64m_ms=5.436 copies=21
 * (GB = 10^9 bytes; the figure is bytes copied per second.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SIZE (64UL * 1024 * 1024)

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	unsigned char *src, *dst;
	double t[1000], t0, median;
	long copies = 21, i;

	if (argc > 1)
		copies = strtol(argv[1], NULL, 10);
	if (argc > 2 || copies < 10 || copies > 1000) {
		fprintf(stderr, "usage: memcpy [COPIES 10..1000]\n");
		return 64;
	}
	src = malloc(SIZE);
	dst = malloc(SIZE);
	if (src == NULL || dst == NULL) {
		perror("memcpy: malloc");
		return 1;
	}
	for (i = 0; i < (long)SIZE; i++)
		src[i] = (unsigned char)(i * 131 + 7);
	memset(dst, 0, SIZE);
	memcpy(dst, src, SIZE);			/* warm-up */
	for (i = 0; i < copies; i++) {
		src[(size_t)i * 4099 % SIZE] ^= 1;	/* a different copy each time */
		t0 = now_ms();
		memcpy(dst, src, SIZE);
		__asm__ volatile("" : : "r"(dst), "r"(src) : "memory");
		t[i] = now_ms() - t0;
	}
	if (memcmp(dst, src, SIZE) != 0) {
		fprintf(stderr, "memcpy: copy is wrong\n");
		return 1;
	}
	qsort(t, (size_t)copies, sizeof(t[0]), cmp_double);
	median = copies % 2 ? t[copies / 2] : (t[copies / 2 - 1] + t[copies / 2]) / 2;
	printf("memcpy_gbps=%.3f memcpy_64m_ms=%.3f copies=%ld\n",
	    (double)SIZE / (median / 1e3) / 1e9, median, copies);
	free(src);
	free(dst);
	return 0;
}
