/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem: global options, the kernel command line, and the exit status. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "core/kcmdline.h"
#include "targets/fdio.h"
#include "targets/targets.h"

static void
kwarn(void *ctx, const char *source, int line, const char *msg)
{
	(void)ctx;
	fputs("zxmem: warning: ", stderr);
	out_text(stderr, source);
	if (line > 0)
		fprintf(stderr, ":%d", line);
	fputs(": ", stderr);
	out_text(stderr, msg);
	fputc('\n', stderr);
}

static void
kfile(struct zx_kopts *o, const char *path)
{
	char *text;
	int rc;

	/* A FIFO or a symlink planted there must not hang or redirect us. */
	if ((rc = fd_slurp_reg_at(AT_FDCWD, path, &text, NULL)) != 0) {
		if (rc != ENOENT && rc != ENOTDIR)   /* no file is no option */
			kwarn(NULL, path, 0, rc == ELOOP ? "a symbolic link; "
			    "ignored (the file itself must be there)" : rc == EISDIR ?
			    "a directory; ignored" : rc == EINVAL ? "not a regular "
			    "file; ignored" : strerror(rc));
		return;
	}
	zx_kcmdline_parse(o, text, path, kwarn, NULL);
	free(text);
}

/* SPEC §6: the system file, the user's file, the environment, then -k;
 * later wins. Read only by the commands that need it. */
bool
gate_enabled(struct cmd_ctx *ctx)
{
	struct zx_kopts o = { 0 };
	char path[4096];
	const char *e;

	kfile(&o, ZXMEM_SYSCONFDIR "/zxmem/kernel.conf");
	if ((e = getenv("XDG_CONFIG_HOME")) != NULL && *e != '\0')
		snprintf(path, sizeof(path), "%s/zxmem/kernel.conf", e);
	else if ((e = getenv("HOME")) != NULL && *e != '\0')
		snprintf(path, sizeof(path), "%s/.config/zxmem/kernel.conf", e);
	else
		path[0] = '\0';
	if (path[0] != '\0')
		kfile(&o, path);
	if ((e = getenv("ZXMEM_KERNEL_CMDLINE")) != NULL)
		zx_kcmdline_parse(&o, e, "ZXMEM_KERNEL_CMDLINE", kwarn, NULL);
	for (size_t i = 0; i < ctx->nkopts; i++)
		zx_kcmdline_word(&o, ctx->kopts[i], "-k", 0, kwarn, NULL);
	return o.debugging_syscalls;
}

#define GLOBAL_USAGE \
	"usage: zxmem [-jq] [-k KEY=VALUE] [--runtime-dir DIR] COMMAND [ARGS...]"

/* A global option error: plain, or the JSON error object under -j (as
 * any other usage error). */
static int
global_usage(struct cmd_ctx *ctx, const char *fmt, const char *arg)
{
	out_begin(ctx);
	snprintf(ctx->usage_msg, sizeof(ctx->usage_msg), fmt, out_cut(arg));
	if (!ctx->json)
		ctx->printed_usage = true;
	(void)out_end(ctx, CMD_USAGE);
	if (!ctx->json)
		fprintf(stderr, "%s\n", GLOBAL_USAGE);
	return EXIT_USAGE;
}

/* --help: the text, or under -j the object with the text as "help". */
static int
global_help(struct cmd_ctx *ctx)
{
	struct out_textbuf tb;

	out_begin(ctx);
	print_help(out_text_begin(ctx, &tb));
	return out_end(ctx, out_text_end(ctx, &tb, "help"));
}

/* elfutils maps separate debug files (libdwfl gives no way to read them
 * with pread, as zxmem reads cores, object files and DATA files): one
 * truncated while it is being read raises SIGBUS, which ends the command
 * as ZX_ERR_IO. */
static char bus_msg[512];
static size_t bus_len;
static int bus_fd = STDERR_FILENO;

static void
on_sigbus(int sig)
{
	ssize_t r;

	(void)sig;
	r = write(bus_fd, bus_msg, bus_len);
	(void)r;
	_exit(-ZX_ERR_IO);
}

/* The message is made now: a signal handler may only write it. */
static void
catch_sigbus(bool json, const char *word)
{
	static const char why[] = "a separate debug file being read (which "
	    "elfutils maps) was truncated under zxmem";
	const struct cmd_entry *c = word != NULL ? cmd_find(word) : NULL;
	const char *name = c != NULL ? c->name : "zxmem";
	struct sigaction sa = { .sa_handler = on_sigbus };
	int n;

	if (json)
		n = snprintf(bus_msg, sizeof(bus_msg), "{\"command\":\"%s\","
		    "\"status\":\"ZX_ERR_IO\",\"code\":-40,\"message\":\"%s\"}\n",
		    name, why);
	else
		n = snprintf(bus_msg, sizeof(bus_msg), "zxmem: %s: ZX_ERR_IO: %s\n",
		    name, why);
	bus_len = n > 0 && (size_t)n < sizeof(bus_msg) ? (size_t)n : 0;
	bus_fd = json ? STDOUT_FILENO : STDERR_FILENO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL) < 0)
		fprintf(stderr, "zxmem: warning: SIGBUS handler: %s\n",
		    strerror(errno));
}

/* getopt_long, stopping at the command ("+"); ":" reports a missing
 * value apart from an unknown option. */
static int
parse_globals(struct cmd_ctx *ctx, int argc, char **argv, int *done)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "kernel-option", required_argument, NULL, 'k' },
		{ "runtime-dir", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	opterr = 0;
	optind = 0;
	*done = -1;
	while ((ch = getopt_long(argc, argv, "+:jqk:hV", lopts, NULL)) != -1) {
		const char *w = argv[optind - 1];

		switch (ch) {
		case 'j': ctx->json = true; break;
		case 'q': ctx->quiet = true; break;
		case 'k': ctx->kopts[ctx->nkopts++] = optarg; break;
		case 'R': ctx->runtime_dir = optarg; break;
		case 'h':
			*done = global_help(ctx);
			return 0;
		case 'V':
			out_begin(ctx);
			if (ctx->json)
				out_string(ctx, "version", ZXMEM_VERSION);
			else
				printf("zxmem %s\n", ZXMEM_VERSION);
			*done = out_end(ctx, ZX_OK);
			return 0;
		case ':':
			*done = global_usage(ctx, "%s needs a value", optopt == 'k' ?
			    "-k" : w);
			return 0;
		default:
			if (strncmp(w, "--", 2) == 0) {
				size_t n = strcspn(w + 2, "="), nm = 0;

				for (size_t o = 0; lopts[o].name != NULL; o++)
					if (strncmp(lopts[o].name, w + 2, n) == 0)
						nm += strlen(lopts[o].name) == n ? 100 : 1;
				*done = global_usage(ctx, nm == 0 ?
				    "unknown option '%s'" : nm >= 100 || nm == 1 ?
				    "option '%s' takes no value" :
				    "option '%s' is ambiguous", w);
			} else {
				*done = global_usage(ctx, "unknown option '-%s'",
				    (char[]){ (char)optopt, 0 });
			}
			return 0;
		}
	}
	return optind;
}

int
main(int argc, char **argv, char **envp)
{
	struct cmd_ctx ctx;
	int i, rc;

	if (holder_mode(argc, argv))
		return holder_main();
	/* A holder starts as our grandchild and takes its title before it
	 * execs (targets/memfd.c). */
	setproctitle_init(argc, argv, envp);
	memset(&ctx, 0, sizeof(ctx));
	if ((ctx.kopts = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return 4;
	i = parse_globals(&ctx, argc, argv, &rc);
	if (rc >= 0) {
		free(ctx.kopts);
		return rc;
	}
	if (i >= argc && !isatty(STDIN_FILENO)) {
		/* No command and nobody to talk to: say how to use it. */
		if (ctx.json)
			rc = global_usage(&ctx, "%s", "no command given (see "
			    "'zxmem help')");
		else
			print_help(stderr);
		free(ctx.kopts);
		return ctx.json ? rc : EXIT_USAGE;
	}
	catch_sigbus(ctx.json, i < argc ? argv[i] : "shell");
	/* A wait on a pipe or FIFO gives up at a Ctrl-C where one is caught
	 * (the shell); elsewhere SIGINT ends zxmem and this never says so. */
	fd_set_canceled(cmd_interrupted);
	if ((ctx.tgt = tgt_new(ctx.runtime_dir)) == NULL) {
		fputs("zxmem: out of memory\n", stderr);
		free(ctx.kopts);
		return 4;
	}
	if (i >= argc) {
		char *shell_argv[] = { "shell", NULL };

		rc = run_argv(&ctx, 1, shell_argv);
	} else {
		rc = run_argv(&ctx, argc - i, argv + i);
	}
	tgt_free(ctx.tgt);
	free(ctx.kopts);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "zxmem: error writing to standard output: %s\n",
		    strerror(errno));
		if (rc == 0)
			rc = -ZX_ERR_IO;
	}
	return rc;
}
