/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * target: a live process for the process-memory tests to poke.
 *
 * On start it prints one line and flushes:
 *   ready pid=P counter=A limit=A message=A big=A edge=A big_counter=A
 *         memfd=FD memfd_map=A main=A printf=A environ=A stdout=A
 *         split=A pattern=A pattern_len=N
 * then idles.  On SIGUSR1 it prints what it now sees in its own memory:
 *   report seq=N counter=D limit=D message=S big_sum=U big_first=XX
 *         big_last=XX big_tail=XX edge_first=XX edge_last=XX big_counter=D
 *         memfd_head=HEX16 split_last=XX split_next=XX end
 * seq counts reports from 1.  message is printed with every byte outside
 * 0x21..0x7e, and '\', as \xHH, so the line always splits on spaces.
 * big_sum is the sum of the bytes of the 64 MiB at big; big_tail is the byte
 * just past them.  edge is one page whose next page is unmapped.  memfd_head
 * is the first 8 bytes of a shared memfd named "target-memfd" (fd left open)
 * in hex.  main and stdout are &main and &stdout as the program itself sees
 * them (stdout: its executable's copy); printf and environ are libc's as
 * the dynamic linker resolves them (dlsym RTLD_NEXT: &printf in a non-PIE
 * program is its own PLT slot, and naming environ here would move it into
 * the executable): the tests' independent source for symbol addresses.  split is a page of rw- memory followed by
 * a page of r-- memory (two adjacent mappings); split_last is the last byte
 * of the rw- page (starts 51), split_next the first of the r-- one (52).
 * pattern is pattern_len bytes in one mapping, spanning several pages, byte
 * i being (i * 131 + (i >> 8)) & 0xff.  SIGTERM ends the program with
 * status 0.
 * With TARGET_NODUMP set in its environment it makes itself non-dumpable
 * (prctl PR_SET_DUMPABLE 0), as set-user-ID programs are.
 */
#include <sys/mman.h>
#include <sys/prctl.h>

#include <dlfcn.h>
#include <err.h>
#include <stdlib.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

#define BIG_SIZE	(64UL * 1024 * 1024)	/* the largest allowed write */
#define MEMFD_SIZE	4096UL
#define MEMFD_TEXT	"zxmem-memfd-content\n"

volatile int counter = 1;
volatile long long big_counter;
__attribute__((used)) const int limit = 42;
char message[64] __attribute__((aligned(64))) = "hello";

static unsigned char *big;
static unsigned char *edge;
static unsigned char *memfd_map;
static unsigned char *split;
static unsigned char *pattern;
#define PATTERN_LEN	(3 * 4096UL + 123)
static int memfd = -1;
static long page;

/* stdout never allocates: nothing may land in the hole after edge. */
static char stdout_buf[4096];

/* Sum of all bytes, eight at a time; zero words cost one test. */
static unsigned long long
byte_sum(const unsigned char *p, size_t len)
{
	const uint64_t m = 0x00ff00ff00ff00ffULL;
	const uint64_t *w = (const uint64_t *)(const void *)p;
	unsigned long long sum = 0;
	size_t i, n = len / 8;

	for (i = 0; i < n; i++) {
		uint64_t v = w[i], t;

		if (v == 0)
			continue;
		t = (v & m) + ((v >> 8) & m);
		sum += (t * 0x0001000100010001ULL) >> 48;
	}
	for (i = n * 8; i < len; i++)
		sum += p[i];
	return sum;
}

static void
report(void)
{
	static unsigned long seq;
	char msg[sizeof(message)];
	int i;

	memcpy(msg, message, sizeof(msg));
	printf("report seq=%lu counter=%d limit=%d message=", ++seq, counter,
	    *(const volatile int *)&limit);
	print_escaped(msg, sizeof(msg));
	printf(" big_sum=%llu big_first=%02x big_last=%02x big_tail=%02x"
	    " edge_first=%02x edge_last=%02x big_counter=%lld memfd_head=",
	    byte_sum(big, BIG_SIZE), big[0], big[BIG_SIZE - 1], big[BIG_SIZE],
	    edge[0], edge[page - 1], big_counter);
	for (i = 0; i < 8; i++)
		printf("%02x", memfd_map[i]);
	printf(" split_last=%02x split_next=%02x end\n", split[page - 1],
	    split[page]);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
}

/* mmap anonymous RW memory; len must be a page multiple. */
static unsigned char *
map_anon(size_t len)
{
	void *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		err(1, "mmap %zu", len);
	return p;
}

int
main(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	unsigned char *p;
	size_t big_len;

	if (setvbuf(stdout, stdout_buf, _IOFBF, sizeof(stdout_buf)) != 0)
		errx(1, "setvbuf");
	if (getenv("TARGET_NODUMP") != NULL && prctl(PR_SET_DUMPABLE, 0) == -1)
		err(1, "prctl");
	page = sysconf(_SC_PAGESIZE);

	/*
	 * big: 64 MiB + one page in a mapping of its own, with an unmapped
	 * page on each side so it never merges with a neighbour.
	 */
	big_len = BIG_SIZE + (size_t)page;
	p = map_anon(big_len + 2 * (size_t)page);
	if (munmap(p, (size_t)page) == -1 ||
	    munmap(p + page + big_len, (size_t)page) == -1)
		err(1, "munmap");
	big = p + page;

	/* A shared memfd with known content; its descriptor stays open. */
	memfd = memfd_create("target-memfd", 0);
	if (memfd == -1)
		err(1, "memfd_create");
	if (ftruncate(memfd, (off_t)MEMFD_SIZE) == -1)
		err(1, "ftruncate");
	if (pwrite(memfd, MEMFD_TEXT, strlen(MEMFD_TEXT), 0) !=
	    (ssize_t)strlen(MEMFD_TEXT))
		err(1, "pwrite memfd");
	memfd_map = mmap(NULL, MEMFD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
	    memfd, 0);
	if (memfd_map == MAP_FAILED)
		err(1, "mmap memfd");

	catch_usr1_term();

	/* split: rw- then r--, two mappings side by side. */
	split = map_anon(2 * (size_t)page);
	split[page - 1] = 0x51;
	split[page] = 0x52;
	if (mprotect(split + page, (size_t)page, PROT_READ) == -1)
		err(1, "mprotect");

	/* pattern: a few pages of known bytes, inside one mapping. */
	pattern = map_anon(4 * (size_t)page) + 100;
	for (size_t i = 0; i < PATTERN_LEN; i++)
		pattern[i] = (unsigned char)((i * 131 + (i >> 8)) & 0xff);

	/* edge: last, so no later mapping can fill the hole after it. */
	edge = map_anon(2 * (size_t)page);
	if (munmap(edge + page, (size_t)page) == -1)
		err(1, "munmap");
	edge[0] = 0xe0;
	edge[page - 1] = 0xe1;

	printf("ready pid=%d counter=%p limit=%p message=%p big=%p edge=%p"
	    " big_counter=%p memfd=%d memfd_map=%p main=%p printf=%p"
	    " environ=%p stdout=%p split=%p pattern=%p pattern_len=%lu\n",
	    (int)getpid(), (void *)&counter, (const void *)&limit,
	    (void *)message, (void *)big, (void *)edge, (void *)&big_counter,
	    memfd, (void *)memfd_map, (void *)(uintptr_t)&main,
	    dlsym(RTLD_NEXT, "printf"), dlsym(RTLD_NEXT, "environ"), (void *)&stdout,
	    (void *)split, (void *)pattern, PATTERN_LEN);
	if (fflush(stdout) == EOF)
		err(1, "stdout");

	while (!want_exit) {
		if (want_report) {
			want_report = 0;
			report();
			continue;
		}
		nanosleep(&ts, NULL);
	}
	return 0;
}
