/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole-buffer I/O at an offset: every short count and EINTR handled.
 * Offsets are uint64_t so /proc/PID/mem addresses above 2^63 work.
 *
 * Giving up: fd_set_canceled(fn) makes the calls that may wait on a peer
 * - fd_read_full, fd_spool_read (DATA from a pipe or terminal),
 * fd_write_all, fd_copy_out, fd_copy_range (a sink such as -o) - ask fn
 * before each read, write or copy, a retry after EINTR or a short count
 * included, and stop with ECANCELED (*done saying how far they got) when
 * it says so. Writes into a target (fd_write_at, fd_write_bytes_at) and
 * a spool's temporary file never stop half-way. Without fn, EINTR is
 * always retried. */
#ifndef TARGETS_FDIO_H
#define TARGETS_FDIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"

void fd_set_canceled(bool (*fn)(void));

/* Return 0, or an errno; *done is the count moved before it stopped. A read
 * that meets end of file stops with 0 and *done < len. */
int fd_read_at(int fd, void *buf, size_t len, uint64_t off, size_t *done);
int fd_write_at(int fd, const void *buf, size_t len, uint64_t off, size_t *done);
/* Write the first len bytes of src at off. */
int fd_write_bytes_at(int fd, const struct zx_bytes *src, size_t len,
    uint64_t off, size_t *done);
/* Write all of buf at fd's current position (a pipe, a terminal, a file
 * opened for -o): short counts and EINTR handled. 0 or an errno; *done
 * (unless NULL) is the count written. */
int fd_write_all(int fd, const void *buf, size_t len, size_t *done);
/* Copy len bytes at offset off of in to out's current position, through
 * the kernel where it can (copy_file_range, then sendfile, which splices),
 * else through a bounded buffer. Bytes past in's end are written as zeros
 * (a VMO reads zeros there). 0 or an errno; *done is what reached out. */
int fd_copy_out(int in, uint64_t off, int out, uint64_t len, uint64_t *done);
/* The same without zeros: where in ends, the copy ends (*done < len, 0). */
int fd_copy_range(int in, uint64_t off, int out, uint64_t len, uint64_t *done);
/* Read from fd's current position until len bytes or end of file (a
 * pipe, a terminal, standard input). 0 or an errno; *done is the count. */
int fd_read_full(int fd, void *buf, size_t len, size_t *done);

/* Bytes of unknown length (DATA from a pipe, a parsed --hexdump) gathered
 * before a write starts, so every check runs before the first byte moves:
 * held in memory up to mem bytes, past that in an unlinked temporary
 * file in $TMPDIR (else /tmp), through a bounded buffer. */
struct fd_spool {
	uint8_t *buf;
	size_t len, cap, mem;
	int fd;            /* the temporary file, or -1 while in memory */
	uint64_t flushed;  /* bytes already in it */
	bool file_failed;  /* an error came from making or writing it */
};
/* Where the temporary file goes. */
const char *fd_spool_dir(void);
void fd_spool_init(struct fd_spool *, size_t mem);
int fd_spool_put(struct fd_spool *, const void *, size_t);
/* Everything fd has left, up to max bytes; *more when it holds more
 * (the byte past max is read, never kept). */
int fd_spool_read(struct fd_spool *, int fd, uint64_t max, bool *more);
/* Done: the bytes as a pattern (in memory, or the file from offset 0).
 * The spool keeps owning what src points at. */
int fd_spool_finish(struct fd_spool *, struct zx_bytes *src);
uint64_t fd_spool_size(const struct fd_spool *);
void fd_spool_free(struct fd_spool *);

/* Read a small file under dirfd into a NUL-terminated malloc'd buffer. */
int fd_slurp_at(int dirfd, const char *path, char **out, size_t *lenp);
/* The same for a file someone else could have replaced (a record, a config
 * file): never follows a final symlink (ELOOP), never blocks opening a
 * FIFO, and reads regular files only (EISDIR, or EINVAL for a FIFO,
 * socket or device). */
int fd_slurp_reg_at(int dirfd, const char *path, char **out, size_t *lenp);

#endif
