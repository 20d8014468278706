/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/kcmdline.h"

#define KEY_DEBUGGING "kernel.enable-debugging-syscalls"

const char *const zx_kcmdline_keys[] = { KEY_DEBUGGING, NULL };

static int
parse_bool(const char *v, bool *out)
{
	static const char *yes[] = { "true", "1", "on" };
	static const char *no[] = { "false", "0", "off" };

	for (size_t i = 0; i < 3; i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

void
zx_kcmdline_word(struct zx_kopts *o, const char *word, const char *source,
    int line, zx_kwarn_fn warn, void *ctx)
{
	const char *eq = strchr(word, '=');
	char msg[320];

	if (eq == NULL || eq == word) {
		snprintf(msg, sizeof(msg), "'%s' is not KEY=VALUE; ignored", word);
		warn(ctx, source, line, msg);
		return;
	}
	if ((size_t)(eq - word) == strlen(KEY_DEBUGGING) &&
	    strncmp(word, KEY_DEBUGGING, (size_t)(eq - word)) == 0) {
		if (parse_bool(eq + 1, &o->debugging_syscalls) == 0)
			return;
		o->debugging_syscalls = false;
		snprintf(msg, sizeof(msg),
		    "%s: '%s' is not true, 1, on, false, 0 or off; taken as false",
		    KEY_DEBUGGING, eq + 1);
		warn(ctx, source, line, msg);
		return;
	}
	snprintf(msg, sizeof(msg), "unknown option '%.*s'; ignored",
	    (int)(eq - word), word);
	warn(ctx, source, line, msg);
}

void
zx_kcmdline_parse(struct zx_kopts *o, const char *text, const char *source,
    zx_kwarn_fn warn, void *ctx)
{
	const char *p = text;
	char word[256];
	int line = 1;

	while (*p != '\0') {
		size_t n;

		if (*p == '\n') {
			line++;
			p++;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '#') {
			p += strcspn(p, "\n");
			continue;
		}
		n = strcspn(p, " \t\r\n\v\f");
		if (n >= sizeof(word)) {
			warn(ctx, source, line, "option longer than 255 bytes; ignored");
		} else {
			memcpy(word, p, n);
			word[n] = '\0';
			zx_kcmdline_word(o, word, source, line, warn, ctx);
		}
		p += n;
	}
}
