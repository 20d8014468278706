/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rusage: run a command once and report what it cost.
 *
 *   rusage -- COMMAND [ARG...]
 *
 * COMMAND runs with stdin from /dev/null and stdout and stderr to
 * /dev/null.  One line is printed:
 *
 *   status=N wall_ms=W user_ms=U sys_ms=S maxrss_kb=K
 *
 * (wait4's rusage: the command's own CPU time and peak resident size).
 * The exit status is reported, not judged: a timed-out watch exits 21.
 */
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
ms(struct timeval tv)
{
	return tv.tv_sec * 1e3 + tv.tv_usec / 1e3;
}

int
main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, fd;
	pid_t pid;

	if (argc < 3 || strcmp(argv[1], "--") != 0)
		errx(64, "usage: rusage -- COMMAND [ARG...]");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if ((fd = open("/dev/null", O_RDWR)) < 0)
			_exit(127);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) != pid)
		err(1, "wait4");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("status=%d wall_ms=%.3f user_ms=%.3f sys_ms=%.3f maxrss_kb=%ld\n",
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
	    (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6,
	    ms(ru.ru_utime), ms(ru.ru_stime), ru.ru_maxrss);
	return 0;
}
