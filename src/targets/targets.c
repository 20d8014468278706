/* One struct tgt per zxmem process: what it opened stays open for its whole
 * life (a batch or a shell reuses it), and goes when the handle closes. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "targets/internal.h"
#include "targets/targets.h"

struct tgt *
tgt_new(const char *runtime_dir)
{
	struct tgt *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->nsfd = -1;
	tgt_runtime_dir(runtime_dir, t->nspath, sizeof(t->nspath));
	return t;
}

static void
free_vmo_entry(struct vmo_entry *e)
{
	if (e->v != NULL) {
		close(e->v->fd);
		free(e->v);
	}
	free(e->text);
}

void
tgt_forget_vmos(struct tgt *t)
{
	for (size_t i = 0; i < t->nvmos; i++) {
		free_vmo_entry(t->vmos[i]);
		free(t->vmos[i]);
	}
	free(t->vmos);
	t->vmos = NULL;
	t->nvmos = 0;
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

/* Entries are found by the text the user typed. The array only grows
 * within one command, so pointers into it stay valid until the next
 * command may forget them. */
struct zx_handle *
tgt_vmo(struct tgt *t, const char *text)
{
	static const struct zx_err oom_err = { ZX_ERR_NO_MEMORY, "out of memory" };
	static struct zx_handle oom = {
		.name = "?", .type = ZX_OBJ_TYPE_NONE, .lookup_err = &oom_err,
	};
	struct vmo_entry *e, **ne;

	for (size_t i = 0; i < t->nvmos; i++) {
		e = t->vmos[i];
		if (strcmp(e->text, text) != 0)
			continue;
		if (e->v != NULL)
			return &e->h;
		goto lookup;   /* failed before: the name may exist now */
	}
	if ((ne = reallocarray(t->vmos, t->nvmos + 1, sizeof(*ne))) == NULL)
		return &oom;
	t->vmos = ne;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return &oom;
	if ((e->text = strdup(text)) == NULL) {
		free(e);
		return &oom;
	}
	t->vmos[t->nvmos++] = e;
lookup:
	memset(&e->lookup_err, 0, sizeof(e->lookup_err));
	e->h.name = e->text;
	e->h.lookup_err = &e->lookup_err;
	e->h.type = ZX_OBJ_TYPE_NONE;
	if (strchr(text, '/') != NULL)
		file_vmo_open(text, &e->v, &e->h.rights, &e->lookup_err);
	else
		ns_open_vmo(t, text, &e->v, &e->h.rights, &e->lookup_err);
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
