/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * floor_pokeaddr: the C floor for a poke by address.
 *   floor_pokeaddr PID ADDR VALUE
 * Opens /proc/PID/mem and pwrites VALUE (a u32) at ADDR: the least any
 * tool must do. Exits 0 only if the 4 bytes were written.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	char path[64], *end, *vend;
	unsigned long long addr;
	unsigned long v;
	uint32_t u;
	ssize_t n;
	int mem;

	if (argc != 4 || (addr = strtoull(argv[2], &end, 0), *end != '\0') ||
	    (v = strtoul(argv[3], &vend, 0), *vend != '\0') || v > UINT32_MAX)
		return fprintf(stderr, "usage: floor_pokeaddr PID ADDR VALUE\n"), 64;
	u = (uint32_t)v;
	snprintf(path, sizeof(path), "/proc/%s/mem", argv[1]);
	if ((mem = open(path, O_RDWR | O_CLOEXEC)) == -1)
		return perror(path), 1;
	do
		n = pwrite(mem, &u, sizeof(u), (off_t)addr);
	while (n == -1 && errno == EINTR);
	if (n != (ssize_t)sizeof(u))
		return perror("pwrite"), 1;
	return close(mem) == -1 ? perror(path), 1 : 0;
}
