/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one command table and the one path every command takes, from argv,
 * a batch line or a shell line: run_argv(). */
#ifndef CLI_CMD_H
#define CLI_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/args.h"
#include "cli/json.h"
#include "core/kcmdline.h"
#include "core/status.h"

#define EXIT_USAGE 64
#define CMD_USAGE 1      /* exec's return for a usage error */
#define CMD_SILENT 2     /* exec printed everything: exit ctx->silent_status */

enum opt_id {
	OPT_HELP, OPT_NAME, OPT_RESIZABLE, OPT_FORMAT, OPT_OUTPUT, OPT_STRING,
	OPT_HEX, OPT_FILE, OPT_U8, OPT_U16, OPT_U32, OPT_U64, OPT_I8, OPT_I16,
	OPT_I32, OPT_I64, OPT_F32, OPT_F64, OPT_REPEAT, OPT_COMMANDS, OPT_EXE,
	OPT_KEEP_GOING, OPT_RIGHTS, OPT_THREAD, OPT_OBJECT, OPT_IN, OPT_WRITABLE,
	OPT_ALIGN, OPT_MAX, OPT_AMONG, OPT_INTERVAL, OPT_TIMEOUT, OPT_COUNT,
	OPT_VALUE, OPT_FORCE, OPT_DISCARDABLE, OPT_HEXDUMP, OPT__COUNT
};
#define O(id) ((uint64_t)1 << (id))
#define OPTS_DATA (O(OPT_STRING) | O(OPT_HEX) | O(OPT_FILE) | O(OPT_U8) | \
    O(OPT_HEXDUMP) | \
    O(OPT_U16) | O(OPT_U32) | O(OPT_U64) | O(OPT_I8) | O(OPT_I16) | \
    O(OPT_I32) | O(OPT_I64) | O(OPT_F32) | O(OPT_F64) | O(OPT_REPEAT))
#define OPTS_READ (O(OPT_FORMAT) | O(OPT_OUTPUT))

struct opt_def {
	enum opt_id id;
	const char *lname;
	char sname;
	const char *arg;       /* NULL: a flag */
	const char *help;
};
extern const struct opt_def opt_defs[OPT__COUNT];

struct cmd_args {
	int npos;
	char *pos[64];
	const char *opt[OPT__COUNT];   /* value, or "" for a flag */
	int nopt[OPT__COUNT];
	int data_opt;                  /* the one DATA option given, or -1 */
};

struct cmd_ctx;

struct cmd_entry {
	const char *name;
	const char *usage;     /* arguments, as in help and the man page */
	const char *summary;
	int min_args, max_args;
	uint64_t opts;
	/* What each positional is, for completion: "handle", "format", ... */
	const char *const *argkinds;
	bool raw_args;         /* words are data, not options (__complete) */
	int (*exec)(struct cmd_ctx *, struct cmd_args *);
};

struct tgt;

struct cmd_ctx {
	bool json, quiet;
	const char *runtime_dir;
	char **kopts;               /* -k words, in order */
	size_t nkopts;
	struct tgt *tgt;
	/* per command */
	const struct cmd_entry *cmd;
	struct zx_err err;
	char usage_msg[512];
	struct jw jw;               /* result fields, JSON mode */
	char *jbuf;
	size_t jlen;
	FILE *jf;
	bool jstreamed;             /* the object went to stdout: status last */
	bool printed_usage;
	/* batch: where the line came from, for FILE:LINE: in errors */
	bool in_batch;
	bool in_shell;
	bool stdin_taken;           /* the batch reads stdin: no DATA from it */
	const char *where_file;
	int where_line;
	int silent_status;
	uint8_t *data_buf;          /* DATA to write: freed after the command */
	size_t data_len;
	int data_fd;                /* DATA read from this file ... */
	bool data_fd_open;          /* ... when set (closed after the command) */
};

extern const struct cmd_entry *const cmd_table[];
extern const size_t cmd_table_len;

const struct cmd_entry *cmd_find(const char *);

/* Run one command line; returns the exit status. */
int run_argv(struct cmd_ctx *, int argc, char **argv);
/* The words after the command name into positionals and options; 0, or
 * CMD_USAGE with ctx->usage_msg set. argv is left as it was. (run_argv's
 * first step, apart so that fuzz/fuzz_argv.c can fuzz it.) */
int parse_args(struct cmd_ctx *, const struct cmd_entry *, int argc,
    char **argv, struct cmd_args *);

/* For exec functions: record a usage error; returns CMD_USAGE. */
int usage_error(struct cmd_ctx *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Parse positional i as a NUMBER named name. */
int arg_number(struct cmd_ctx *, const char *text, const char *name, uint64_t *);
/* The DATA of a write command (positional index datapos or an option).
 * At most max + 1 bytes are taken from a file or stdin: enough to know
 * that the DATA does not fit, so an endless source (/dev/zero) ends with
 * the command's own Zircon status.
 * arg_data gives the bytes in memory (a pattern to find), at most the
 * 64 MiB of a process write. arg_data_stream is for writes: a regular file
 * is read while it is written, and a pipe or --hexdump past 1 MiB is
 * gathered in a temporary file, so DATA of any size costs a few MiB.
 * 0; CMD_USAGE with ctx->usage_msg set; ZX_ERR_CANCELED in ctx->err
 * when a Ctrl-C in the shell ended the wait for DATA (a FIFO, the
 * terminal): the callers return what they get. */
int arg_data(struct cmd_ctx *, struct cmd_args *, int datapos, struct zx_bytes *);
int arg_data_stream(struct cmd_ctx *, struct cmd_args *, int datapos,
    struct zx_bytes *, uint64_t max);
/* --name, if given, must be a handle name. */
int arg_name(struct cmd_ctx *, struct cmd_args *, const char **);
/* --format (default hexdump) and -o. */
int arg_format(struct cmd_ctx *, struct cmd_args *, enum format *);

/* The bytes a resolved VADDR's SIZE defaults to (SPEC §10): its DWARF
 * type's, else its symbol's; 0 when neither is known. */
struct zx_vaddr;
uint64_t typed_size(const struct zx_vaddr *);

/* kernel.enable-debugging-syscalls from every source (SPEC §6). */
bool gate_enabled(struct cmd_ctx *);

/* Commands, by family. */
extern const struct cmd_entry cmd_vmo_create, cmd_vmo_read, cmd_vmo_write,
    cmd_vmo_get_size, cmd_vmo_set_size, cmd_vmo_op_range,
    cmd_vmo_create_child, cmd_vmo_set_cache_policy;
extern const struct cmd_entry cmd_handle_duplicate, cmd_handle_replace,
    cmd_handle_list, cmd_handle_close, cmd_object_info, cmd_reset;
extern const struct cmd_entry cmd_process_read_memory,
    cmd_process_write_memory, cmd_process_maps, cmd_process_vmos,
    cmd_process_symbol, cmd_process_symbols, cmd_process_find,
    cmd_process_watch;
extern const struct cmd_entry cmd_help, cmd_complete, cmd_batch, cmd_shell;

/* A process command's TARGET (cmd_process.c): --exe and --thread are
 * checked before anything is opened; the target (cached in a batch or
 * shell) gets this command's --thread, or none. */
int process_target_opts(struct cmd_ctx *, struct cmd_args *);
struct zx_aspace *process_target(struct cmd_ctx *, struct cmd_args *);

/* Split and run one logical line of a batch or the shell. A line ending
 * in a backslash sets *more (the backslash is cut; append the next line);
 * "exit" and "quit" set *quit when quit is not NULL. Returns the line's
 * exit status, 0 for a blank or comment line. */
int run_line(struct cmd_ctx *, char *logical, bool *more, bool *quit);

/* The names vmo-op-range, vmo-create-child and vmo-set-cache-policy
 * parse ("op", "childopts", "policy"), i from 0 until NULL. */
const char *vmo_enum_name(const char *kind, size_t i);

/* What else completes CUR besides the candidates: file names (of the part
 * of CUR after path_prefix, as in --output=FILE), or directories only. */
enum complete_paths { COMPLETE_NO_PATHS, COMPLETE_PATHS, COMPLETE_DIRS };
struct complete_more {
	enum complete_paths paths;
	size_t path_prefix;         /* bytes of CUR before the path */
};

/* Completion candidates for CUR after words[0..n), each given to emit with
 * a description or NULL; globals_allowed: global options may precede the
 * command (not in the shell, where they were given once to zxmem). Reads
 * only: no namespace is created or changed. */
void complete_words(struct cmd_ctx *, int n, char **words, const char *cur,
    bool globals_allowed,
    void (*emit)(void *, const char *word, const char *desc), void *arg,
    struct complete_more *more);

void print_usage(FILE *, const struct cmd_entry *);
void print_help(FILE *);

#endif
