/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Replay driver: runs a libFuzzer harness over the files named on its
 * command line, once each, without libFuzzer (any C compiler will do).
 * Linked with a harness and built with ASan and UBSan, it is what
 * `make check` uses to keep every seed and every fuzz/crashes/ reproducer
 * passing: a property violation aborts, a memory error or a leak ends the
 * run with ASan's report. Each input is copied into a buffer of exactly its
 * size, as libFuzzer does, so a read past its end is seen.
 *
 *   replay_NAME FILE...     exit 0 after "replayed N inputs" */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static uint8_t *
slurp(const char *path, size_t *sizep)
{
	FILE *f = fopen(path, "rbe");
	struct stat st;
	uint8_t *buf = NULL;
	size_t size;

	if (f == NULL)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		goto out;
	}
	size = (size_t)st.st_size;
	/* malloc(0) may return NULL; one spare byte is never read. */
	if ((buf = malloc(size ? size : 1)) == NULL)
		goto out;
	if (fread(buf, 1, size, f) != size || ferror(f)) {
		free(buf);
		buf = NULL;
		errno = EIO;
		goto out;
	}
	*sizep = size;
out:
	fclose(f);
	return buf;
}

int
main(int argc, char **argv)
{
	int n = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 64;
	}
	if (LLVMFuzzerInitialize != NULL)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		size_t size = 0;
		uint8_t *data = slurp(argv[i], &size);

		if (data == NULL) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(errno));
			return 1;
		}
		/* Named first, so a crash's report says which input it was. */
		fprintf(stderr, "%s: %s (%zu bytes)\n", argv[0], argv[i], size);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		n++;
	}
	printf("replayed %d inputs\n", n);
	return 0;
}
