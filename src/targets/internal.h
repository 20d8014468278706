/* Shared between the files of src/targets/; the CLI never includes it. */
#ifndef TARGETS_INTERNAL_H
#define TARGETS_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/aspace.h"
#include "core/status.h"
#include "core/vmo.h"

/* A VMO whose bytes are a file descriptor's: a namespace memfd or an
 * external file. */
struct fd_vmo {
	struct zx_vmo vmo;
	int fd;
	struct tgt *ns;          /* the namespace holding it; NULL for a file */
};
extern const struct zx_vmo_ops fd_vmo_ops;
extern const struct zx_vmo_ops ns_vmo_ops;
zx_status_t fd_vmo_read(struct zx_vmo *, uint64_t, void *, size_t,
    struct zx_err *);
zx_status_t fd_vmo_write(struct zx_vmo *, uint64_t, const struct zx_bytes *,
    struct zx_err *);
uint64_t fd_vmo_committed(struct zx_vmo *);

/* memfd.c */
zx_status_t memfd_new(const char *name, uint64_t size, int *fdp,
    uint64_t *koid, struct zx_err *);
zx_status_t holder_start(int memfd, int nsfd, uint64_t koid, const char *name,
    pid_t *pidp, struct zx_err *);
/* Open the holder's memfd again; 0, or ESTALE when pid no longer holds it. */
int holder_open(pid_t pid, uint64_t koid, int flags, int *fdp);
/* End the holder of koid if pid is still it (pidfd: no PID-reuse race). */
void holder_stop(pid_t pid, uint64_t koid);

/* file.c: an external VMO by path. */
zx_status_t file_vmo_open(const char *path, struct fd_vmo **, zx_rights_t *,
    struct zx_err *);

/* process.c */
/* A TARGET: a PID or a core path; a namespace handle name is WRONG_TYPE.
 * exe (--exe) names a core's main executable, for its symbols. */
struct zx_aspace *process_open(const char *text, bool is_vmo_handle,
    const char *exe);

/* core.c */
struct zx_aspace *core_open(const char *path, const char *exe);
bool core_is(const struct zx_aspace *);
void core_free(struct zx_aspace *);
zx_status_t core_maps(struct zx_aspace *, const struct zx_mapping **, size_t *,
    struct zx_err *);

#endif

/* What one zxmem process has opened (targets.c owns it). */
struct vmo_entry {
	char *text;
	struct zx_handle h;
	struct fd_vmo *v;
	struct zx_err lookup_err;
};
struct proc_entry {
	char *text;
	struct zx_aspace *as;
};
struct tgt {
	char nspath[4096];
	int nsfd;                 /* -1 until the namespace is opened */
	struct zx_err ns_err;     /* why it could not be, once tried */
	struct vmo_entry **vmos;  /* each allocated alone: handles point into them */
	size_t nvmos;
	struct proc_entry *procs;
	size_t nprocs;
};

/* namespace.c */
zx_status_t ns_get(struct tgt *, struct zx_err *);
zx_status_t ns_open_vmo(struct tgt *, const char *name, struct fd_vmo **,
    zx_rights_t *, struct zx_err *);
bool ns_has(struct tgt *, const char *name);
void tgt_forget_vmos(struct tgt *);
void process_free(struct zx_aspace *);
