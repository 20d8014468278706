/* SPDX-License-Identifier: GPL-3.0-or-later */
/* zxmem shell: GNU readline over the same run_argv() as the command line
 * and batch. History lives in ${XDG_STATE_HOME:-~/.local/state}/zxmem;
 * Tab completes commands, options, handle names and enum values through
 * the engine behind __complete. Built as the module zxmem-shell.so, so
 * that only the shell loads readline (shell_entry.c is the binary's side). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <readline/history.h>
#include <readline/readline.h>
#include <readline/tilde.h>

#include "cli/cmd.h"
#include "cli/interrupt.h"
#include "cli/output.h"
#include "cli/shellmod.h"
#include "cli/split.h"

#define HISTORY_LINES 1000

static struct cmd_ctx *shell_ctx;

/* ${XDG_STATE_HOME:-~/.local/state}/zxmem/history, its directories made
 * 0700; NULL if there is no home to keep it in. */
static char *
history_path(void)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char dir[4096], *path;

	if (state != NULL && *state != '\0')
		snprintf(dir, sizeof(dir), "%s", state);
	else if (home != NULL && *home != '\0')
		snprintf(dir, sizeof(dir), "%s/.local/state", home);
	else
		return NULL;
	/* Each level, so a missing ~/.local/state is made too. */
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(dir, 0700);
			*p = '/';
		}
	(void)mkdir(dir, 0700);
	if (strlcat(dir, "/zxmem", sizeof(dir)) >= sizeof(dir) ||
	    (mkdir(dir, 0700) < 0 && errno != EEXIST))
		return NULL;
	if (asprintf(&path, "%s/history", dir) < 0)
		return NULL;
	return path;
}

struct matches {
	char **v;
	size_t n, cap, next;
};
static struct matches found;

static void
collect(void *arg, const char *word, const char *desc)
{
	struct matches *m = arg;
	char **nv;

	(void)desc;   /* readline shows words only */
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;

		if ((nv = reallocarray(m->v, cap, sizeof(*nv))) == NULL)
			return;
		m->v = nv;
		m->cap = cap;
	}
	if ((m->v[m->n] = strdup(word)) != NULL)
		m->n++;
}

static void
matches_clear(struct matches *m)
{
	for (size_t i = m->next; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* readline takes ownership of each string it is given. */
static char *
next_match(const char *text, int state)
{
	(void)text;
	(void)state;
	if (found.next < found.n)
		return found.v[found.next++];
	return NULL;
}

static bool
is_dir(const char *name)
{
	char *path = tilde_expand(name);
	struct stat st;
	bool dir;

	dir = path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	free(path);
	return dir;
}

/* File names where a path is expected: after the "--opt=" of text, when
 * there is one; only directories for COMPLETE_DIRS. */
static void
add_paths(const char *text, const struct complete_more *more)
{
	char *name, *word;

	for (int state = 0; (name = rl_filename_completion_function(text +
	    more->path_prefix, state)) != NULL; state++) {
		if (more->paths == COMPLETE_DIRS && !is_dir(name)) {
			free(name);
			continue;
		}
		if (asprintf(&word, "%.*s%s", (int)more->path_prefix, text,
		    name) >= 0) {
			collect(&found, word, NULL);
			free(word);
		}
		free(name);
	}
	/* readline marks directories with '/' (and adds no space after
	 * one) when the word is a file name itself. */
	rl_filename_completion_desired = more->path_prefix == 0;
}

static char **
attempt(const char *text, int start, int end)
{
	struct complete_more more = { COMPLETE_NO_PATHS, 0 };
	char why[64], *before;
	struct words w;

	(void)end;
	/* No fall-back to readline's file names: the engine says where a
	 * path goes. */
	rl_attempted_completion_over = 1;
	matches_clear(&found);
	if ((before = strndup(rl_line_buffer, (size_t)start)) == NULL)
		return NULL;
	if (split_line(before, &w, why, sizeof(why)) == SPLIT_OK) {
		complete_words(shell_ctx, w.n, w.v, text, false, collect, &found,
		    &more);
		words_free(&w);
	}
	free(before);
	if (more.paths != COMPLETE_NO_PATHS)
		add_paths(text, &more);
	/* "kernel.enable-debugging-syscalls=" is not the end of the word. */
	if (found.n == 1 && found.v[0][0] != '\0' &&
	    found.v[0][strlen(found.v[0]) - 1] == '=')
		rl_completion_suppress_append = 1;
	return rl_completion_matches(text, next_match);
}

/* Ctrl-C at the prompt abandons the line, as in a shell; during a
 * command it stops that command (interrupt.h), as in gdb, and the prompt
 * comes back. The handler raises cmd_sigint for the command's loops and
 * writes a byte to a pipe for the prompt: the reader waits on the terminal
 * and that pipe together, so a signal that lands anywhere (even outside
 * the read) is seen at once. Then, outside the handler, the line is
 * emptied and Enter given to readline. Both are cleared before each
 * prompt: a Ctrl-C that stopped a command is spent.
 * At the prompt the action has SA_RESTART (readline's own writes and
 * terminal calls go on); while a command runs it has not, so a Ctrl-C
 * also ends a call the command is blocked in (interrupt.h). */
static int sigpipe[2] = { -1, -1 };
static bool abandoned;       /* the line readline returns was Ctrl-C'd */

static void
on_sigint(int sig)
{
	int saved = errno;
	char b = 0;

	(void)sig;
	cmd_sigint = 1;
	cmd_sigint_kick();
	if (write(sigpipe[1], &b, 1) < 0) {
		/* the pipe is full: a Ctrl-C is already waiting */
	}
	errno = saved;
}

static void
sigint_clear(void)
{
	char drain[16];

	while (read(sigpipe[0], drain, sizeof(drain)) > 0)
		;
	cmd_sigint = 0;
}

static int
shell_getc(FILE *in)
{
	struct pollfd fds[2] = {
		{ .fd = fileno(in), .events = POLLIN },
		{ .fd = sigpipe[0], .events = POLLIN },
	};
	unsigned char c;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return EOF;
		}
		if (fds[1].revents & POLLIN) {
			sigint_clear();
			abandoned = true;
			rl_replace_line("", 0);
			return '\n';
		}
		if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = read(fds[0].fd, &c, 1);

			if (r == 1)
				return c;
			if (r == 0 || errno != EINTR)
				return EOF;
		}
	}
}

static int
shell(struct cmd_ctx *ctx, struct cmd_args *a)
{
	struct sigaction sa = { .sa_handler = on_sigint, .sa_flags = SA_RESTART },
	    cmd_sa = { .sa_handler = on_sigint }, old;
	char *path, *line, *logical = NULL;
	bool done = false;

	(void)a;
	if (ctx->in_batch || ctx->in_shell)
		return usage_error(ctx, "a shell cannot start from a %s",
		    ctx->in_batch ? "batch" : "shell");
	if (sigpipe[0] < 0 && pipe2(sigpipe, O_CLOEXEC | O_NONBLOCK) < 0)
		return zx_fail(&ctx->err, ZX_ERR_NO_RESOURCES, "pipe: %s",
		    strerror(errno));
	out_discard(ctx);
	ctx->in_shell = true;
	shell_ctx = ctx;
	rl_readline_name = "zxmem";
	rl_attempted_completion_function = attempt;
	rl_basic_word_break_characters = " \t\n";
	rl_catch_signals = 0;
	rl_getc_function = shell_getc;
	/* Under -j standard output carries only the JSON objects. */
	if (ctx->json)
		rl_outstream = stderr;
	using_history();
	path = history_path();
	if (path != NULL)
		(void)read_history(path);
	sigemptyset(&sa.sa_mask);
	sigemptyset(&cmd_sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	while (!done) {
		char *joined;
		bool more;

		sigint_clear();
		abandoned = false;
		line = readline(logical ? "> " : "zxmem> ");
		if (line != NULL && abandoned) {
			/* The whole command, continued lines included. */
			free(line);
			free(logical);
			logical = NULL;
			continue;
		}
		if (line == NULL) {          /* Ctrl-D */
			FILE *echo = ctx->json ? stderr : stdout;

			if (isatty(fileno(echo)))
				fputc('\n', echo);
			break;
		}
		if (asprintf(&joined, "%s%s", logical ? logical : "", line) < 0) {
			free(line);
			break;
		}
		free(line);
		free(logical);
		logical = joined;
		sigaction(SIGINT, &cmd_sa, NULL);
		cmd_blocking_begin();
		(void)run_line(ctx, logical, &more, &done);
		cmd_blocking_end();
		sigaction(SIGINT, &sa, NULL);
		/* A terminal write the Ctrl-C cut short is no error of the
		 * next command (nor of the shell's exit). */
		if (cmd_interrupted()) {
			clearerr(stdout);
			clearerr(stderr);
		}
		if (more)
			continue;
		/* One entry for the whole command, continued lines joined as
		 * they ran (Up recalls what was run, not its last piece). */
		if (logical[strspn(logical, " \t")] != '\0')
			add_history(logical);
		free(logical);
		logical = NULL;
		fflush(stdout);
	}
	sigaction(SIGINT, &old, NULL);
	sigint_clear();
	free(logical);
	matches_clear(&found);
	if (path != NULL) {
		stifle_history(HISTORY_LINES);
		if (write_history(path) != 0)
			fprintf(stderr, "zxmem: shell: cannot save history in %s\n",
			    path);
		free(path);
	}
	clear_history();
	ctx->in_shell = false;
	ctx->cmd = &cmd_shell;
	ctx->silent_status = 0;
	return CMD_SILENT;
}

/* zxmem-shell.so's one exported symbol (shellmod.h): the binary's
 * cmd_shell entry (shell_entry.c) runs this. */
__attribute__((visibility("default")))
const struct shellmod_ops zxmem_module_shell = {
	.head = { .abi = ZXMEM_MODULE_ABI },
	.shell = shell,
};
