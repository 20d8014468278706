/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whole-buffer I/O at an offset: every short count and EINTR handled.
 * Offsets are uint64_t so /proc/PID/mem addresses above 2^63 work. */
#ifndef TARGETS_FDIO_H
#define TARGETS_FDIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/bytes.h"

/* Return 0, or an errno; *done is the count moved before it stopped. A read
 * that meets end of file stops with 0 and *done < len. */
int fd_read_at(int fd, void *buf, size_t len, uint64_t off, size_t *done);
int fd_write_at(int fd, const void *buf, size_t len, uint64_t off, size_t *done);
/* Write the first len bytes of src at off. */
int fd_write_bytes_at(int fd, const struct zx_bytes *src, size_t len,
    uint64_t off, size_t *done);
/* Write all of buf at fd's current position (a pipe, a terminal, a file
 * opened for -o): short counts and EINTR handled. 0 or an errno. */
int fd_write_all(int fd, const void *buf, size_t len);
/* Copy len bytes at offset off of in to out's current position, through
 * the kernel where it can (copy_file_range, then sendfile, which splices),
 * else through a bounded buffer. Bytes past in's end are written as zeros
 * (a VMO reads zeros there). 0 or an errno; *done is what reached out. */
int fd_copy_out(int in, uint64_t off, int out, uint64_t len, uint64_t *done);
/* The same without zeros: where in ends, the copy ends (*done < len, 0). */
int fd_copy_range(int in, uint64_t off, int out, uint64_t len, uint64_t *done);
/* Read a small file under dirfd into a NUL-terminated malloc'd buffer. */
int fd_slurp_at(int dirfd, const char *path, char **out, size_t *lenp);
/* The same for a file someone else could have replaced (a record, a config
 * file): never follows a final symlink (ELOOP), never blocks opening a
 * FIFO, and reads regular files only (EISDIR, or EINVAL for a FIFO,
 * socket or device). */
int fd_slurp_reg_at(int dirfd, const char *path, char **out, size_t *lenp);

#endif
