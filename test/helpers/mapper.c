/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mapper: a live process whose mappings Linux will not transfer in full,
 * for the fault tests (SPEC §5: objects shorter than their mappings, shared
 * mappings the process cannot write, threads, mappings that go away).
 *
 * On start it prints one line and flushes:
 *   ready pid=P tid=T memfd_map=A file_map=A file=PATH ro_map=A gone=A
 * then idles.
 *   tid       a second thread of the process, idling.
 *   memfd_map 3 pages MAP_SHARED read-write over a memfd of one page:
 *             its first page holds "memfd-page-0", pages 2 and 3 lie past
 *             the object's end.
 *   file_map  2 pages MAP_SHARED read-write over the file PATH of 100 bytes
 *             ("file-head" then zeros), created in $TMPDIR (default /tmp):
 *             the second page lies past the file's end.
 *   ro_map    1 page MAP_SHARED PROT_READ over a memfd opened read-write,
 *             holding "read-only-shared": the process cannot write it.
 *   gone      1 page of anonymous memory that SIGUSR2 unmaps; the program
 *             then prints "unmapped gone=A".
 * On SIGUSR1 it prints what it sees:
 *   report seq=N memfd_head=HEX8 file_head=HEX8 ro_head=HEX8 end
 * (the first 8 bytes of each mapping, in hex).  SIGTERM ends it, status 0.
 */
#include <sys/mman.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t want_report, want_unmap, want_exit;

static void
on_signal(int sig)
{
	if (sig == SIGUSR1)
		want_report = 1;
	else if (sig == SIGUSR2)
		want_unmap = 1;
	else
		want_exit = 1;
}

static int tid_pipe[2];

static void *
idle(void *arg)
{
	pid_t tid = gettid();

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		err(1, "write");
	for (;;)
		pause();
	return NULL;
}

static unsigned char *
map_fd(int fd, size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_SHARED, fd, 0);

	if (p == MAP_FAILED)
		err(1, "mmap");
	return p;
}

static int
memfd_with(const char *name, const char *text, size_t size)
{
	int fd = memfd_create(name, 0);

	if (fd == -1)
		err(1, "memfd_create");
	if (ftruncate(fd, (off_t)size) == -1)
		err(1, "ftruncate");
	if (pwrite(fd, text, strlen(text), 0) != (ssize_t)strlen(text))
		err(1, "pwrite");
	return fd;
}

static void
hex8(const char *key, const unsigned char *p)
{
	printf(" %s=", key);
	for (int i = 0; i < 8; i++)
		printf("%02x", p[i]);
}

int
main(void)
{
	long page = sysconf(_SC_PAGESIZE);
	const char *dir = getenv("TMPDIR");
	unsigned char *memfd_map, *file_map, *ro_map, *gone;
	char path[4096];
	struct sigaction sa;
	pthread_t th;
	sigset_t none;
	pid_t tid;
	unsigned long seq = 0;
	int fd;

	memfd_map = map_fd(memfd_with("mapper-short", "memfd-page-0",
	    (size_t)page), 3 * (size_t)page, PROT_READ | PROT_WRITE);

	snprintf(path, sizeof(path), "%s/mapper-file.XXXXXX", dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) == -1)
		err(1, "mkstemp %s", path);
	if (ftruncate(fd, 100) == -1 || pwrite(fd, "file-head", 9, 0) != 9)
		err(1, "%s", path);
	file_map = map_fd(fd, 2 * (size_t)page, PROT_READ | PROT_WRITE);

	ro_map = map_fd(memfd_with("mapper-ro", "read-only-shared", (size_t)page),
	    (size_t)page, PROT_READ);

	gone = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (gone == MAP_FAILED)
		err(1, "mmap");
	gone[0] = 1;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	if (sigaction(SIGUSR1, &sa, NULL) == -1 ||
	    sigaction(SIGUSR2, &sa, NULL) == -1 ||
	    sigaction(SIGTERM, &sa, NULL) == -1)
		err(1, "sigaction");
	/* Signals go to this thread: the other one blocks them all. */
	sigfillset(&none);
	if (pthread_sigmask(SIG_BLOCK, &none, NULL) != 0)
		errx(1, "pthread_sigmask");
	if (pipe(tid_pipe) == -1)
		err(1, "pipe");
	if ((errno = pthread_create(&th, NULL, idle, NULL)) != 0)
		err(1, "pthread_create");
	if (read(tid_pipe[0], &tid, sizeof(tid)) != (ssize_t)sizeof(tid))
		err(1, "read");
	sigemptyset(&none);
	if (pthread_sigmask(SIG_SETMASK, &none, NULL) != 0)
		errx(1, "pthread_sigmask");

	printf("ready pid=%d tid=%d memfd_map=%p file_map=%p file=%s ro_map=%p"
	    " gone=%p\n", (int)getpid(), (int)tid, (void *)memfd_map, (void *)file_map,
	    path, (void *)ro_map, (void *)gone);
	if (fflush(stdout) == EOF)
		err(1, "stdout");
	while (!want_exit) {
		pause();
		if (want_report) {
			want_report = 0;
			printf("report seq=%lu", ++seq);
			hex8("memfd_head", memfd_map);
			hex8("file_head", file_map);
			hex8("ro_head", ro_map);
			printf(" end\n");
		}
		if (want_unmap) {
			want_unmap = 0;
			if (munmap(gone, (size_t)page) == -1)
				err(1, "munmap");
			printf("unmapped gone=%p\n", (void *)gone);
		}
		if (fflush(stdout) == EOF)
			err(1, "stdout");
	}
	return 0;
}
