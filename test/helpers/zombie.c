/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * zombie: leaves a zombie child behind.  The child exits at once and the
 * parent never reaps it; the parent prints "zombie pid=CHILD" once the child
 * is a zombie, then sleeps until killed.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int
main(void)
{
	siginfo_t si;
	pid_t pid;

	pid = fork();
	if (pid == -1)
		err(1, "fork");
	if (pid == 0)
		_exit(0);

	/* Wait until the child has exited, but leave it unreaped. */
	if (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) == -1)
		err(1, "waitid");

	printf("zombie pid=%d\n", (int)pid);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	for (;;)
		pause();
}
