/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * counter: the program the manual's EXAMPLES run against (test/examples.bats
 * runs every example there; this is the "counter" they name).
 *
 * On start it prints one line and flushes:
 *   ready pid=P tid=T counter=A two=A score=A environ=A env0=A
 * (T: a second thread, whose tls_counter is 200; the main thread's is 100;
 * two: the string cfg->table[1].label points at; score: a u32 on the heap
 * holding 120; environ: the value of environ, which the executable
 * copies (copy relocation) as it uses it; env0: environ[0]).  counter starts at 1000 and goes up by one every 20 ms;
 * ready is 1 from the start.  SIGUSR1 makes the score 125 and prints "score=125"; SIGTERM ends
 * it.  SIGUSR2 makes it exec itself afresh (same PID, a new address space:
 * counter is back at 1000, likely at another address), and the new
 * program prints its own ready line.
 */
#include <err.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "report.h"

struct point {
	int x;
	double y;
	char name[8];
};

struct entry {
	int key;
	const char *label;
};

struct config {
	int limit;
	struct entry table[3];
};

extern char **environ;

volatile uint32_t counter = 1000;
volatile uint32_t ready;
struct point origin = { 3, 4.5, "hi" };
uint32_t buffer[4] = { 1, 2, 3, 4 };
__thread int tls_counter;
static struct config config = {
	.limit = 10,
	.table = { { 1, "one" }, { 2, "two" }, { 3, "three" } },
};
struct config *volatile cfg = &config;

static volatile sig_atomic_t want_exec;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t started = PTHREAD_COND_INITIALIZER;
static pid_t second_tid;

static void *
second(void *arg)
{
	(void)arg;
	tls_counter = 200;
	pthread_mutex_lock(&lock);
	second_tid = gettid();
	pthread_cond_signal(&started);
	pthread_mutex_unlock(&lock);
	for (;;)
		pause();
	return NULL;
}

static void
on_usr2(int sig)
{
	(void)sig;
	want_exec = 1;
}

int
main(void)
{
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct sigaction sa = { .sa_handler = on_usr2 };
	volatile uint32_t *score;
	pthread_t t;

	catch_usr1_term();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR2, &sa, NULL) == -1)
		err(1, "sigaction");
	if ((score = malloc(64 * sizeof(*score))) == NULL)
		err(1, "malloc");
	*score = 120;
	tls_counter = 100;
	ready = 1;
	if (pthread_create(&t, NULL, second, NULL) != 0)
		errx(1, "pthread_create");
	pthread_mutex_lock(&lock);
	while (second_tid == 0)
		pthread_cond_wait(&started, &lock);
	pthread_mutex_unlock(&lock);
	printf("ready pid=%d tid=%d counter=%p two=%p score=%p environ=%p "
	    "env0=%p\n", (int)getpid(), (int)second_tid, (void *)&counter,
	    (void *)config.table[1].label, (void *)score, (void *)environ,
	    (void *)environ[0]);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	while (!want_exit) {
		nanosleep(&tick, NULL);
		if (want_exec) {
			execl("/proc/self/exe", "counter", (char *)NULL);
			err(1, "exec");
		}
		counter++;
		if (want_report) {
			want_report = 0;
			*score = 125;
			printf("score=%u\n", (unsigned)*score);
			if (fflush(stdout) == EOF)
				err(1, "stdout");
		}
	}
	return 0;
}
