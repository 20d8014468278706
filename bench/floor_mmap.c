/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor_mmap: the tight floor for a 64 MiB process write (informational).
 *   floor_mmap PID ADDR FILE
 * Like floor.c, but maps FILE (MAP_POPULATE) instead of reading it into a
 * fresh malloc'd buffer, so the only copy is the kernel's into the target:
 * what any tool that writes a file into a process could reach at best.
 * Exits 0 only if every byte was written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[64], *buf, *end;
	struct stat st;
	size_t len, done = 0;
	unsigned long long addr;
	ssize_t n;
	int fd, mem;

	if (argc != 4 || (addr = strtoull(argv[2], &end, 0), *end != '\0'))
		return fprintf(stderr, "usage: floor_mmap PID ADDR FILE\n"), 64;
	if ((fd = open(argv[3], O_RDONLY)) == -1 || fstat(fd, &st) == -1)
		return perror(argv[3]), 1;
	if ((len = (size_t)st.st_size) == 0)
		return fprintf(stderr, "floor_mmap: %s is empty\n", argv[3]), 1;
	buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (buf == MAP_FAILED)
		return perror("mmap"), 1;
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((mem = open(path, O_RDWR)) == -1)
		return perror(path), 1;
	while (done < len) {
		n = pwrite(mem, buf + done, len - done, (off_t)(addr + done));
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return perror(n == 0 ? "pwrite: wrote 0" : "pwrite"), 1;
		done += (size_t)n;
	}
	return close(mem) == -1 ? perror(path), 1 : 0;
}
