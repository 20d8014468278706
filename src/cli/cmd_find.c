/* SPDX-License-Identifier: GPL-3.0-or-later */
/* process-find and process-watch (SPEC §11): where a value lives in a
 * process or core, and waiting for memory to change or reach a value. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/value.h"
#include "core/find.h"
#include "core/procmem.h"
#include "targets/targets.h"

#define FIND_MAX_DEFAULT 1000

static const char *const k_target[] = { "target", "vaddr", "number", NULL };

/* A positive NUMBER option, or its default. */
static int
opt_positive(struct cmd_ctx *ctx, struct cmd_args *a, enum opt_id id,
    uint64_t dflt, uint64_t *v)
{
	*v = dflt;
	if (a->opt[id] == NULL)
		return 0;
	if (arg_number(ctx, a->opt[id], opt_defs[id].lname, v))
		return CMD_USAGE;
	if (*v == 0)
		return usage_error(ctx, "--%s: must be at least 1", opt_defs[id].lname);
	return 0;
}

/* --in: START-END (two NUMBERs), else a mapping name. */
static int
parse_in(struct cmd_ctx *ctx, const char *text, struct zx_find_opts *o)
{
	char why[WHY_LEN], *copy, *dash;
	uint64_t lo, hi;

	o->lo = 0;
	o->hi = UINT64_MAX;
	o->in = NULL;
	if (text == NULL)
		return 0;
	if (text[0] == '\0')
		return usage_error(ctx, "--in: empty mapping name");
	if ((copy = strdup(text)) == NULL)
		return usage_error(ctx, "--in: out of memory");
	dash = strchr(copy, '-');
	if (dash != NULL) {
		*dash = '\0';
		if (parse_number(copy, &lo, why) == 0 &&
		    parse_number(dash + 1, &hi, why) == 0) {
			free(copy);
			if (lo >= hi)
				return usage_error(ctx, "--in: '%s': START must be "
				    "below END", text);
			o->lo = lo;
			o->hi = hi;
			return 0;
		}
	}
	free(copy);
	o->in = text;
	return 0;
}

/* DATA as one contiguous pattern (a --repeat is spelled out). */
static int
find_pattern(struct cmd_ctx *ctx, struct cmd_args *a, uint8_t **pat,
    size_t *len)
{
	struct zx_bytes d;
	uint64_t total;
	uint8_t *p;
	int rc;

	*pat = NULL;
	if ((rc = arg_data(ctx, a, 1, &d)) != 0)
		return rc;
	total = zx_bytes_size(&d);
	if (total == 0)
		return usage_error(ctx, "DATA: empty: there is nothing to find");
	if (total > ZX_FIND_MAX_PATTERN)
		return usage_error(ctx, "DATA: %" PRIu64 " bytes, over the 64 MiB "
		    "limit", total);
	if ((p = malloc(total)) == NULL)
		return usage_error(ctx, "DATA: out of memory");
	for (uint64_t i = 0; i < d.repeat; i++)
		memcpy(p + i * d.len, d.data, d.len);
	*pat = p;
	*len = (size_t)total;
	return 0;
}

struct find_run {
	struct cmd_ctx *ctx;
	struct zx_aspace *as;
};

/* A hit, with the symbol that holds it when there is one. */
static bool
on_hit(void *arg, uint64_t addr, const struct zx_mapping *m)
{
	struct find_run *r = arg;
	struct tgt_symbol sym;
	struct zx_err err;
	char name[300] = "";

	if (tgt_symbol_at(r->as, addr, &sym, &err) == ZX_OK) {
		if (sym.offset == 0)
			snprintf(name, sizeof(name), "%s", sym.name);
		else
			snprintf(name, sizeof(name), "%s+%" PRIu64, sym.name,
			    sym.offset);
	}
	out_find_hit(r->ctx, addr, name, sym.object, m);
	free(sym.name);
	return true;
}

/* --among FILE, read once (a pipe, a FIFO or <(...) cannot be read
 * twice): the first word of each line is an address; blank lines and '#'
 * comments are skipped. Every line is an address before any is looked at.
 * Twelve bytes an address (and its line): a result of --max N is N of them. */
struct among_list {
	uint64_t *addr;
	int *lineno;
	size_t n, cap;
};

static int
among_read(struct cmd_ctx *ctx, FILE *f, const char *path,
    struct among_list *l)
{
	char *line = NULL, why[WHY_LEN];
	size_t cap = 0;
	int lineno = 0, rc = 0;

	while (getline(&line, &cap, f) > 0) {
		char *w = line + strspn(line, " \t");
		uint64_t addr;

		lineno++;
		w[strcspn(w, " \t\r\n")] = '\0';
		if (w[0] == '\0' || w[0] == '#')
			continue;
		if (parse_number(w, &addr, why) < 0) {
			rc = usage_error(ctx, "--among %s:%d: '%s' is not an address: "
			    "%s", path, lineno, w, why);
			break;
		}
		if (l->n == l->cap) {
			size_t ncap = l->cap ? l->cap * 2 : 256;
			uint64_t *na = reallocarray(l->addr, ncap, sizeof(*na));
			int *nl = na ? reallocarray(l->lineno, ncap, sizeof(*nl)) : NULL;

			if (na != NULL)
				l->addr = na;
			if (nl == NULL) {
				rc = zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "--among %s: "
				    "out of memory at line %d", path, lineno);
				break;
			}
			l->lineno = nl;
			l->cap = ncap;
		}
		l->addr[l->n] = addr;
		l->lineno[l->n++] = lineno;
	}
	if (rc == 0 && ferror(f) && cmd_interrupted())   /* a FIFO's wait */
		rc = zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while "
		    "--among %s was read", path);
	else if (rc == 0 && ferror(f))
		rc = usage_error(ctx, "--among %s: %s", path, strerror(errno));
	free(line);
	return rc;
}

/* Which of the addresses still hold DATA, printed as hits. */
static zx_status_t
among_check(struct cmd_ctx *ctx, struct find_run *r, const char *path,
    const struct among_list *l, const struct zx_find_opts *o, uint8_t *buf,
    struct zx_find_stats *stats)
{
	zx_status_t st;

	for (size_t i = 0; i < l->n; i++) {
		struct zx_mapping m;
		bool match;

		if (cmd_interrupted())
			return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted at "
			    "line %d of --among %s; %" PRIu64 " address%s printed",
			    l->lineno[i], path, stats->hits, stats->hits == 1 ?
			    "" : "es");
		if ((st = zx_find_check(r->as, o, l->addr[i], buf, &match, &m,
		    &ctx->err)) != ZX_OK)
			return st;
		if (!match)
			continue;
		if (stats->hits == o->max) {
			stats->truncated = true;
			break;
		}
		stats->hits++;
		on_hit(r, l->addr[i], &m);
	}
	return ZX_OK;
}

static int
process_find(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct zx_find_opts o = { 0 };
	struct zx_find_stats stats = { 0 };
	struct find_run r = { .ctx = ctx };
	struct among_list al = { 0 };
	const char *among = a->opt[OPT_AMONG];
	uint8_t *pat = NULL, *buf = NULL;
	FILE *af = NULL;
	zx_status_t st;
	int rc;

	if ((rc = find_pattern(ctx, a, &pat, &o.len)) != 0)
		return rc;
	o.pat = pat;
	o.writable = a->opt[OPT_WRITABLE] != NULL;
	o.canceled = cmd_interrupted;
	if ((rc = parse_in(ctx, a->opt[OPT_IN], &o)) != 0 ||
	    (rc = opt_positive(ctx, a, OPT_ALIGN, a->data_opt >= OPT_U8 &&
	    a->data_opt <= OPT_F64 ? value_type_size((enum value_type)
	    (a->data_opt - OPT_U8)) : 1, &o.align)) != 0 ||
	    (rc = opt_positive(ctx, a, OPT_MAX, FIND_MAX_DEFAULT, &o.max)) != 0 ||
	    (rc = process_target_opts(ctx, a)) != 0)
		goto out;
	if (among != NULL) {
		/* A FIFO's open waits for a writer: a Ctrl-C ends the wait. */
		int fd = cmd_open(among, O_RDONLY | O_CLOEXEC, 0);

		if (fd >= 0 && (af = fdopen(fd, "r")) == NULL) {
			int e = errno;

			close(fd);
			errno = e;
		}
		if (af == NULL && errno == EINTR) {
			rc = zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted while "
			    "--among %s waited for a writer", among);
			goto out;
		}
		if (af == NULL) {
			rc = usage_error(ctx, "--among: cannot open '%s': %s",
			    among, strerror(errno));
			goto out;
		}
		rc = among_read(ctx, af, among, &al);
		fclose(af);
		if (rc != 0)
			goto out;
	}
	if ((r.as = process_target(ctx, a)) == NULL) {
		rc = ctx->err.status;
		goto out;
	}
	if ((rc = zx_find_begin(r.as, &o, &ctx->err)) != ZX_OK)
		goto out;
	if (among != NULL && (buf = malloc(o.len)) == NULL) {
		rc = zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
		goto out;
	}
	out_find_begin(ctx);
	if (among != NULL) {
		st = among_check(ctx, &r, among, &al, &o, buf, &stats);
	} else {
		st = zx_process_find(r.as, &o, on_hit, &r, &stats, &ctx->err);
	}
	if ((rc = st) != ZX_OK)
		goto out;
	if (stats.canceled) {
		rc = zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted after %"
		    PRIu64 " bytes of %" PRIu64 " mapping%s; %" PRIu64 " address%s "
		    "printed", stats.bytes, stats.mappings, stats.mappings == 1 ?
		    "" : "s", stats.hits, stats.hits == 1 ? "" : "es");
		goto out;
	}
	if (among == NULL && o.in != NULL && stats.mappings == 0) {
		rc = zx_fail(&ctx->err, ZX_ERR_NOT_FOUND, "%s has no readable "
		    "mapping named '%s'%s", r.as->label, o.in,
		    o.writable ? " that is writable" : "");
		goto out;
	}
	out_find_end(ctx, stats.hits, stats.truncated);
	if (stats.truncated)
		out_note(ctx, "stopped after %" PRIu64 " addresses (--max %" PRIu64
		    "); more hold DATA", stats.hits, o.max);
	if (stats.refused > 0)
		out_note(ctx, "%" PRIu64 " mapping%s could not be read to the end "
		    "(the target refused the rest)", stats.refused,
		    stats.refused == 1 ? "" : "s");
out:
	free(al.addr);
	free(al.lineno);
	free(buf);
	free(pat);
	return rc;
}

const struct cmd_entry cmd_process_find = {
	.name = "process-find",
	.usage = "TARGET [DATA] [--in MAPPING | START-END] [--writable] "
	    "[--align N] [--max N] [--among FILE] [--exe PATH]",
	.summary = "Print every address of a process or core that holds DATA, "
	    "with the symbol there; --among narrows an earlier result.",
	.min_args = 1, .max_args = 2,
	.opts = OPTS_DATA | O(OPT_IN) | O(OPT_WRITABLE) | O(OPT_ALIGN) |
	    O(OPT_MAX) | O(OPT_AMONG) | O(OPT_EXE),
	.argkinds = k_target,
	.exec = process_find,
};

/* DUR: a NUMBER with "ms" or "s", fractions allowed ("1.5s"). */
static int
parse_duration(struct cmd_ctx *ctx, const char *name, const char *text,
    uint64_t dflt_ms, uint64_t *ms)
{
	char *end;
	double v;

	*ms = dflt_ms;
	if (text == NULL)
		return 0;
	errno = 0;
	v = strtod(text, &end);
	if (end == text || errno != 0 || !(v >= 0) || (text[0] < '0' ||
	    text[0] > '9'))
		return usage_error(ctx, "--%s: '%s' is not a duration (e.g. 100ms, "
		    "5s)", name, text);
	if (strcmp(end, "ms") == 0)
		;
	else if (strcmp(end, "s") == 0)
		v *= 1000;
	else
		return usage_error(ctx, "--%s: '%s' needs a unit: ms or s", name,
		    text);
	if (v < 1 || v > 1e12)
		return usage_error(ctx, "--%s: '%s' is out of range (1ms to "
		    "1000000000s)", name, text);
	*ms = (uint64_t)v;
	return 0;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Sleep ms, or less when SIGINT comes: SIGINT is blocked except inside
 * ppoll, so one that arrives between the check and the wait is not lost. */
static void
pause_ms(uint64_t ms, const sigset_t *waitmask)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000 };

	if (!cmd_interrupted())
		(void)ppoll(NULL, 0, &ts, waitmask);
}

struct watch {
	struct zx_aspace *as;
	struct zx_vaddr va;
	uint64_t size;
	uint64_t size_given;          /* SIZE, or 0 */
	bool typed;                   /* VADDR resolved by typed_watch */
	unsigned execs;               /* the target's execs when resolved */
	const uint8_t *want;          /* DATA, or NULL */
	uint64_t interval, timeout, count;
	enum format fmt;
	struct value_src src;         /* --format value */
};

static zx_status_t watch_reexec(struct cmd_ctx *, struct cmd_args *,
    struct watch *, struct zx_types *, uint8_t **);

static zx_status_t
watch_loop(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_types *types, uint8_t **owned, uint8_t *cur, uint8_t *prev)
{
	struct zx_procmem_result res;
	uint64_t start = now_ms(), changes = 0;
	sigset_t waitmask;
	bool first = true;
	zx_status_t st;

	sigprocmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, SIGINT);
	for (;;) {
		/* Every read runs the whole check order again: a target that
		 * exits or unmaps the memory ends the watch with its error. */
		st = zx_process_read_memory(w->as, &w->va, cur, w->size, &res,
		    &ctx->err);
		/* Whatever that read found, it looked in a new program if
		 * the process exec'd since VADDR was resolved. */
		if (tgt_process_execs(w->as) != w->execs) {
			if ((st = watch_reexec(ctx, a, w, types, owned)) != ZX_OK)
				return st;
			first = true;
			continue;
		}
		if (st != ZX_OK)
			return st;
		if (res.actual < w->size)
			return zx_fail(&ctx->err, ZX_ERR_OUT_OF_RANGE, "only %zu of "
			    "%" PRIu64 " bytes at %#" PRIx64 " are mapped (the "
			    "mapping %#" PRIx64 "-%#" PRIx64 " ends first)",
			    res.actual, w->size, res.vaddr, res.map.start,
			    res.map.end);
		if (w->want != NULL) {
			if (memcmp(cur, w->want, w->size) == 0)
				return ZX_OK;
		} else if (first || memcmp(cur, prev, w->size) != 0) {
			out_watch_value(ctx, w->fmt, res.vaddr, cur, w->size,
			    w->va.type, &w->src);
			if (!first && ++changes == w->count)
				return ZX_OK;
			memcpy(prev, cur, w->size);
		}
		first = false;
		if (cmd_interrupted())
			break;
		if (w->timeout != 0) {
			uint64_t spent = now_ms() - start;

			if (spent >= w->timeout && w->want != NULL)
				return zx_fail(&ctx->err, ZX_ERR_TIMED_OUT,
				    "%#" PRIx64 " did not hold DATA within %" PRIu64
				    " ms", res.vaddr, w->timeout);
			if (spent >= w->timeout)
				return zx_fail(&ctx->err, ZX_ERR_TIMED_OUT,
				    "%#" PRIx64 " changed %" PRIu64 " time%s in %"
				    PRIu64 " ms", res.vaddr, changes,
				    changes == 1 ? "" : "s", w->timeout);
			pause_ms(w->interval < w->timeout - spent ? w->interval :
			    w->timeout - spent, &waitmask);
		} else {
			pause_ms(w->interval, &waitmask);
		}
		if (cmd_interrupted())
			break;
	}
	if (w->want != NULL)
		return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted before "
		    "%#" PRIx64 " held DATA", res.vaddr);
	return ZX_OK;
}

static int watch_setup(struct cmd_ctx *, struct cmd_args *, struct watch *,
    struct zx_bytes *);

static int watch_lookup(struct cmd_ctx *, struct cmd_args *, struct watch *,
    struct zx_types *, uint8_t **);

/* The process exec'd a new program during the watch. A symbol is looked
 * up again in the new program, as a debugger sets its breakpoints again,
 * and the watch goes on from its first reading there; a number was an
 * address of the old program, and ends the watch. */
static zx_status_t
watch_reexec(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_types *types, uint8_t **owned)
{
	uint64_t was = w->va.addr, size = w->size;
	zx_status_t st;

	if (w->va.symbol == NULL)
		return zx_fail(&ctx->err, ZX_ERR_BAD_STATE, "process %s exec'd a "
		    "new program during the watch: %#" PRIx64 " was an address "
		    "in the program it ran before", a->pos[0], was);
	w->va.resolved = false;
	w->size = w->size_given;
	if (*owned != NULL) {        /* --value, encoded again by the new type */
		free(*owned);
		*owned = NULL;
		w->want = NULL;
	}
	if ((st = watch_lookup(ctx, a, w, types, owned)) != ZX_OK)
		return st;
	if (w->size != size)
		return zx_fail(&ctx->err, ZX_ERR_BAD_STATE, "process %s exec'd a "
		    "new program during the watch, where '%s' is %" PRIu64
		    " bytes, not %" PRIu64, a->pos[0], w->va.expr, w->size, size);
	w->execs = tgt_process_execs(w->as);
	if (!ctx->quiet && !ctx->json)
		out_note(ctx, "process %s exec'd a new program: '%s' is at %#"
		    PRIx64 " there (was %#" PRIx64 ")", a->pos[0], w->va.expr,
		    w->va.addr, was);
	return ZX_OK;
}


/* A symbolic VADDR, resolved before the loop when its type or size is
 * wanted: SIZE defaults to its type's or symbol's (SPEC §10), --value V is
 * encoded by its type, and a typed VADDR prints as a value. *owned gets
 * the encoded DATA. */
static int
typed_watch(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_types *types, uint8_t **owned)
{
	const char *value = a->opt[OPT_VALUE];
	bool fmt_given = a->opt[OPT_FORMAT] != NULL;
	size_t len;
	zx_status_t st;

	w->va.types = types;
	w->va.need_type = value != NULL || w->fmt == FMT_VALUE;
	if ((st = zx_process_resolve(w->as, &w->va, ZX_RIGHT_READ,
	    &ctx->err)) != ZX_OK)
		return st;
	if (value != NULL && w->va.bit_size != 0)
		return zx_fail(&ctx->err, ZX_ERR_NOT_SUPPORTED, "--value: '%s' is "
		    "a bitfield (%" PRIu32 " bits); a watch waits for whole bytes "
		    "(watch it without --value)", w->va.expr, w->va.bit_size);
	if (value != NULL) {
		if ((st = value_encode(value, w->va.expr, w->va.type,
		    w->va.bit_size, owned, &len, &ctx->err)) != ZX_OK)
			return st;
		if (a->npos > 2 && w->size != len)
			return usage_error(ctx, "SIZE %" PRIu64 " is not the %zu bytes "
			    "of '%s'", w->size, len, w->va.expr);
		w->want = *owned;
		w->size = len;
	} else if (w->size == 0 && (w->size = typed_size(&w->va)) == 0) {
		return usage_error(ctx, "SIZE: '%s' has no DWARF type and no ELF "
		    "size; give SIZE, or DATA to wait for", w->va.expr);
	}
	if (w->size > ZX_MAX_DEBUG_BLOCK)
		return usage_error(ctx, "SIZE: '%s' is %" PRIu64 " bytes, over 64 "
		    "MiB", w->va.expr, w->size);
	if (w->va.type != NULL && !fmt_given && w->want == NULL)
		w->fmt = FMT_VALUE;
	if (w->fmt == FMT_VALUE && w->size < typed_size(&w->va))
		return usage_error(ctx, "--format value: SIZE %" PRIu64 " is less "
		    "than the %" PRIu64 " bytes of '%s'", w->size,
		    typed_size(&w->va), w->va.expr);
	w->src = (struct value_src){ w->va.bit_offset, w->va.bit_size, w->as };
	return ZX_OK;
}

/* VADDR's symbol looked up, with its type where the watch wants it
 * (w->typed). */
static int
watch_lookup(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_types *types, uint8_t **owned)
{
	return w->typed ? typed_watch(ctx, a, w, types, owned) :
	    zx_process_resolve(w->as, &w->va, ZX_RIGHT_READ, &ctx->err);
}

/* The symbol of VADDR, looked up before the loop. A process started a
 * moment ago ("prog &") may still run its parent's program, where the
 * symbol is not: it is looked up again each interval until the process
 * has exec'd, within --timeout (which the wait counts against), or until
 * Ctrl-C. */
static int
watch_resolve(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_types *types, uint8_t **owned)
{
	uint64_t start = now_ms(), spent;
	sigset_t waitmask;
	int rc;

	/* Kept for watch_reexec, which looks the symbol up the same way. */
	w->typed = w->size == 0 || a->opt[OPT_FORMAT] == NULL ||
	    w->fmt == FMT_VALUE || a->opt[OPT_VALUE] != NULL;

	sigprocmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, SIGINT);
	for (;;) {
		rc = watch_lookup(ctx, a, w, types, owned);
		if (rc != ZX_ERR_NOT_FOUND || !tgt_process_unexeced(w->as))
			break;
		spent = now_ms() - start;
		if (w->timeout != 0 && spent >= w->timeout)
			return zx_fail(&ctx->err, ZX_ERR_TIMED_OUT, "'%s': process "
			    "%s still runs its parent's program (it has not "
			    "exec'd) after %" PRIu64 " ms", w->va.expr, a->pos[0],
			    w->timeout);
		pause_ms(w->timeout != 0 && w->timeout - spent < w->interval ?
		    w->timeout - spent : w->interval, &waitmask);
		if (cmd_interrupted())
			return zx_fail(&ctx->err, ZX_ERR_CANCELED, "interrupted "
			    "while process %s had not exec'd", a->pos[0]);
	}
	spent = now_ms() - start;
	if (rc == ZX_OK && w->timeout != 0)
		w->timeout = spent < w->timeout ? w->timeout - spent : 1;
	return rc;
}

static int
process_watch(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct sigaction old;
	sigset_t block, oldmask;
	struct zx_types types = { 0 };
	struct watch *w;
	struct zx_bytes data;
	uint8_t *cur = NULL, *prev = NULL, *owned = NULL;
	int rc;

	/* A VADDR holds its expression's text: allocated, never copied. */
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	rc = watch_setup(ctx, a, w, &data);
	if (rc == 0 && (w->as = process_target(ctx, a)) == NULL)
		rc = ctx->err.status;
	if (rc != 0)
		goto out;
	/* SIGINT ends the watch, not zxmem (nor the shell or batch it runs
	 * in: the Ctrl-C is the watch's, cleared once it has ended it). */
	cmd_sigint = 0;
	cmd_sigint_catch(&old);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &oldmask);
	if (w->va.symbol != NULL)
		rc = watch_resolve(ctx, a, w, &types, &owned);
	w->execs = tgt_process_execs(w->as);
	if (rc == 0 && ((cur = malloc(w->size)) == NULL ||
	    (prev = malloc(w->size)) == NULL))
		rc = zx_fail(&ctx->err, ZX_ERR_NO_MEMORY, "out of memory");
	if (rc == 0) {
		out_watch_begin(ctx);
		rc = watch_loop(ctx, a, w, &types, &owned, cur, prev);
	}
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	cmd_sigint_restore(&old);
	cmd_sigint = 0;
	if (rc == ZX_OK)
		out_watch_end(ctx, w->va.addr, w->size, w->want != NULL);
out:
	zx_types_free(&types);
	free(owned);
	free(cur);
	free(prev);
	free(w);
	return rc;
}

/* The arguments and options, checked before the target is looked at. */
static int
watch_setup(struct cmd_ctx *ctx, struct cmd_args *a, struct watch *w,
    struct zx_bytes *data)
{
	char why[WHY_LEN];
	int rc;

	if (parse_vaddr(a->pos[1], &w->va, why) < 0)
		return usage_error(ctx, "VADDR: '%s': %s", a->pos[1], why);
	if (a->npos > 2 && arg_number(ctx, a->pos[2], "SIZE", &w->size))
		return CMD_USAGE;
	w->size_given = a->npos > 2 ? w->size : 0;
	if (a->npos > 2 && (w->size == 0 || w->size > ZX_MAX_DEBUG_BLOCK))
		return usage_error(ctx, "SIZE: %" PRIu64 " is not 1 to 64M", w->size);
	if (a->opt[OPT_VALUE] != NULL) {
		if (w->va.symbol == NULL)
			return usage_error(ctx, "--value: VADDR '%s' is a number, "
			    "which has no type (name a symbol or expression)",
			    a->pos[1]);
	} else if (a->data_opt >= 0) {
		/* DATA only from an option: past the last positional. */
		if ((rc = arg_data(ctx, a, a->npos, data)) != 0)
			return rc;
		if (a->npos > 2 && w->size != data->len)
			return usage_error(ctx, "SIZE %" PRIu64 " is not the %zu bytes "
			    "of DATA", w->size, data->len);
		if (data->len == 0)
			return usage_error(ctx, "DATA: empty");
		w->size = data->len;
		w->want = data->data;
	} else if (a->npos < 3 && w->va.symbol == NULL) {
		return usage_error(ctx, "SIZE: give the number of bytes to watch, "
		    "or DATA to wait for (--u32 1, --hex ..., --string ...)");
	}
	if ((a->opt[OPT_VALUE] != NULL || a->data_opt >= 0) &&
	    a->opt[OPT_COUNT] != NULL)
		return usage_error(ctx, "--count: counts changes, which are not "
		    "printed when DATA is given");
	if (parse_duration(ctx, "interval", a->opt[OPT_INTERVAL], 100,
	    &w->interval) || parse_duration(ctx, "timeout", a->opt[OPT_TIMEOUT],
	    0, &w->timeout) || opt_positive(ctx, a, OPT_COUNT, 0, &w->count))
		return CMD_USAGE;
	if (arg_format(ctx, a, &w->fmt))
		return CMD_USAGE;
	if (a->opt[OPT_FORMAT] == NULL)
		w->fmt = FMT_HEX;
	if (w->fmt == FMT_VALUE && w->va.symbol == NULL)
		return usage_error(ctx, "--format value: '%s' is a number, which "
		    "has no type", a->pos[1]);
	return process_target_opts(ctx, a);
}

const struct cmd_entry cmd_process_watch = {
	.name = "process-watch",
	.usage = "TARGET VADDR [SIZE] [--u32 V | --value V | --hex HEX | "
	    "--string STR ...] "
	    "[--interval DUR] [--timeout DUR] [--count N] [--format FORMAT] "
	    "[--thread TID] [--exe PATH]",
	.summary = "Print the memory at VADDR each time it changes, or with "
	    "DATA wait until it holds DATA; SIGINT ends it.",
	.min_args = 2, .max_args = 3,
	.opts = (OPTS_DATA & ~O(OPT_REPEAT)) | O(OPT_VALUE) | O(OPT_FORMAT) |
	    O(OPT_INTERVAL) | O(OPT_TIMEOUT) | O(OPT_COUNT) | O(OPT_EXE) |
	    O(OPT_THREAD),
	.argkinds = k_target,
	.exec = process_watch,
};
