/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * symbols: a C program for the symbol and type tests (SPEC §10).  The
 * Makefile builds it with -g (symbols, symbols-nopie), without -g
 * (symbols-nodebug), stripped (symbols-stripped: no .symtab, only .dynsym)
 * and split (symbols-split, with its DWARF and .symtab in symbols-split.debug
 * found through .gnu_debuglink).
 *
 * Its variables, all at fixed, known values until a test changes them:
 *   int counter = 7;                       a plain 4-byte global
 *   struct point { int x, y; } origin;     {3, 4}
 *   enum color { RED, GREEN, BLUE } color; GREEN
 *   int primes[5];                         {2, 3, 5, 7, 11}
 *   char name[16];                         "zxmem"
 *   struct config { int limit; struct point table[4]; const char *label; }
 *       config;                            {10, {{1,1},{2,4},{3,9},{4,16}}, "label"}
 *   struct config *cfg = &config;
 *   static const char rodata_msg[];        "read-only message" (in .rodata)
 *   __thread int tls_counter;              100 in the main thread, 200 in
 *                                          the second one
 *
 * On start it prints one line and flushes:
 *   ready pid=P counter=A origin=A color=A primes=A name=A config=A cfg=A
 *         rodata_msg=A tls_main=A tls_thread=A thread_tid=T errno_main=A
 *         errno_thread=A
 * (A: an address in 0x hex; tls_main and tls_thread are &tls_counter in the
 * main thread and in the second thread, whose TID is thread_tid; errno_*
 * the same for libc's TLS variable errno), then idles.
 * On SIGUSR1 it prints what it now sees in its own memory:
 *   report seq=N counter=D origin_x=D origin_y=D color=D primes0=D name=S
 *         limit=D table2_y=D tls_main=D tls_thread=D end
 * (name: bytes outside 0x21..0x7e as \xHH).  SIGTERM ends it with status 0.
 */
#include <err.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "report.h"

struct point {
	int x, y;
};

enum color { RED, GREEN, BLUE };

struct config {
	int limit;
	struct point table[4];
	const char *label;
};

volatile int counter = 7;
struct point origin = { 3, 4 };
enum color color = GREEN;
int primes[5] = { 2, 3, 5, 7, 11 };
char name[16] = "zxmem";
struct config config = { 10, { { 1, 1 }, { 2, 4 }, { 3, 9 }, { 4, 16 } },
    "label" };
struct config *cfg = &config;
__attribute__((used)) static const char rodata_msg[] = "read-only message";
__thread int tls_counter;

static volatile int *tls_thread_addr;
static int *errno_thread_addr;
static volatile pid_t thread_tid;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *
second(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	tls_counter = 200;
	pthread_mutex_lock(&lock);
	tls_thread_addr = &tls_counter;
	errno_thread_addr = &errno;
	thread_tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_signal(&cond);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

int
main(void)
{
	static int seq;
	pthread_t t;
	sigset_t block, old;

	catch_usr1_term();
	tls_counter = 100;
	if (pthread_create(&t, NULL, second, NULL) != 0)
		errx(1, "pthread_create");
	pthread_mutex_lock(&lock);
	while (tls_thread_addr == NULL)
		pthread_cond_wait(&cond, &lock);
	pthread_mutex_unlock(&lock);

	printf("ready pid=%d counter=%p origin=%p color=%p primes=%p name=%p "
	    "config=%p cfg=%p rodata_msg=%p tls_main=%p tls_thread=%p "
	    "thread_tid=%d errno_main=%p errno_thread=%p\n", (int)getpid(), (void *)&counter, (void *)&origin,
	    (void *)&color, (void *)primes, (void *)name, (void *)&config,
	    (void *)&cfg, (void *)rodata_msg, (void *)&tls_counter,
	    (void *)tls_thread_addr, (int)thread_tid, (void *)&errno,
	    (void *)errno_thread_addr);
	fflush(stdout);

	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	for (;;) {
		while (!want_report && !want_exit)
			sigsuspend(&old);
		if (want_exit)
			return 0;
		want_report = 0;
		printf("report seq=%d counter=%d origin_x=%d origin_y=%d color=%d "
		    "primes0=%d name=", ++seq, counter, origin.x, origin.y,
		    (int)color, primes[0]);
		print_escaped(name, sizeof(name));
		printf(" limit=%d table2_y=%d tls_main=%d tls_thread=%d end\n",
		    cfg->limit, cfg->table[2].y, tls_counter, *tls_thread_addr);
		fflush(stdout);
	}
}
