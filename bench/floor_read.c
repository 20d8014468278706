/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor_read: the /proc/PID/mem floor for process-read-memory -o.
 *
 *   floor_read PID ADDR LEN OUT
 *
 * Reads LEN bytes at ADDR of PID through /proc/PID/mem in 1 MiB preads
 * into one buffer and writes each piece to OUT (created or truncated), and
 * does nothing else: what any tool must do to copy that memory to a file.
 * Prints "bytes=N".  Exits 1 on any error or a short read.
 */
#include <err.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define CHUNK (1u << 20)

int
main(int argc, char **argv)
{
	static char buf[CHUNK];
	unsigned long long addr, len, done = 0;
	char path[64];
	int fd, out;

	if (argc != 5)
		errx(64, "usage: floor_read PID ADDR LEN OUT");
	addr = strtoull(argv[2], NULL, 0);
	len = strtoull(argv[3], NULL, 0);
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		err(1, "%s", path);
	if ((out = open(argv[4], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		err(1, "%s", argv[4]);
	while (done < len) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		ssize_t r = pread(fd, buf, n, (off_t)(addr + done));

		if (r <= 0)
			errx(1, "short read at %#llx", addr + done);
		for (ssize_t w = 0, k; w < r; w += k)
			if ((k = write(out, buf + w, (size_t)(r - w))) <= 0)
				err(1, "%s", argv[4]);
		done += (unsigned long long)r;
	}
	if (close(out) != 0)
		err(1, "%s", argv[4]);
	close(fd);
	printf("bytes=%llu\n", done);
	return 0;
}
