/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One struct tgt per zxmem process: what it opened stays open for its
 * whole life (a batch or a shell reuses it) in a bounded cache: a hash of
 * the texts the user typed, the least recently used closed first. What is
 * cached is a way to reach an object, revalidated before each use. */
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "targets/internal.h"
#include "targets/targets.h"

/* Never evicted: the entries the last few lookups returned (one command
 * uses at most two handles). */
#define PINNED_LOOKUPS 4
#define MAX_PROCS 32

struct tgt *
tgt_new(const char *runtime_dir)
{
	struct tgt *t = calloc(1, sizeof(*t));
	struct rlimit rl;

	if (t == NULL)
		return NULL;
	t->nsfd = -1;
	tgt_runtime_dir(runtime_dir, t->nspath, sizeof(t->nspath));
	/* A quarter of the descriptors, between 8 and 1024. */
	t->maxvmos = 256;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		t->maxvmos = rl.rlim_cur / 4;
	if (t->maxvmos < 8)
		t->maxvmos = 8;
	if (t->maxvmos > 1024)
		t->maxvmos = 1024;
	return t;
}

static void
free_vmo(struct fd_vmo *v)
{
	if (v != NULL) {
		close(v->fd);
		free(v);
	}
}

static void
free_vmo_entry(struct vmo_entry *e)
{
	free_vmo(e->v);
	free(e->text);
	free(e);
}

/* FNV-1a. */
static size_t
hash_text(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ull;
	return (size_t)h;
}

static void
lru_unlink(struct tgt *t, struct vmo_entry *e)
{
	if (e->lprev != NULL)
		e->lprev->lnext = e->lnext;
	else
		t->lru_head = e->lnext;
	if (e->lnext != NULL)
		e->lnext->lprev = e->lprev;
	else
		t->lru_tail = e->lprev;
	e->lprev = e->lnext = NULL;
}

static void
lru_push(struct tgt *t, struct vmo_entry *e)
{
	e->lnext = t->lru_head;
	e->lprev = NULL;
	if (t->lru_head != NULL)
		t->lru_head->lprev = e;
	t->lru_head = e;
	if (t->lru_tail == NULL)
		t->lru_tail = e;
}

static void
remove_entry(struct tgt *t, struct vmo_entry *e)
{
	struct vmo_entry **pp = &t->buckets[hash_text(e->text) % t->nbuckets];

	while (*pp != e)
		pp = &(*pp)->hnext;
	*pp = e->hnext;
	lru_unlink(t, e);
	t->nvmos--;
	free_vmo_entry(e);
}

/* Close least recently used entries until at most keep remain. */
static void
evict(struct tgt *t, size_t keep)
{
	while (t->nvmos > keep && t->lru_tail != NULL &&
	    t->lru_tail->used + PINNED_LOOKUPS <= t->seq)
		remove_entry(t, t->lru_tail);
}

void
tgt_forget_vmos(struct tgt *t)
{
	while (t->lru_head != NULL)
		remove_entry(t, t->lru_head);
	free(t->buckets);
	t->buckets = NULL;
	t->nbuckets = 0;
}

void
tgt_free(struct tgt *t)
{
	if (t == NULL)
		return;
	tgt_forget_vmos(t);
	for (size_t i = 0; i < t->nprocs; i++) {
		process_free(t->procs[i].as);
		free(t->procs[i].text);
	}
	free(t->procs);
	if (t->nsfd >= 0)
		close(t->nsfd);
	free(t);
}

static struct vmo_entry *
find_entry(struct tgt *t, const char *text)
{
	struct vmo_entry *e;

	if (t->nbuckets == 0)
		return NULL;
	for (e = t->buckets[hash_text(text) % t->nbuckets]; e; e = e->hnext)
		if (strcmp(e->text, text) == 0)
			return e;
	return NULL;
}

static struct vmo_entry *
new_entry(struct tgt *t, const char *text)
{
	struct vmo_entry *e;
	size_t b;

	if (t->buckets == NULL) {
		t->nbuckets = 2 * t->maxvmos + 1;
		if ((t->buckets = calloc(t->nbuckets, sizeof(*t->buckets))) == NULL) {
			t->nbuckets = 0;
			return NULL;
		}
	}
	evict(t, t->maxvmos - 1);
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	if ((e->text = strdup(text)) == NULL) {
		free(e);
		return NULL;
	}
	b = hash_text(text) % t->nbuckets;
	e->hnext = t->buckets[b];
	t->buckets[b] = e;
	lru_push(t, e);
	t->nvmos++;
	return e;
}

/* Open what text names, into e. */
static void
open_entry(struct tgt *t, struct vmo_entry *e)
{
	zx_status_t s;

	free_vmo(e->v);
	e->v = NULL;
	memset(&e->lookup_err, 0, sizeof(e->lookup_err));
	e->h.vmo = NULL;
	e->h.type = ZX_OBJ_TYPE_NONE;
	for (int tries = 0; tries < 2; tries++) {
		if (strchr(e->text, '/') != NULL) {
			s = file_vmo_open(e->text, &e->v, &e->h.rights, &e->lookup_err);
			/* One of our own memfds by path: that object, its state. */
			if (s == ZX_OK && (e->h.rights & ZX_RIGHT_WRITE))
				ns_adopt_path(t, e->v);
		} else {
			s = ns_open_vmo(t, e->text, &e->v, &e->h.rights,
			    &e->lookup_err);
		}
		/* Out of descriptors: give back what the cache holds, once. */
		if (s != ZX_ERR_NO_RESOURCES || t->nvmos <= PINNED_LOOKUPS)
			break;
		evict(t, 0);
		memset(&e->lookup_err, 0, sizeof(e->lookup_err));
	}
}

struct zx_handle *
tgt_vmo(struct tgt *t, const char *text)
{
	static const struct zx_err oom_err = { ZX_ERR_NO_MEMORY, "out of memory" };
	static struct zx_handle oom = {
		.name = "?", .type = ZX_OBJ_TYPE_NONE, .lookup_err = &oom_err,
	};
	struct vmo_entry *e = find_entry(t, text);
	int rc;

	t->seq++;
	if (e == NULL) {
		if ((e = new_entry(t, text)) == NULL)
			return &oom;
		e->h.name = e->text;
		e->h.lookup_err = &e->lookup_err;
		open_entry(t, e);
	} else if (e->v == NULL) {
		open_entry(t, e);   /* failed before: the name may exist now */
	} else if (e->v->ns != NULL && strchr(text, '/') == NULL) {
		/* Before each use: the same object, its rights fresh. */
		memset(&e->lookup_err, 0, sizeof(e->lookup_err));
		rc = ns_revalidate(t, text, e->v, &e->h.rights, &e->lookup_err);
		if (rc > 0)
			open_entry(t, e);
		else if (rc < 0) {
			free_vmo(e->v);
			e->v = NULL;
			e->h.vmo = NULL;
			e->h.type = ZX_OBJ_TYPE_NONE;
		}
	} else {
		/* A path may name another file now. */
		open_entry(t, e);
	}
	e->used = t->seq;
	lru_unlink(t, e);
	lru_push(t, e);
	if (e->v != NULL) {
		e->h.type = ZX_OBJ_TYPE_VMO;
		e->h.vmo = &e->v->vmo;
	}
	return &e->h;
}

struct zx_aspace *
tgt_process(struct tgt *t, const char *text, const char *exe)
{
	struct proc_entry *ne;
	struct zx_aspace *as;

	/* A core opened with another --exe is another target. */
	for (size_t i = 0; i < t->nprocs; i++)
		if (strcmp(t->procs[i].text, text) == 0 && exe == NULL)
			return t->procs[i].as;
	if ((as = process_open(text, strchr(text, '/') == NULL &&
	    ns_has(t, text), exe)) == NULL)
		return NULL;
	/* Bounded: the oldest target goes (one command uses one). */
	if (t->nprocs == MAX_PROCS) {
		process_free(t->procs[0].as);
		free(t->procs[0].text);
		memmove(t->procs, t->procs + 1, (t->nprocs - 1) * sizeof(*t->procs));
		t->nprocs--;
	}
	if ((ne = reallocarray(t->procs, t->nprocs + 1, sizeof(*ne))) == NULL) {
		process_free(as);
		return NULL;
	}
	t->procs = ne;
	if ((ne[t->nprocs].text = strdup(text)) == NULL) {
		process_free(as);
		return NULL;
	}
	ne[t->nprocs++].as = as;
	return as;
}
