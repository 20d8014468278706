/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timeit: run a command N times and report its wall time.
 *
 *   timeit [-n RUNS] [-w WARMUP] -- COMMAND [ARG...]
 *
 * Each run is fork + execve (COMMAND is searched in PATH when it has no
 * '/'), stdin from /dev/null, stdout and stderr to /dev/null, every
 * descriptor from 3 up closed.  The wall time of a run is measured with
 * CLOCK_MONOTONIC from just before fork to just after waitpid.  WARMUP
 * runs (default 1) go first and are not counted.  The result is one line:
 *
 *   median_ms=1.234 min_ms=1.100 max_ms=1.500 runs=20
 *
 * Any run that does not exit with status 0 (or cannot be started) makes
 * timeit exit 1 with a message naming the run: a benchmark that measures
 * failures is worthless.  Usage errors exit 64.
 */
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define MAX_RUNS 100000

static const char *prog = "timeit";

static void
usage(void)
{
	fprintf(stderr, "usage: %s [-n RUNS] [-w WARMUP] -- COMMAND [ARG...]\n",
	    prog);
	exit(64);
}

static long
parse_count(const char *s, const char *what, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > MAX_RUNS) {
		fprintf(stderr, "%s: bad %s '%s' (want %ld..%d)\n", prog, what,
		    s, min, MAX_RUNS);
		usage();
	}
	return v;
}

static double
now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1) {
		perror("timeit: clock_gettime");
		exit(1);
	}
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* In the child: close every descriptor from 3 up. */
static void
close_from_3(void)
{
	long max, fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, 3U, ~0U, 0U) == 0)
		return;
#endif
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 1L << 20)
		max = 1L << 20;
	for (fd = 3; fd < max; fd++)
		(void)close((int)fd);
}

/* In the child: execve COMMAND, searching PATH if it has no '/'. */
static void
exec_command(char **argv)
{
	const char *path, *p, *colon;
	char buf[PATH_MAX];
	int saved = ENOENT;
	size_t dlen;

	if (strchr(argv[0], '/') != NULL) {
		execve(argv[0], argv, environ);
		return;
	}
	path = getenv("PATH");
	if (path == NULL || *path == '\0')
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path;; p = colon + 1) {
		colon = strchr(p, ':');
		dlen = colon != NULL ? (size_t)(colon - p) : strlen(p);
		if (dlen == 0) {
			dlen = 1;
			p = ".";
		}
		if ((size_t)snprintf(buf, sizeof(buf), "%.*s/%s", (int)dlen, p,
		    argv[0]) < sizeof(buf)) {
			execve(buf, argv, environ);
			if (errno != ENOENT && errno != ENOTDIR)
				saved = errno;
		}
		if (colon == NULL)
			break;
	}
	errno = saved;
}

/*
 * Run argv once; return its wall time in ms.  Exits 1 if the command
 * cannot be run or does not exit 0.  run is the run's label for messages.
 */
static double
run_once(char **argv, const char *label, long run)
{
	double t0, t1;
	pid_t pid;
	int status, null;

	t0 = now_ms();
	pid = fork();
	if (pid == -1) {
		perror("timeit: fork");
		exit(1);
	}
	if (pid == 0) {
		null = open("/dev/null", O_RDWR);
		if (null == -1 || dup2(null, 0) == -1 || dup2(null, 1) == -1) {
			perror("timeit: /dev/null");
			_exit(126);
		}
		/* stderr last: a failure above can still be reported. */
		if (dup2(null, 2) == -1)
			_exit(126);
		close_from_3();
		exec_command(argv);
		/* stderr is /dev/null now; the status says what happened. */
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			perror("timeit: waitpid");
			exit(1);
		}
	}
	t1 = now_ms();

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return t1 - t0;
	fprintf(stderr, "%s: FAILED: %s run %ld of '%s': ", prog, label, run,
	    argv[0]);
	if (WIFEXITED(status)) {
		fprintf(stderr, "exit status %d%s\n", WEXITSTATUS(status),
		    WEXITSTATUS(status) == 127 ? " (command not found?)" :
		    WEXITSTATUS(status) == 126 ? " (could not execute?)" : "");
	} else if (WIFSIGNALED(status)) {
		fprintf(stderr, "killed by signal %d (%s)\n", WTERMSIG(status),
		    strsignal(WTERMSIG(status)));
	} else {
		fprintf(stderr, "wait status 0x%x\n", status);
	}
	exit(1);
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
	long runs = 10, warmup = 1, i;
	double *t, median;
	int opt;

	while ((opt = getopt(argc, argv, "+n:w:h")) != -1) {
		switch (opt) {
		case 'n':
			runs = parse_count(optarg, "run count", 1);
			break;
		case 'w':
			warmup = parse_count(optarg, "warm-up count", 0);
			break;
		default:
			usage();
		}
	}
	/* getopt consumed "--" if it was there; require a command. */
	if (optind >= argc || strcmp(argv[optind - 1], "--") != 0)
		usage();
	argv += optind;

	t = calloc((size_t)runs, sizeof(*t));
	if (t == NULL) {
		perror("timeit: calloc");
		return 1;
	}
	for (i = 0; i < warmup; i++)
		(void)run_once(argv, "warm-up", i + 1);
	for (i = 0; i < runs; i++)
		t[i] = run_once(argv, "timed", i + 1);

	qsort(t, (size_t)runs, sizeof(*t), cmp_double);
	if (runs % 2 == 1)
		median = t[runs / 2];
	else
		median = (t[runs / 2 - 1] + t[runs / 2]) / 2;
	printf("median_ms=%.3f min_ms=%.3f max_ms=%.3f runs=%ld\n", median,
	    t[0], t[runs - 1], runs);
	free(t);
	return fflush(stdout) == EOF ? 1 : 0;
}
