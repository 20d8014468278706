/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * finder: values for process-find and process-watch to look for.
 *
 * One uint32_t value, SEED + gen (SEED 0x5eed1234, gen 0 at start), is kept
 * in three places: data_value (.data), a malloc'd word (the [heap]) and a
 * local of main (the [stack]).  decoy (.data) holds SEED and never changes.
 * state (.data, uint32_t) starts at 0.  On start it prints one line:
 *   ready pid=P data=A decoy=A heap=A stack=A state=A seed=N
 * SIGUSR1: gen += 1, the three places are set to SEED + gen, then it prints
 *   "changed gen=N".  SIGUSR2: state += 1, then it prints "state=N".
 * SIGTERM ends it with status 0.
 * FINDER_FORK=1: the process above is a child; the parent never reaps it
 * (once it exits it stays a zombie until the parent is killed) and the
 * child dies with its parent.
 * FINDER_HEAP_MB=N: also malloc N MiB filled with pseudo-random words that
 * are never SEED, and put SEED at 8 known places in it (for the bench);
 * the ready line then also has big=A big_len=N.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SEED 0x5eed1234u

volatile uint32_t data_value = SEED;
volatile uint32_t decoy = SEED;
volatile uint32_t state;

static volatile sig_atomic_t want_change, want_state, want_exit;

static void on_usr1(int sig) { (void)sig; want_change = 1; }
static void on_usr2(int sig) { (void)sig; want_state = 1; }
static void on_term(int sig) { (void)sig; want_exit = 1; }

static void
fill(uint32_t *w, size_t n)
{
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w[i] = (uint32_t)x == SEED ? 0 : (uint32_t)x;
	}
	for (size_t k = 0; k < 8; k++)
		w[(n - 1) / 7 * k] = SEED;
}

/* FINDER_FORK: wait for the child to exit, never reap it. */
static void
parent(pid_t child)
{
	siginfo_t si;

	if (waitid(P_PID, (id_t)child, &si, WEXITED | WNOWAIT) == -1)
		err(1, "waitid");
	for (;;)
		pause();
}

int
main(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	volatile uint32_t stack_value = SEED;
	volatile uint32_t *heap_value;
	struct sigaction sa;
	uint32_t *big = NULL;
	size_t big_len = 0;
	unsigned gen = 0;
	const char *e;

	if (getenv("FINDER_FORK") != NULL) {
		pid_t pid = fork();

		if (pid == -1)
			err(1, "fork");
		if (pid > 0)
			parent(pid);
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) == -1)
			err(1, "prctl");
		if (getppid() == 1)
			_exit(1);
	}
	if ((heap_value = malloc(64)) == NULL)
		err(1, "malloc");
	*heap_value = SEED;
	if ((e = getenv("FINDER_HEAP_MB")) != NULL) {
		big_len = (size_t)strtoul(e, NULL, 10) << 20;
		if (big_len == 0 || (big = malloc(big_len)) == NULL)
			err(1, "malloc %zu", big_len);
		fill(big, big_len / 4);
	}
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_usr1;
	if (sigaction(SIGUSR1, &sa, NULL) == -1)
		err(1, "sigaction");
	sa.sa_handler = on_usr2;
	if (sigaction(SIGUSR2, &sa, NULL) == -1)
		err(1, "sigaction");
	sa.sa_handler = on_term;
	if (sigaction(SIGTERM, &sa, NULL) == -1)
		err(1, "sigaction");

	printf("ready pid=%d data=%p decoy=%p heap=%p stack=%p state=%p seed=%u",
	    (int)getpid(), (void *)&data_value, (void *)&decoy,
	    (void *)heap_value, (void *)&stack_value, (void *)&state, SEED);
	if (big != NULL)
		printf(" big=%p big_len=%zu", (void *)big, big_len);
	printf("\n");
	if (fflush(stdout) == EOF)
		err(1, "stdout");

	while (!want_exit) {
		if (want_change) {
			want_change = 0;
			gen++;
			data_value = SEED + gen;
			*heap_value = SEED + gen;
			stack_value = SEED + gen;
			printf("changed gen=%u\n", gen);
			fflush(stdout);
			continue;
		}
		if (want_state) {
			want_state = 0;
			state = state + 1;
			printf("state=%u\n", (unsigned)state);
			fflush(stdout);
			continue;
		}
		nanosleep(&ts, NULL);
	}
	free(big);
	free((void *)heap_value);
	return 0;
}
