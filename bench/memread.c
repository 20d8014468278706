/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memread: the /proc/PID/mem read bandwidth floor for process-find.
 *
 *   memread PID
 *
 * Reads every readable mapping of PID that process-find scans (all but
 * [vvar], [vvar_vclock], [vsyscall] and [vdso]) through /proc/PID/mem in
 * 1 MiB preads into one buffer, and does nothing else with the bytes.
 * Prints "bytes=N" (the bytes read).  A mapping that refuses a read is
 * left at that point, as process-find does.  Exits 1 on any other error.
 */
#include <err.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (1u << 20)

int
main(int argc, char **argv)
{
	char path[64], line[4096], perms[8], name[4096];
	unsigned long long start, end, total = 0;
	static char buf[CHUNK];
	FILE *maps;
	int fd;

	if (argc != 2)
		errx(64, "usage: memread PID");
	snprintf(path, sizeof(path), "/proc/%s/maps", argv[1]);
	if ((maps = fopen(path, "re")) == NULL)
		err(1, "%s", path);
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		err(1, "%s", path);
	while (fgets(line, sizeof(line), maps) != NULL) {
		name[0] = '\0';
		if (sscanf(line, "%llx-%llx %7s %*s %*s %*s %4095s", &start, &end,
		    perms, name) < 3)
			continue;
		if (perms[0] != 'r' || strncmp(name, "[vvar", 5) == 0 ||
		    strcmp(name, "[vsyscall]") == 0 || strcmp(name, "[vdso]") == 0)
			continue;
		for (unsigned long long a = start; a < end;) {
			size_t n = end - a < CHUNK ? (size_t)(end - a) : CHUNK;
			ssize_t r = pread(fd, buf, n, (off_t)a);

			if (r <= 0)
				break;
			a += (unsigned long long)r;
			total += (unsigned long long)r;
		}
	}
	fclose(maps);
	close(fd);
	printf("bytes=%llu\n", total);
	return 0;
}
