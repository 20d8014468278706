/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zx_status_t: Zircon's status codes (ZIRCON.md §13.1) and the error record
 * that core and targets fill and only the CLI prints. */
#ifndef ZX_STATUS_H
#define ZX_STATUS_H

#include <stdint.h>

typedef int32_t zx_status_t;

#define ZX_OK                      0
#define ZX_ERR_INTERNAL           -1
#define ZX_ERR_NOT_SUPPORTED      -2
#define ZX_ERR_NO_RESOURCES       -3
#define ZX_ERR_NO_MEMORY          -4
#define ZX_ERR_INVALID_ARGS      -10
#define ZX_ERR_BAD_HANDLE        -11
#define ZX_ERR_WRONG_TYPE        -12
#define ZX_ERR_BAD_SYSCALL       -13
#define ZX_ERR_OUT_OF_RANGE      -14
#define ZX_ERR_BUFFER_TOO_SMALL  -15
#define ZX_ERR_BAD_STATE         -20
#define ZX_ERR_TIMED_OUT         -21
#define ZX_ERR_SHOULD_WAIT       -22
#define ZX_ERR_CANCELED          -23
#define ZX_ERR_PEER_CLOSED       -24
#define ZX_ERR_NOT_FOUND         -25
#define ZX_ERR_ALREADY_EXISTS    -26
#define ZX_ERR_ALREADY_BOUND     -27
#define ZX_ERR_UNAVAILABLE       -28
#define ZX_ERR_ACCESS_DENIED     -30
#define ZX_ERR_IO                -40
#define ZX_ERR_IO_REFUSED        -41
#define ZX_ERR_IO_DATA_INTEGRITY -42
#define ZX_ERR_IO_DATA_LOSS      -43
#define ZX_ERR_IO_NOT_PRESENT    -44
#define ZX_ERR_IO_OVERRUN        -45
#define ZX_ERR_IO_MISSED_DEADLINE -46
#define ZX_ERR_IO_INVALID        -47
#define ZX_ERR_BAD_PATH          -50
#define ZX_ERR_NOT_DIR           -51
#define ZX_ERR_NOT_FILE          -52
#define ZX_ERR_FILE_BIG          -53
#define ZX_ERR_NO_SPACE          -54
#define ZX_ERR_NOT_EMPTY         -55

/* One failure: the status and a human sentence with the numbers in it. */
struct zx_err {
	zx_status_t status;
	char msg[512];
};

const char *zx_status_name(zx_status_t);

/* Record status and message in err (if err is not NULL); returns status,
 * so call sites read "return zx_fail(err, ZX_ERR_..., "...", ...);". */
zx_status_t zx_fail(struct zx_err *, zx_status_t, const char *, ...)
    __attribute__((format(printf, 3, 4)));

#endif
