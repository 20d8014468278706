/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The targets layer as the CLI sees it: one struct tgt per zxmem process
 * (a command line, a batch run or a shell), caching what it opened. The CLI
 * holds only these opaque objects; it never sees a descriptor. */
#ifndef TARGETS_H
#define TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/aspace.h"
#include "core/status.h"
#include "core/vmo.h"

struct tgt;

struct tgt *tgt_new(const char *runtime_dir);
void tgt_free(struct tgt *);

/* Handle names: [A-Za-z_][A-Za-z0-9_.-]{0,63}. */
bool tgt_valid_name(const char *);

/* A VMO HANDLE argument: a name in the namespace, or a path (contains '/')
 * opened as an external VMO. Never NULL; a failed lookup is recorded in
 * the handle and reported by the syscall's handle check. */
struct zx_handle *tgt_vmo(struct tgt *, const char *text);

zx_status_t tgt_vmo_create(struct tgt *, uint64_t size, uint64_t content_size,
    bool resizable, bool discardable, const char *name, char *out,
    size_t outlen, struct zx_err *);

struct tgt_handle_info {
	char name[72];
	uint64_t koid;
	uint32_t type;
	zx_rights_t rights;
	uint64_t size;
	bool gone;
};
zx_status_t tgt_handle_list(struct tgt *, struct tgt_handle_info **, size_t *,
    struct zx_err *);
/* The handle names alone, for completion: a read-only look that creates,
 * locks and reaps nothing (0, or an errno; a missing namespace has none).
 * Free with tgt_handle_names_free. */
int tgt_handle_names(struct tgt *, char ***names, size_t *n);
void tgt_handle_names_free(char **names, size_t n);
zx_status_t tgt_handle_close(struct tgt *, char *const *names, size_t n,
    struct zx_err *);
zx_status_t tgt_reset(struct tgt *, struct zx_err *);
/* handle-duplicate (replace false) and handle-replace: want is a set of
 * rights or ZX_RIGHT_SAME_RIGHTS; newname NULL picks one. */
zx_status_t tgt_handle_derive(struct tgt *, const char *name, zx_rights_t want,
    bool replace, const char *newname, char *out, size_t outlen,
    struct zx_err *);

/* A TARGET argument: a PID or the path of an ELF core (exe: --exe, the
 * core's main executable, or NULL). NULL only when out of memory; other
 * errors surface at the lookup step of the process-memory rules. */
struct zx_aspace *tgt_process(struct tgt *, const char *text, const char *exe);

/* For completion: the live processes the caller may debug (its own; all
 * for root) but zxmem itself, or with pid the threads of that process,
 * each with its command name; sorted by id. 0 or an errno. */
struct tgt_proc_entry {
	int pid;
	char comm[32];
};
int tgt_proc_list(const char *pid, struct tgt_proc_entry **, size_t *);

/* A live process that still runs its parent's program: forked, and not
 * exec'd yet ("prog &" a moment ago). False for a core. */
bool tgt_process_unexeced(struct zx_aspace *);

/* How many new programs a live process has exec'd since this target
 * first looked it up (each lookup and transfer notices one); 0 for a
 * core. A value that changes means addresses resolved before it are the
 * old program's. */
unsigned tgt_process_execs(struct zx_aspace *);

/* Every mapping, in address order (process-maps). */
zx_status_t tgt_maps(struct zx_aspace *, const struct zx_mapping **, size_t *,
    struct zx_err *);

struct tgt_vmo_info {
	char handle[4096];   /* /proc/PID/fd/N or a file path */
	uint64_t koid;
	uint64_t size;
	const char *kind;    /* memfd, shm, file */
	char name[4096];
};
zx_status_t tgt_vmos(struct zx_aspace *, struct tgt_vmo_info **, size_t *,
    struct zx_err *);

/* Symbols of a process or core (SPEC §10). Call after zx_process_resolve
 * (lookup, READ right, state) succeeded. */
struct tgt_symbol {
	uint64_t addr;           /* runtime address; for kind "tls" the offset
	                          * in the object's TLS block */
	uint64_t size;           /* st_size, 0 when unknown */
	uint64_t offset;         /* tgt_symbol_at: the address less addr */
	const char *kind;        /* "func", "object", "tls" or "other" */
	char *name;              /* demangled when mangled (owned) */
	const char *object;      /* the object's path */
};
/* The symbol holding addr (a sized symbol containing it, else the nearest
 * one below it in its object), or NOT_FOUND. Free with tgt_symbols_free. */
zx_status_t tgt_symbol_at(struct zx_aspace *, uint64_t addr,
    struct tgt_symbol *, struct zx_err *);
/* Every symbol whose name (demangled, or as in the table) matches glob
 * (NULL: all), of the objects OBJECT names (NULL: all), main executable
 * first, each object's in address order. */
zx_status_t tgt_symbols(struct zx_aspace *, const char *glob,
    const char *object, struct tgt_symbol **, size_t *, struct zx_err *);
void tgt_symbols_free(struct tgt_symbol *, size_t);

/* A holder process (SPEC §3) is zxmem run again with its title as its
 * only argument; main() hands such a process to holder_main(). */
bool holder_mode(int argc, char **argv);
int holder_main(void);

/* The default namespace directory, for messages and help. */
void tgt_runtime_dir(const char *override, char *buf, size_t len);

#endif
