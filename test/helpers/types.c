/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * types: a live process with typed globals for the DWARF tests (SPEC §10).
 *
 * On start it prints one line and flushes:
 *   ready pid=P origin=A counter=A after=A cfg=A config=A
 * (dangling points at address 16, where nothing is mapped) then idles.  On SIGUSR1 it prints what it now sees in its own memory:
 *   report seq=N origin_x=D origin_y=G origin_name=S counter=D after=D
 *          level=U color=D ratio=G on=D neg=D message=S cfg_limit=D
 *          bits_a=D bits_b=D bits_c=U flags2=U table1_key=D
 *          table1_label=S cfg=A end
 * (strings with bytes outside 0x21..0x7e as \xHH).  SIGTERM ends it.
 * The build system compiles it with -g; the tests also build it without.
 */
#include <err.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

struct point {
	int x;
	double y;
	char name[8];
};

enum color { RED, GREEN, BLUE };

struct entry {
	int key;
	const char *label;
};

struct node {
	int v;
	struct node *next;
};

struct config {
	int limit;
	struct entry table[3];
	struct point *origin;
	const char *label;
	enum color c;
	unsigned char flags[3];
	struct {
		int a : 3;
		int b : 6;
		unsigned c : 1;
	} bits;
	int matrix[2][3];
	union {
		int i;
		float f;
	} u;
	int (*fn)(int);
};

typedef uint8_t level_t;

static int
twice(int x)
{
	return 2 * x;
}

struct point origin = { 3, 4.5, "hi" };
volatile int counter = 41;
volatile int after = 7;
volatile level_t level = 5;
volatile enum color color = GREEN;
volatile float ratio = 0.5f;
volatile bool on = true;
volatile int16_t neg = -2;
char message[16] = "hello";
int numbers[4] = { 1, 2, 3, 4 };
int zeros[16];
void *opaque;
const volatile int limit = 42;
struct node n2 = { 2, NULL };
struct node n1 = { 1, &n2 };
struct config config = {
	.limit = 10,
	.table = { { 1, "one" }, { 2, "two" }, { 3, "three" } },
	.origin = &origin,
	.label = "label",
	.c = BLUE,
	.flags = { 1, 2, 3 },
	.bits = { -1, 17, 1 },
	.matrix = { { 1, 2, 3 }, { 4, 5, 6 } },
	.u = { .f = 3.14159274f },
	.fn = twice,
};
struct config *volatile cfg = &config;
struct config *volatile dangling = (struct config *)16;   /* unmapped */

static char stdout_buf[4096];

static void
report(void)
{
	static unsigned long seq;
	struct config *c = cfg;

	printf("report seq=%lu origin_x=%d origin_y=%.17g origin_name=", ++seq,
	    origin.x, origin.y);
	print_escaped(origin.name, sizeof(origin.name));
	printf(" counter=%d after=%d level=%u color=%d ratio=%.9g on=%d neg=%d"
	    " message=", counter, after, (unsigned)level, (int)color,
	    (double)ratio, (int)on, (int)neg);
	print_escaped(message, sizeof(message));
	printf(" cfg_limit=%d bits_a=%d bits_b=%d bits_c=%u flags2=%u"
	    " table1_key=%d table1_label=", c->limit, c->bits.a, c->bits.b,
	    c->bits.c, c->flags[2], c->table[1].key);
	print_escaped(c->table[1].label, 64);
	printf(" cfg=%p end\n", (void *)c);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

int
main(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };

	if (setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf)) != 0)
		errx(1, "setvbuf");
	catch_usr1_term();
	printf("ready pid=%d origin=%p counter=%p after=%p cfg=%p config=%p\n",
	    (int)getpid(), (void *)&origin, (void *)&counter, (void *)&after,
	    (void *)&cfg, (void *)&config);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	(void)twice(0);
	(void)opaque;
	(void)limit;
	while (!want_exit) {
		if (want_report) {
			want_report = 0;
			report();
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}
