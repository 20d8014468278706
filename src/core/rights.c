/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/rights.h"

const struct zx_right_name zx_right_names[] = {
	{ "duplicate", ZX_RIGHT_DUPLICATE },
	{ "transfer", ZX_RIGHT_TRANSFER },
	{ "read", ZX_RIGHT_READ },
	{ "write", ZX_RIGHT_WRITE },
	{ "execute", ZX_RIGHT_EXECUTE },
	{ "map", ZX_RIGHT_MAP },
	{ "get-property", ZX_RIGHT_GET_PROPERTY },
	{ "set-property", ZX_RIGHT_SET_PROPERTY },
	{ "signal", ZX_RIGHT_SIGNAL },
	{ "wait", ZX_RIGHT_WAIT },
	{ "inspect", ZX_RIGHT_INSPECT },
	{ "resize", ZX_RIGHT_RESIZE },
};
const size_t zx_right_names_len = sizeof(zx_right_names) / sizeof(zx_right_names[0]);

char *
zx_rights_format(zx_rights_t rights, char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < zx_right_names_len; i++) {
		if (!(rights & zx_right_names[i].bit))
			continue;
		used = strlcat(buf, used ? "," : "", len);
		used = strlcat(buf, zx_right_names[i].name, len);
	}
	if (used == 0)
		strlcpy(buf, "none", len);
	return buf;
}

int
zx_rights_parse(const char *text, zx_rights_t *out, char *bad, size_t badlen)
{
	zx_rights_t rights = 0;
	const char *p = text;

	if (strcmp(text, "same") == 0) {
		*out = ZX_RIGHT_SAME_RIGHTS;
		return 0;
	}
	if (strcmp(text, "none") == 0) {
		*out = ZX_RIGHT_NONE;
		return 0;
	}
	/* A numeric mask, as zx_handle_duplicate takes it (0 is none). */
	if (text[0] >= '0' && text[0] <= '9') {
		char *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(text, &end, 0);
		if (errno == 0 && *end == '\0' && v <= UINT32_MAX) {
			*out = (zx_rights_t)v;
			return 0;
		}
		strlcpy(bad, text, badlen);
		return -1;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		size_t i;

		for (i = 0; i < zx_right_names_len; i++)
			if (strlen(zx_right_names[i].name) == n &&
			    strncmp(zx_right_names[i].name, p, n) == 0)
				break;
		if (i == zx_right_names_len) {
			if (badlen > 0) {
				size_t m = n < badlen - 1 ? n : badlen - 1;
				memcpy(bad, p, m);
				bad[m] = '\0';
			}
			return -1;
		}
		rights |= zx_right_names[i].bit;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = rights;
	return 0;
}

int
zx_rights_derive(zx_rights_t have, zx_rights_t want, zx_rights_t *out)
{
	if (want == ZX_RIGHT_SAME_RIGHTS) {
		*out = have;
		return 0;
	}
	if ((want & ~have) != 0)
		return -1;
	*out = want;
	return 0;
}
