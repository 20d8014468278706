/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The command table, the option parser every command shares, and
 * run_argv(): the single path from words to a result. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "core/procmem.h"
#include "targets/fdio.h"
#include "targets/targets.h"

const struct opt_def opt_defs[OPT__COUNT] = {
	{ OPT_HELP, "help", 'h', NULL, "print this command's usage" },
	{ OPT_NAME, "name", 0, "NAME", "name of the new handle" },
	{ OPT_RESIZABLE, "resizable", 0, NULL, "the VMO may change size" },
	{ OPT_FORMAT, "format", 'f', "FORMAT", "output format" },
	{ OPT_OUTPUT, "output", 'o', "FILE", "write the raw bytes to FILE" },
	{ OPT_STRING, "string", 0, "STR", "DATA: a string with C escapes" },
	{ OPT_HEX, "hex", 0, "HEX", "DATA: hex digit pairs" },
	{ OPT_FILE, "file", 0, "PATH", "DATA: a file's bytes (- for stdin)" },
	{ OPT_U8, "u8", 0, "LIST", "DATA: unsigned 8-bit values" },
	{ OPT_U16, "u16", 0, "LIST", "DATA: unsigned 16-bit values" },
	{ OPT_U32, "u32", 0, "LIST", "DATA: unsigned 32-bit values" },
	{ OPT_U64, "u64", 0, "LIST", "DATA: unsigned 64-bit values" },
	{ OPT_I8, "i8", 0, "LIST", "DATA: signed 8-bit values" },
	{ OPT_I16, "i16", 0, "LIST", "DATA: signed 16-bit values" },
	{ OPT_I32, "i32", 0, "LIST", "DATA: signed 32-bit values" },
	{ OPT_I64, "i64", 0, "LIST", "DATA: signed 64-bit values" },
	{ OPT_F32, "f32", 0, "LIST", "DATA: 32-bit floats" },
	{ OPT_F64, "f64", 0, "LIST", "DATA: 64-bit floats" },
	{ OPT_REPEAT, "repeat", 0, "N", "repeat the DATA N times" },
	{ OPT_COMMANDS, "commands", 0, NULL, "list command names" },
	{ OPT_EXE, "exe", 0, "PATH", "a core's main executable, for symbols" },
	{ OPT_KEEP_GOING, "keep-going", 0, NULL, "run on after a failing line" },
	{ OPT_RIGHTS, "rights", 0, "RIGHTS", "comma list of rights, same, none "
	    "or a number" },
	{ OPT_THREAD, "thread", 0, "TID", "the thread whose TLS variables are meant" },
	{ OPT_OBJECT, "object", 0, "OBJ", "only the symbols of this object" },
	{ OPT_IN, "in", 0, "MAPPING", "only the mappings named so, or START-END" },
	{ OPT_WRITABLE, "writable", 0, NULL, "only writable mappings" },
	{ OPT_ALIGN, "align", 0, "N", "only addresses that are multiples of N" },
	{ OPT_MAX, "max", 0, "N", "stop after N hits (default 1000)" },
	{ OPT_AMONG, "among", 0, "FILE", "only the addresses a previous find gave" },
	{ OPT_INTERVAL, "interval", 0, "DUR", "time between reads (default 100ms)" },
	{ OPT_TIMEOUT, "timeout", 0, "DUR", "give up after DUR: ZX_ERR_TIMED_OUT" },
	{ OPT_COUNT, "count", 0, "N", "stop after N changes" },
	{ OPT_VALUE, "value", 0, "V", "DATA: V parsed by VADDR's DWARF type" },
	{ OPT_FORCE, "force", 0, NULL, "write past the object VADDR names" },
	{ OPT_DISCARDABLE, "discardable", 0, NULL, "the kernel may discard the "
	    "VMO's pages while it is unlocked" },
	{ OPT_HEXDUMP, "hexdump", 0, "PATH", "DATA: hexdump -C text (- for stdin)" },
};

/* In the man page's order. */
const struct cmd_entry *const cmd_table[] = {
	&cmd_vmo_create, &cmd_vmo_read, &cmd_vmo_write, &cmd_vmo_get_size,
	&cmd_vmo_set_size, &cmd_vmo_op_range, &cmd_vmo_create_child,
	&cmd_vmo_set_cache_policy,
	&cmd_handle_duplicate, &cmd_handle_replace, &cmd_handle_list,
	&cmd_handle_close, &cmd_object_info, &cmd_reset,
	&cmd_process_read_memory, &cmd_process_write_memory, &cmd_process_maps,
	&cmd_process_vmos, &cmd_process_symbol, &cmd_process_symbols,
	&cmd_process_find, &cmd_process_watch,
	&cmd_batch, &cmd_shell, &cmd_help,
};
const size_t cmd_table_len = sizeof(cmd_table) / sizeof(cmd_table[0]);

const struct cmd_entry *
cmd_find(const char *name)
{
	for (size_t i = 0; i < cmd_table_len; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			return cmd_table[i];
	if (strcmp(name, cmd_complete.name) == 0)
		return &cmd_complete;
	return NULL;
}

/* Levenshtein distance, for "did you mean". */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

	if (lb >= 64)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

static const char *
suggest(const char *name)
{
	const char *best = NULL;
	size_t bd = 3;

	for (size_t i = 0; i < cmd_table_len; i++) {
		size_t d = distance(name, cmd_table[i]->name);

		if (d < bd) {
			bd = d;
			best = cmd_table[i]->name;
		}
	}
	return best;
}

int
usage_error(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ctx->usage_msg, sizeof(ctx->usage_msg), fmt, ap);
	va_end(ap);
	return CMD_USAGE;
}

void
print_usage(FILE *f, const struct cmd_entry *c)
{
	fprintf(f, "usage: zxmem %s%s%s\n", c->name, c->usage[0] ? " " : "",
	    c->usage);
}

/* A word getopt must leave alone: a negative number is a positional. */
static bool
negative_number(const char *w)
{
	return w[0] == '-' && w[1] >= '0' && w[1] <= '9';
}

/* Why getopt_long refused argv[optind - 1] (or the short option optopt),
 * in words that name the option as the user wrote it. */
static int
option_error(struct cmd_ctx *ctx, const struct option *lopts, int nl,
    const char *word, int ch, int optopt_)
{
	if (word != NULL && strncmp(word, "--", 2) == 0) {
		size_t n = strcspn(word + 2, "=");
		const char *match[8];
		int nm = 0;

		for (int i = 0; i < nl; i++) {
			if (strncmp(lopts[i].name, word + 2, n) != 0)
				continue;
			if (strlen(lopts[i].name) == n) {
				nm = 1;
				match[0] = lopts[i].name;
				break;
			}
			if (nm < 8)
				match[nm++] = lopts[i].name;
		}
		if (nm == 0)
			return usage_error(ctx, "unknown option '%s'", out_cut(word));
		if (nm > 1)
			return usage_error(ctx, "option '%.*s' is ambiguous (--%s, "
			    "--%s%s)", (int)n + 2, word, match[0], match[1],
			    nm > 2 ? ", ..." : "");
		for (int i = 0; i < OPT__COUNT; i++)
			if (strcmp(opt_defs[i].lname, match[0]) == 0) {
				if (opt_defs[i].arg == NULL)
					return usage_error(ctx, "--%s takes no value",
					    match[0]);
				return usage_error(ctx, "--%s needs a %s", match[0],
				    opt_defs[i].arg);
			}
	}
	for (int i = 0; i < OPT__COUNT; i++)
		if (opt_defs[i].sname != 0 && opt_defs[i].sname == optopt_ &&
		    ch == ':')
			return usage_error(ctx, "-%c (--%s) needs a %s", optopt_,
			    opt_defs[i].lname, opt_defs[i].arg);
	if (optopt_ > 0 && optopt_ < 128)
		return usage_error(ctx, "unknown option '-%c'", optopt_);
	return usage_error(ctx, "unknown option '%s'", word ? out_cut(word) :
	    "?");
}

/* getopt_long over the options of one command: short options bundle,
 * --opt=value and --opt value, unique prefixes of this command's own
 * long options, "--" ends the options. A lone "-" and negative numbers are
 * positionals; options may come anywhere after the command. */
int
parse_args(struct cmd_ctx *ctx, const struct cmd_entry *c, int argc,
    char **argv, struct cmd_args *a)
{
	struct option lopts[OPT__COUNT + 1];
	char sopts[3 + 2 * OPT__COUNT + 1], *sp = sopts;
	int nl = 0, ch, last = -1;

	memset(a, 0, sizeof(*a));
	a->data_opt = -1;
	if (c->raw_args) {
		for (int i = 1; i < argc; i++) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return usage_error(ctx, "too many arguments");
			a->pos[a->npos++] = argv[i];
		}
		return 0;
	}
	/* "-": positionals come back in order as 1; ":": a missing value
	 * is told apart from an unknown option. */
	*sp++ = '-';
	*sp++ = ':';
	for (int i = 0; i < OPT__COUNT; i++) {
		const struct opt_def *d = &opt_defs[i];

		if (d->id != OPT_HELP && !(c->opts & O(d->id)))
			continue;
		lopts[nl++] = (struct option){ d->lname,
		    d->arg ? required_argument : no_argument, NULL, 1000 + i };
		if (d->sname != 0) {
			*sp++ = d->sname;
			if (d->arg != NULL)
				*sp++ = ':';
		}
	}
	lopts[nl] = (struct option){ 0 };
	*sp = '\0';
	/* glibc starts afresh with optind 0 (batch and shell parse again);
	 * an empty run does that and leaves optind at the first word, so
	 * the loop can look at each word before getopt does. */
	opterr = 0;
	optind = 0;
	(void)getopt_long(1, argv, sopts, lopts, NULL);
	optind = 1;
	for (;;) {
		const struct opt_def *d;
		const char *val;

		/* At the start of a word (not inside a bundle like -jq),
		 * a negative number is a positional. */
		if (optind != last && optind < argc &&
		    negative_number(argv[optind])) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return usage_error(ctx, "too many arguments");
			a->pos[a->npos++] = argv[optind++];
			continue;
		}
		last = optind;
		if ((ch = getopt_long(argc, argv, sopts, lopts, NULL)) == -1)
			break;
		if (ch == 1) {
			if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
				return usage_error(ctx, "too many arguments");
			a->pos[a->npos++] = optarg;
			continue;
		}
		if (ch == '?' || ch == ':')
			return option_error(ctx, lopts, nl,
			    optind > 0 && optind <= argc ? argv[optind - 1] : NULL,
			    ch, optopt);
		if (ch >= 1000)
			d = &opt_defs[ch - 1000];
		else {
			d = NULL;
			for (int i = 0; i < OPT__COUNT && d == NULL; i++)
				if (opt_defs[i].sname == ch)
					d = &opt_defs[i];
			if (d == NULL)
				return usage_error(ctx, "unknown option '-%c'", ch);
		}
		val = d->arg ? optarg : "";
		if (a->nopt[d->id]++ > 0 && d->id != OPT_HELP)
			return usage_error(ctx, "--%s given twice", d->lname);
		a->opt[d->id] = val;
		if ((O(d->id) & (OPTS_DATA | O(OPT_VALUE))) && d->id != OPT_REPEAT) {
			if (a->data_opt >= 0)
				return usage_error(ctx, "give exactly one DATA source "
				    "(--%s and --%s both given)",
				    opt_defs[a->data_opt].lname, d->lname);
			a->data_opt = (int)d->id;
		}
	}
	for (int i = optind; i < argc; i++) {
		if (a->npos == (int)(sizeof(a->pos) / sizeof(a->pos[0])))
			return usage_error(ctx, "too many arguments");
		a->pos[a->npos++] = argv[i];
	}
	return 0;
}

int
arg_number(struct cmd_ctx *ctx, const char *text, const char *name, uint64_t *v)
{
	char why[WHY_LEN];

	if (parse_number(text, v, why) < 0)
		return usage_error(ctx, "%s: '%s': %s", name, out_cut(text), why);
	return 0;
}

int
arg_name(struct cmd_ctx *ctx, struct cmd_args *a, const char **name)
{
	*name = a->opt[OPT_NAME];
	if (*name != NULL && !tgt_valid_name(*name))
		return usage_error(ctx, "--name: '%s' is not a handle name "
		    "([A-Za-z_][A-Za-z0-9_.-]{0,63})", out_cut(*name));
	return 0;
}

int
arg_format(struct cmd_ctx *ctx, struct cmd_args *a, enum format *f)
{
	*f = FMT_HEXDUMP;
	if (a->opt[OPT_FORMAT] != NULL && parse_format(a->opt[OPT_FORMAT], f) < 0)
		return usage_error(ctx, "--format: unknown format '%s' (hexdump "
		    "raw hex string cstring u8 u16 u32 u64 i8 i16 i32 i64 f32 "
		    "f64 x8 x16 x32 x64 value)",
		    out_cut(a->opt[OPT_FORMAT]));
	/* Only process memory has DWARF types. */
	if (*f == FMT_VALUE && strncmp(ctx->cmd->name, "process-", 8) != 0)
		return usage_error(ctx, "--format: 'value' needs a typed VADDR "
		    "of a process or core");
	return 0;
}

/* The DATA of the command that just ran, mapped or allocated. */
static void
data_release(struct cmd_ctx *ctx)
{
	free(ctx->data_buf);
	if (ctx->data_fd_open)
		close(ctx->data_fd);
	ctx->data_buf = NULL;
	ctx->data_len = 0;
	ctx->data_fd_open = false;
}

/* Is path the file on standard input? */
static bool
is_stdin(const char *path)
{
	struct stat sp, si;

	return stat(path, &sp) == 0 && fstat(STDIN_FILENO, &si) == 0 &&
	    sp.st_dev == si.st_dev && sp.st_ino == si.st_ino;
}

/* Keep what the spool holds for the command (freed by data_release). */
static void
spool_keep(struct cmd_ctx *ctx, struct fd_spool *sp, const struct zx_bytes *b)
{
	if (b->in_file) {
		ctx->data_fd = sp->fd;
		ctx->data_fd_open = true;
		sp->fd = -1;
	} else {
		ctx->data_buf = sp->buf;
		ctx->data_len = sp->len;
		sp->buf = NULL;
	}
	fd_spool_free(sp);
}

/* --hexdump's parser hands its bytes to the spool; a failure there is an
 * errno, not a parse error. */
struct hexdump_sink {
	struct fd_spool *sp;
	int err;
};

static int
spool_emit(void *arg, const uint8_t *b, size_t n)
{
	struct hexdump_sink *k = arg;

	return k->err = fd_spool_put(k->sp, b, n);
}

/* hexdump -C text on fd, parsed as it is read into sp: 0, -1 for text
 * that is no dump (why says where), or an errno. The text is bounded too,
 * so endless blank lines end: hexdump -C prints 16 bytes in at most 88
 * characters (a 16-digit offset, CRLF line ends), 5.5 times, then the end
 * offset. */
static int
read_hexdump(int fd, struct fd_spool *sp, uint64_t max, bool *more,
    bool *too_long, char *why)
{
	uint64_t tmax = max > (UINT64_MAX - 4096) / 6 ? UINT64_MAX : max * 6 + 4096;
	uint64_t text = 0;
	struct hexdump_sink sink = { sp, 0 };
	struct hexdump_parser hp;
	char *buf;
	int rc = 0;

	*more = *too_long = false;
	if ((buf = malloc(65536)) == NULL)
		return ENOMEM;
	hexdump_begin(&hp, max, spool_emit, &sink);
	while (!hp.more) {
		size_t got;

		if ((rc = fd_read_full(fd, buf, 65536, &got)) != 0)
			break;
		if (got == 0) {
			rc = hexdump_finish(&hp, why);
			break;
		}
		if (got > tmax - text) {
			*too_long = true;
			break;
		}
		text += got;
		if ((rc = hexdump_feed(&hp, buf, got, why)) < 0)
			break;
	}
	if (rc < 0 && sink.err != 0)
		rc = sink.err;
	*more = hp.more || *too_long;
	hexdump_free(&hp);
	free(buf);
	return rc;
}

/* why: the reason a spool failed, as a message about path. */
static void
spool_why(const struct fd_spool *sp, const char *path, int e, char *why)
{
	if (sp->file_failed)
		snprintf(why, WHY_LEN, "cannot keep '%s' in a temporary file in "
		    "%s: %s", out_cut(path), fd_spool_dir(), strerror(e));
	else
		snprintf(why, WHY_LEN, "cannot read '%s': %s", out_cut(path),
		    strerror(e));
}

/* DATA from a file or standard input: a regular file is written straight
 * from the file (from standard input's own position for -); anything
 * else, and parsed --hexdump text, is gathered first (fd_spool) so its
 * size is known before anything moves. In memory for callers that need
 * the bytes there (!stream). 0; -1 with why set; -2 when a Ctrl-C ended
 * the wait for it (fdio's ECANCELED). */
static int
data_from_fd(struct cmd_ctx *ctx, int fd, const char *path, bool hexdump,
    uint64_t max, bool stream, struct zx_bytes *b, bool *more, bool *too_long,
    char *why)
{
	struct fd_spool sp;
	struct stat st;
	int rc;

	*more = *too_long = false;
	memset(b, 0, sizeof(*b));
	b->repeat = 1;
	b->fd = -1;
	b->data = (const uint8_t *)"";
	if (stream && !hexdump && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t at = fd == STDIN_FILENO ? lseek(fd, 0, SEEK_CUR) : 0;
		uint64_t size;

		if (at < 0)
			at = 0;
		size = st.st_size > at ? (uint64_t)(st.st_size - at) : 0;
		if (size > max || size > SIZE_MAX) {
			*more = true;
			return 0;
		}
		if (size == 0)
			return 0;
		b->in_file = true;
		b->fd = fd;
		b->file_off = (uint64_t)at;
		b->len = (size_t)size;
		/* Taken as a read would take it. */
		if (fd == STDIN_FILENO)
			(void)lseek(fd, at + (off_t)size, SEEK_SET);
		else {
			ctx->data_fd = fd;
			ctx->data_fd_open = true;
		}
		return 0;
	}
	fd_spool_init(&sp, stream ? 1u << 20 : SIZE_MAX);
	if (hexdump) {
		if ((rc = read_hexdump(fd, &sp, max, more, too_long, why)) != 0) {
			char msg[2 * WHY_LEN];

			if (rc == ECANCELED) {
				fd_spool_free(&sp);
				return -2;
			}
			if (rc > 0) {
				spool_why(&sp, path, rc, why);
			} else {
				snprintf(msg, sizeof(msg), "'%s': %s",
				    out_cut(path), why);
				strlcpy(why, msg, WHY_LEN);
			}
			fd_spool_free(&sp);
			return -1;
		}
	} else if ((rc = fd_spool_read(&sp, fd, max, more)) != 0) {
		spool_why(&sp, path, rc, why);
		fd_spool_free(&sp);
		return rc == ECANCELED ? -2 : -1;
	}
	if (*more) {
		fd_spool_free(&sp);
		return 0;
	}
	if ((rc = fd_spool_finish(&sp, b)) != 0) {
		spool_why(&sp, path, rc, why);
		fd_spool_free(&sp);
		return -1;
	}
	spool_keep(ctx, &sp, b);
	return 0;
}

static int data_source(struct cmd_ctx *, struct cmd_args *, int,
    struct zx_bytes *, uint64_t, bool);

int
arg_data(struct cmd_ctx *ctx, struct cmd_args *a, int datapos,
    struct zx_bytes *out)
{
	return data_source(ctx, a, datapos, out, ZX_MAX_DEBUG_BLOCK, false);
}

int
arg_data_stream(struct cmd_ctx *ctx, struct cmd_args *a, int datapos,
    struct zx_bytes *out, uint64_t max)
{
	return data_source(ctx, a, datapos, out, max, true);
}

static int
data_source(struct cmd_ctx *ctx, struct cmd_args *a, int datapos,
    struct zx_bytes *out, uint64_t max, bool stream)
{
	char why[WHY_LEN];
	uint8_t *buf = NULL;
	size_t len = 0;
	uint64_t repeat = 1;
	int id = a->data_opt, rc = 0;
	bool more = false;
	const char *path = NULL;
	struct zx_bytes src = { 0 };

	data_release(ctx);
	if (a->npos > datapos && id >= 0)
		return usage_error(ctx, "give exactly one DATA source (a "
		    "string and --%s both given)", opt_defs[id].lname);
	if (a->npos > datapos && strcmp(a->pos[datapos], "-") == 0) {
		path = "-";
		id = OPT_FILE;
	} else if (a->npos > datapos) {
		rc = parse_escapes(a->pos[datapos], &buf, &len, why);
		if (rc < 0)
			return usage_error(ctx, "DATA: %s", why);
	} else if (id == OPT_STRING) {
		if (parse_escapes(a->opt[id], &buf, &len, why) < 0)
			return usage_error(ctx, "--string: %s", why);
	} else if (id == OPT_HEX) {
		if (parse_hex(a->opt[id], &buf, &len, why) < 0)
			return usage_error(ctx, "--hex: %s", why);
	} else if (id >= OPT_U8 && id <= OPT_F64) {
		if (parse_values(a->opt[id], (enum value_type)(id - OPT_U8), &buf,
		    &len, why) < 0)
			return usage_error(ctx, "--%s: %s", opt_defs[id].lname, why);
	} else if (id == OPT_FILE || id == OPT_HEXDUMP) {
		path = a->opt[id];
	} else {
		/* Standard input only when asked: a forgotten DATA in a
		 * "while read" loop must not swallow the loop's input. */
		return usage_error(ctx, "no DATA to write (give a string, --hex, "
		    "--file PATH, --hexdump PATH, a typed list, or - for "
		    "standard input)");
	}
	if (path != NULL) {
		const char *what = id == OPT_HEXDUMP ? "--hexdump" :
		    a->npos > datapos ? "DATA" : "--file";
		bool is_dash = strcmp(path, "-") == 0, too_long;
		int fd;

		if (ctx->stdin_taken && is_dash)
			return usage_error(ctx, "%s: standard input holds the "
			    "batch itself", what);
		/* /dev/stdin, /proc/self/fd/0 or the script's own path: the
		 * same file as the batch on stdin would eat the script (and
		 * is checked before opening, which could block). */
		if (ctx->stdin_taken && is_stdin(path))
			return usage_error(ctx, "%s: '%s' is standard input, "
			    "which holds the batch itself", what, out_cut(path));
		/* A FIFO's open waits for a writer: a Ctrl-C ends the wait. */
		fd = is_dash ? STDIN_FILENO :
		    cmd_open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0);
		if (fd < 0 && errno == EINTR)
			return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted "
			    "while %s '%s' waited for a writer%s", what,
			    out_cut(path), stream ? ": nothing was written" : "");
		if (fd < 0)
			return usage_error(ctx, "%s: cannot open '%s': %s", what,
			    out_cut(path), strerror(errno));
		rc = data_from_fd(ctx, fd, path, id == OPT_HEXDUMP, max, stream,
		    &src, &more, &too_long, why);
		/* Kept open only when the write reads the file itself. */
		if (fd != STDIN_FILENO && !(rc == 0 && src.in_file &&
		    src.fd == fd))
			close(fd);
		if (rc == -2)
			return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted "
			    "while DATA was read%s", stream ?
			    ": nothing was written" : "");
		if (rc < 0)
			return usage_error(ctx, "%s: %s", what, why);
		if (too_long)
			out_note(ctx, "--hexdump: '%s' is more text than a dump "
			    "of %" PRIu64 " bytes, the most this write can take",
			    out_cut(path), max);
		else if (more)
			out_note(ctx, "DATA from '%s' holds more than %" PRIu64
			    " bytes, the most this write can take",
			    out_cut(path), max);
	} else {
		ctx->data_buf = buf;
		ctx->data_len = len;
		src.data = buf ? buf : (const uint8_t *)"";
		src.len = len;
		src.repeat = 1;
		src.fd = -1;
	}
	if (a->opt[OPT_REPEAT] != NULL) {
		if (parse_number(a->opt[OPT_REPEAT], &repeat, why) < 0)
			return usage_error(ctx, "--repeat: '%s': %s",
			    out_cut(a->opt[OPT_REPEAT]), why);
		if (repeat == 0)
			return usage_error(ctx, "--repeat: must be at least 1");
		if (src.len != 0 && repeat > UINT64_MAX / src.len)
			return usage_error(ctx, "--repeat: %zu bytes times %llu does "
			    "not fit in 64 bits", src.len,
			    (unsigned long long)repeat);
	}
	if (more) {
		/* More than can be written: max + 1 bytes stand for it (no
		 * byte is read from them), so the command's own check
		 * reports its Zircon status before anything moves. */
		out->data = (const uint8_t *)"";
		out->len = 1;
		out->repeat = max + 1;
		out->in_file = false;
		out->fd = -1;
		out->file_off = 0;
		return 0;
	}
	*out = src;
	out->repeat = src.len == 0 ? 1 : repeat;
	return 0;
}

int
run_argv(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *c;
	struct cmd_args a;
	int rc;

	ctx->cmd = NULL;
	ctx->printed_usage = false;
	memset(&ctx->err, 0, sizeof(ctx->err));
	ctx->usage_msg[0] = '\0';
	if (argc < 1) {
		out_begin(ctx);
		return out_end(ctx, usage_error(ctx, "no command given (try "
		    "'zxmem help')"));
	}
	if ((c = cmd_find(argv[0])) == NULL) {
		const char *s = suggest(argv[0]);

		out_begin(ctx);
		if (s != NULL)
			rc = usage_error(ctx, "'%s' is not a zxmem command; did you "
			    "mean '%s'?", out_cut(argv[0]), s);
		else
			rc = usage_error(ctx, "'%s' is not a zxmem command (see "
			    "'zxmem help')", out_cut(argv[0]));
		return out_end(ctx, rc);
	}
	ctx->cmd = c;
	out_begin(ctx);
	if ((rc = parse_args(ctx, c, argc, argv, &a)) != 0)
		goto out;
	if (a.opt[OPT_HELP] != NULL) {
		struct out_textbuf tb;
		FILE *f = out_text_begin(ctx, &tb);

		print_usage(f, c);
		fprintf(f, "%s\n", c->summary);
		for (int i = 0; i < OPT__COUNT; i++) {
			const struct opt_def *d = &opt_defs[i];
			char lhs[64];

			if (!(c->opts & O(i)))
				continue;
			snprintf(lhs, sizeof(lhs), "%c%c%s--%s%s%s",
			    d->sname ? '-' : ' ', d->sname ? d->sname : ' ',
			    d->sname ? ", " : "  ", d->lname, d->arg ? " " : "",
			    d->arg ? d->arg : "");
			fprintf(f, "  %-24s%s\n", lhs, d->help);
		}
		rc = out_text_end(ctx, &tb, "help");
		goto out;
	}
	if (a.npos < c->min_args) {
		rc = usage_error(ctx, "missing arguments");
		goto out;
	}
	if (a.npos > c->max_args) {
		rc = usage_error(ctx, "too many arguments ('%s' is extra)",
		    out_cut(a.pos[c->max_args]));
		goto out;
	}
	rc = c->exec(ctx, &a);
out:
	data_release(ctx);
	return out_end(ctx, rc);
}
