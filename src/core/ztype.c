/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdlib.h>
#include <string.h>

#include "core/ztype.h"

void *
zx_types_alloc(struct zx_types *t, size_t size)
{
	void *p;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void **b = reallocarray(t->blocks, cap, sizeof(*b));

		if (b == NULL)
			return NULL;
		t->blocks = b;
		t->cap = cap;
	}
	if ((p = calloc(1, size ? size : 1)) == NULL)
		return NULL;
	t->blocks[t->n++] = p;
	return p;
}

char *
zx_types_strdup(struct zx_types *t, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = zx_types_alloc(t, n);

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

void
zx_types_free(struct zx_types *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->blocks[i]);
	free(t->blocks);
	memset(t, 0, sizeof(*t));
}

const struct zx_member *
zx_type_member(const struct zx_type *t, const char *name, uint64_t *offset)
{
	if (t == NULL || (t->kind != ZX_T_STRUCT && t->kind != ZX_T_UNION))
		return NULL;
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct zx_member *m = &t->members[i];

		if (strcmp(m->name, name) == 0) {
			*offset += m->offset;
			return m;
		}
	}
	/* C11 anonymous members: their fields are the parent's. */
	for (size_t i = 0; i < t->nmembers; i++) {
		const struct zx_member *m = &t->members[i], *r;
		uint64_t off = *offset + t->members[i].offset;

		if (m->name[0] != '\0')
			continue;
		if ((r = zx_type_member(m->type, name, &off)) != NULL) {
			*offset = off;
			return r;
		}
	}
	return NULL;
}

bool
zx_type_is_char_array(const struct zx_type *t)
{
	return t != NULL && t->kind == ZX_T_ARRAY && t->elem != NULL &&
	    t->elem->kind == ZX_T_INT && t->elem->is_char && t->elem->size == 1;
}
