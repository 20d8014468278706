/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor: the 20-line C floor for a 64 MiB process write.
 *   floor PID ADDR FILE
 * Reads FILE into memory, pwrites it to /proc/PID/mem at ADDR; exits 0 only
 * if every byte was written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[64], *buf, *end;
	struct stat st;
	size_t len = 0, done = 0;
	unsigned long long addr;
	ssize_t n;
	int fd, mem;

	if (argc != 4 || (addr = strtoull(argv[2], &end, 0), *end != '\0'))
		return fprintf(stderr, "usage: floor PID ADDR FILE\n"), 64;
	if ((fd = open(argv[3], O_RDONLY)) == -1 || fstat(fd, &st) == -1 ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL)
		return perror(argv[3]), 1;
	while ((n = read(fd, buf + len, (size_t)st.st_size + 1 - len)) != 0) {
		if (n == -1 && errno != EINTR)
			return perror(argv[3]), 1;
		len += n > 0 ? (size_t)n : 0;
		if (len > (size_t)st.st_size)	/* grew under us: stop reading */
			return fprintf(stderr, "floor: %s grew\n", argv[3]), 1;
	}
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
