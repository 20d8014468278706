/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdarg.h>
#include <stdio.h>

#include "core/status.h"

static const struct {
	zx_status_t status;
	const char *name;
} names[] = {
	{ ZX_OK, "ZX_OK" },
	{ ZX_ERR_INTERNAL, "ZX_ERR_INTERNAL" },
	{ ZX_ERR_NOT_SUPPORTED, "ZX_ERR_NOT_SUPPORTED" },
	{ ZX_ERR_NO_RESOURCES, "ZX_ERR_NO_RESOURCES" },
	{ ZX_ERR_NO_MEMORY, "ZX_ERR_NO_MEMORY" },
	{ ZX_ERR_INVALID_ARGS, "ZX_ERR_INVALID_ARGS" },
	{ ZX_ERR_BAD_HANDLE, "ZX_ERR_BAD_HANDLE" },
	{ ZX_ERR_WRONG_TYPE, "ZX_ERR_WRONG_TYPE" },
	{ ZX_ERR_BAD_SYSCALL, "ZX_ERR_BAD_SYSCALL" },
	{ ZX_ERR_OUT_OF_RANGE, "ZX_ERR_OUT_OF_RANGE" },
	{ ZX_ERR_BUFFER_TOO_SMALL, "ZX_ERR_BUFFER_TOO_SMALL" },
	{ ZX_ERR_BAD_STATE, "ZX_ERR_BAD_STATE" },
	{ ZX_ERR_TIMED_OUT, "ZX_ERR_TIMED_OUT" },
	{ ZX_ERR_SHOULD_WAIT, "ZX_ERR_SHOULD_WAIT" },
	{ ZX_ERR_CANCELED, "ZX_ERR_CANCELED" },
	{ ZX_ERR_PEER_CLOSED, "ZX_ERR_PEER_CLOSED" },
	{ ZX_ERR_NOT_FOUND, "ZX_ERR_NOT_FOUND" },
	{ ZX_ERR_ALREADY_EXISTS, "ZX_ERR_ALREADY_EXISTS" },
	{ ZX_ERR_ALREADY_BOUND, "ZX_ERR_ALREADY_BOUND" },
	{ ZX_ERR_UNAVAILABLE, "ZX_ERR_UNAVAILABLE" },
	{ ZX_ERR_ACCESS_DENIED, "ZX_ERR_ACCESS_DENIED" },
	{ ZX_ERR_IO, "ZX_ERR_IO" },
	{ ZX_ERR_IO_REFUSED, "ZX_ERR_IO_REFUSED" },
	{ ZX_ERR_IO_DATA_INTEGRITY, "ZX_ERR_IO_DATA_INTEGRITY" },
	{ ZX_ERR_IO_DATA_LOSS, "ZX_ERR_IO_DATA_LOSS" },
	{ ZX_ERR_IO_NOT_PRESENT, "ZX_ERR_IO_NOT_PRESENT" },
	{ ZX_ERR_IO_OVERRUN, "ZX_ERR_IO_OVERRUN" },
	{ ZX_ERR_IO_MISSED_DEADLINE, "ZX_ERR_IO_MISSED_DEADLINE" },
	{ ZX_ERR_IO_INVALID, "ZX_ERR_IO_INVALID" },
	{ ZX_ERR_BAD_PATH, "ZX_ERR_BAD_PATH" },
	{ ZX_ERR_NOT_DIR, "ZX_ERR_NOT_DIR" },
	{ ZX_ERR_NOT_FILE, "ZX_ERR_NOT_FILE" },
	{ ZX_ERR_FILE_BIG, "ZX_ERR_FILE_BIG" },
	{ ZX_ERR_NO_SPACE, "ZX_ERR_NO_SPACE" },
	{ ZX_ERR_NOT_EMPTY, "ZX_ERR_NOT_EMPTY" },
};

const char *
zx_status_name(zx_status_t status)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].status == status)
			return names[i].name;
	return "ZX_ERR_INTERNAL";
}

zx_status_t
zx_fail(struct zx_err *err, zx_status_t status, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return status;
}
