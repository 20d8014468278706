/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything zxmem prints goes through here: results in plain or JSON form,
 * and errors (human line on stderr, or the JSON error object on stdout). */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/args.h"
#include "cli/cmd.h"
#include "core/aspace.h"

struct tgt_handle_info;
struct tgt_vmo_info;
struct tgt_symbol;

void out_begin(struct cmd_ctx *);
/* Drop what out_begin prepared (a command that prints nothing itself). */
void out_discard(struct cmd_ctx *);
/* Print the result or the error of the command; returns the exit status. */
int out_end(struct cmd_ctx *, int rc);

void out_string(struct cmd_ctx *, const char *key, const char *value);
void out_u64(struct cmd_ctx *, const char *key, uint64_t value);
void out_addr(struct cmd_ctx *, const char *key, uint64_t value);
/* JSON only: a field plain output leaves out. */
void out_json_u64(struct cmd_ctx *, const char *key, uint64_t value);
void out_json_addr(struct cmd_ctx *, const char *key, uint64_t value);

/* Bytes read, in a --format; base is the offset or address of buf[0].
 * Returns the count of trailing bytes a typed format could not show. */
size_t out_bytes(struct cmd_ctx *, enum format, uint64_t base,
    const uint8_t *buf, size_t len);
/* --format value: buf (at least the type's size) as gdb prints it, or as
 * nested JSON under "value" with "type" and "data_hex" (SPEC §10). */
struct zx_type;
struct value_src;
void out_value(struct cmd_ctx *, const struct zx_type *, const uint8_t *buf,
    size_t len, const struct value_src *);
/* -j: from here on the result object goes straight to stdout, its
 * "status" (and an error's "code" and "message") last, so a large
 * data_hex never sits in memory. For a read whose checks have passed,
 * before out_stream_begin. */
void out_json_stream(struct cmd_ctx *);
/* Bytes read, streamed in bounded memory: begin with the format, the
 * address of the first byte and the total, put the pieces in order (each a
 * multiple of 16 bytes but the last), end. put returns ZX_OK, 1 when the
 * format needs no more bytes (cstring met its NUL), or an error in
 * ctx->err: ZX_ERR_CANCELED after a Ctrl-C (interrupt.h), pos - base
 * then the bytes printed; end returns the count of trailing bytes a typed
 * format could not show. */
struct out_stream {
	struct cmd_ctx *ctx;
	enum format fmt;
	uint64_t base, pos, total;
	uint8_t prev[16];            /* hexdump: the last line, to squeeze */
	bool have_prev, squeezing;
	bool nul_held;               /* string: a NUL waits for its next byte */
	bool done;                   /* cstring: the NUL was met */
	size_t left;                 /* typed: bytes that made no whole value */
	FILE *values;                /* JSON: the "values" array, built aside */
	bool values_tmp;             /* ... in a temporary file */
	char *vbuf;
	size_t vlen;
	struct out_progress *prog;
};
void out_stream_begin(struct out_stream *, struct cmd_ctx *, enum format,
    uint64_t base, uint64_t total);
int out_stream_put(struct out_stream *, const uint8_t *, size_t);
size_t out_stream_end(struct out_stream *);

/* A progress line on stderr for long transfers, only when stderr is a
 * terminal and never under -q, -j or in a batch. */
struct out_progress;
struct out_progress *out_progress_begin(struct cmd_ctx *, uint64_t total);
void out_progress_tick(struct out_progress *, uint64_t done);
void out_progress_end(struct out_progress *);

/* -o FILE: open it for the raw bytes (a descriptor, or -1 with ctx->err). */
int out_open_file(struct cmd_ctx *, const char *path);
int out_close_file(struct cmd_ctx *, const char *path, int fd);
/* -o FILE: the raw bytes to a file. */
int out_to_file(struct cmd_ctx *, const char *path, const uint8_t *, size_t);
/* -o FILE cut short by a Ctrl-C: ZX_ERR_CANCELED, saying how many of the
 * total bytes reached it. */
int out_file_canceled(struct cmd_ctx *, const char *path, uint64_t done,
    uint64_t total);

struct zx_vmo_info;
void out_object_info(struct cmd_ctx *, const struct zx_vmo_info *);
void out_handles(struct cmd_ctx *, const struct tgt_handle_info *, size_t);
void out_maps(struct cmd_ctx *, const struct zx_mapping *, size_t);
void out_vmos(struct cmd_ctx *, const struct tgt_vmo_info *, size_t);
/* process-symbol ADDRESS: "counter+2 (/path/prog)". */
void out_symbol_at(struct cmd_ctx *, uint64_t addr, const struct tgt_symbol *);
void out_symbols(struct cmd_ctx *, const struct tgt_symbol *, size_t);

/* Print s with control and non-ASCII bytes as vis(3) escapes. */
void out_text(FILE *, const char *s);
/* s, or its first 64 bytes and its length when it is long (a ring of four
 * buffers: good for the arguments of one message). */
const char *out_cut(const char *s);
struct zx_type;
struct value_src;
/* process-find: the hits as they come (a JSON array), then the totals.
 * sym is "" when no symbol holds addr; m is the mapping holding it. */
void out_find_begin(struct cmd_ctx *);
void out_find_hit(struct cmd_ctx *, uint64_t addr, const char *sym,
    const char *object, const struct zx_mapping *m);
void out_find_end(struct cmd_ctx *, uint64_t count, bool truncated);
/* process-watch: each value seen, timestamped, flushed at once. */
void out_watch_begin(struct cmd_ctx *);
void out_watch_value(struct cmd_ctx *, enum format, uint64_t addr,
    const uint8_t *, size_t, const struct zx_type *, const struct value_src *);
void out_watch_end(struct cmd_ctx *, uint64_t addr, uint64_t size,
    bool matched);

/* Text printed as is (help, COMMAND --help), on stdout; under -j it is
 * gathered and becomes the string field key. end returns ZX_OK or an
 * error in ctx->err. */
struct out_textbuf {
	FILE *f;
	char *buf;
	size_t len;
};
FILE *out_text_begin(struct cmd_ctx *, struct out_textbuf *);
int out_text_end(struct cmd_ctx *, struct out_textbuf *, const char *key);
/* The names of commands, one a line; under -j an array under key. */
void out_names(struct cmd_ctx *, const char *key,
    const struct cmd_entry *const *, size_t);

/* A note on stderr (not an error): "zxmem: COMMAND: note". */
void out_note(struct cmd_ctx *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
