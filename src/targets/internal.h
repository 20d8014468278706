/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the files of src/targets/; the CLI never includes it. */
#ifndef TARGETS_INTERNAL_H
#define TARGETS_INTERNAL_H

#include <elfutils/libdwfl.h>
#include <gelf.h>
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
	int fd;                  /* a file: read-only until the first write */
	bool writable;           /* fd was opened for writing */
	struct tgt *ns;          /* the namespace holding it; NULL for a file */
	/* A namespace object: how to reach it again and find it unchanged. */
	uint64_t base;           /* where byte 0 of the object is in fd (a slice) */
	uint64_t slice_size;     /* a slice's own size (the memfd is its root's) */
	pid_t holder;            /* whose fd 3 is the memfd */
	uint64_t ino;            /* the memfd's inode */
	bool flocked;            /* between begin and end */
};
extern const struct zx_vmo_ops fd_vmo_ops;
extern const struct zx_vmo_ops ns_vmo_ops;
zx_status_t fd_vmo_read(struct zx_vmo *, uint64_t, void *, size_t,
    struct zx_err *);
zx_status_t fd_vmo_write(struct zx_vmo *, uint64_t, const struct zx_bytes *,
    struct zx_err *);
uint64_t fd_vmo_committed(struct zx_vmo *);
zx_status_t fd_vmo_range(struct zx_vmo *, enum zx_vmo_op, uint64_t, uint64_t,
    struct zx_err *);
zx_status_t fd_vmo_copy_out(struct zx_vmo *, uint64_t, uint64_t, int,
    uint64_t *, struct zx_err *);

/* memfd.c */
/* A memfd of size bytes; *ino is its inode (not the koid: slices and
 * references share a memfd). */
zx_status_t memfd_new(const char *name, uint64_t size, int *fdp,
    uint64_t *ino, struct zx_err *);
/* Start the holder of memfd, which keeps it while the record o/KOID
 * exists; *commitfd is the creator's end of the socket the holder waits
 * on: holder_commit() once the records are in place (the holder then
 * serves for good), or close() to give it up. */
zx_status_t holder_start(int memfd, int nsfd, uint64_t koid, const char *name,
    pid_t *pidp, int *commitfd, struct zx_err *);
void holder_commit(int commitfd);
/* Open the holder's memfd again; 0, ESRCH when pid has exited, or ESTALE
 * when pid lives but does not hold the memfd ino (another process's PID);
 * EMFILE/ENFILE when out of descriptors. */
int holder_open(pid_t pid, uint64_t ino, int flags, int *fdp);
/* Does pid still hold the memfd ino (one stat, no descriptor)? */
bool holder_alive(pid_t pid, uint64_t ino);
/* End the holder of ino if pid is still it (pidfd: no PID-reuse race). */
void holder_stop(pid_t pid, uint64_t ino);
/* Copy the committed extents of [off, off+len) of src to dst at 0: the
 * cost follows the data, not the size. 0 or an errno. */
int memfd_copy_data(int src, uint64_t off, uint64_t len, int dst);

/* file.c: an external VMO by path. */
zx_status_t file_vmo_open(const char *path, struct fd_vmo **, zx_rights_t *,
    struct zx_err *);

/* process.c */
/* A TARGET: a PID or a core path; a namespace handle name is WRONG_TYPE.
 * exe (--exe) names a core's main executable, for its symbols. */
struct zx_aspace *process_open(const char *text, bool is_vmo_handle,
    const char *exe);

/* core.c */
/* pathfd: the core pinned with O_PATH (owned, even on failure), or -1. */
struct zx_aspace *core_open(const char *path, int pathfd, const char *exe);
bool core_is(const struct zx_aspace *);
void core_free(struct zx_aspace *);
zx_status_t core_maps(struct zx_aspace *, const struct zx_mapping **, size_t *,
    struct zx_err *);

/* symbols.c: the elfutils session of a process-like target (SPEC §10).
 *
 * aspace_dwfl() is the way in for DWARF work: the target's Dwfl, made on
 * first use, with one module per mapped object (a live process's maps, a
 * core's NT_FILE), each opened safely (see find_elf in symbols.c). Call it
 * after the target's lookup (zx_process_resolve or as->ops->lookup)
 * succeeded; it returns NULL with err filled when it cannot be made. The
 * Dwfl, its modules, Elf and Dwarf handles belong to the target: never
 * dwfl_end/elf_end/dwarf_end them; they live until the target is freed
 * (a batch or shell keeps them; a changed map is re-reported, keeping the
 * modules that did not change). Use one thread. */
Dwfl *aspace_dwfl(struct zx_aspace *, struct zx_err *);

/* A symbol found by name: the module holding it, the ELF symbol, and its
 * runtime address (load bias applied; a TLS symbol's address in the thread
 * as->thread picks). object: NULL for any, else an OBJECT! name. */
struct sym_hit {
	Dwfl_Module *mod;
	const char *name;        /* as in the table (may be mangled) */
	const char *object;      /* the module's name (its path) */
	GElf_Sym sym;
	uint64_t addr;
	uint64_t size;           /* st_size; 0 when unknown */
	int type;                /* STT_* */
};
zx_status_t aspace_symbol(struct zx_aspace *, const char *object,
    const char *symbol, struct sym_hit *, struct zx_err *);
/* The ops->resolve of live processes and cores. */
zx_status_t sym_resolve(struct zx_aspace *, const char *object,
    const char *symbol, uint64_t *addr, struct zx_err *);
/* A malloc'd demangled name, or NULL for a name that is not mangled. */
char *sym_demangle(const char *);

/* One module's file, as find_elf opens it (module userdata). */
struct sym_file {
	char *path;              /* maps' or NT_FILE's path */
	bool deleted;            /* maps says " (deleted)" */
	uint64_t dev, ino;       /* to check the file opened; ino 0: no check */
	uint64_t map_start, map_end;   /* its offset-0 mapping (map_files) */
	int dirfd;               /* live: /proc/PID; -1: open path (a core) */
	const char *exe;         /* a core's --exe, for the main executable */
	bool is_exe;
	const char *refuse;      /* set: do not use the file, for this reason */
	char why[200];           /* why no ELF could be had */
	struct sym_sorted *sorted;     /* for address lookups, made once */
	size_t nsorted;
};
/* One module to report. */
struct sym_span {
	const char *name, *path;
	bool deleted;
	uint64_t start, end, map_start, map_end, dev, ino;
	int dirfd;
	const char *exe;
	bool is_exe;
	const char *refuse;
};
struct sym_session {
	Dwfl *dwfl;
	Dwfl_Module *main;       /* the main executable, if known */
	struct sym_file **files;
	size_t nfiles;
	bool reported;
	bool stale;              /* the maps changed: report again */
};
struct sym_session *sym_session_new(struct zx_err *);
void sym_session_free(struct sym_session *);
/* entry: AT_ENTRY, to tell the main executable (0: by is_exe only). */
zx_status_t sym_report(struct sym_session *, const struct sym_span *,
    size_t n, uint64_t entry, struct zx_err *);

/* core.c */
struct sym_session *core_session(struct zx_aspace *, struct zx_err *);
/* fs_base of thread tid (0: the first thread) from NT_PRSTATUS. */
zx_status_t core_thread_pointer(struct zx_aspace *, pid_t tid, uint64_t *tp,
    struct zx_err *);


/* What one zxmem process has opened (targets.c owns it): a bounded cache,
 * hashed by the text the user typed, least recently used first out. */
struct vmo_entry {
	char *text;
	struct zx_handle h;
	struct fd_vmo *v;
	struct zx_err lookup_err;
	struct vmo_entry *hnext;          /* hash chain */
	struct vmo_entry *lprev, *lnext;  /* LRU list, newest at the head */
	uint64_t used;                    /* lookup sequence number */
};
struct proc_entry {
	char *text;
	struct zx_aspace *as;
};
struct tgt {
	char nspath[4096];
	int nsfd;                 /* -1 until the namespace is opened */
	struct zx_err ns_err;     /* why it could not be, once tried */
	struct vmo_entry **buckets;   /* each entry allocated alone */
	size_t nbuckets, nvmos, maxvmos;
	struct vmo_entry *lru_head, *lru_tail;
	uint64_t seq;
	struct proc_entry *procs;
	size_t nprocs;
};

/* namespace.c */
zx_status_t ns_get(struct tgt *, struct zx_err *);
zx_status_t ns_open_vmo(struct tgt *, const char *name, struct fd_vmo **,
    zx_rights_t *, struct zx_err *);
/* A cached handle before each use: the name still names the same koid
 * (its rights read fresh); 1 when it now names another object (reopen). */
int ns_revalidate(struct tgt *, const char *name, struct fd_vmo *,
    zx_rights_t *, struct zx_err *);
/* A path that names one of the namespace's own memfds becomes that object
 * (0), or stays a file (-1). */
int ns_adopt_path(struct tgt *, struct fd_vmo *);
bool ns_has(struct tgt *, const char *name);
void tgt_forget_vmos(struct tgt *);
/* In a holder whose creator ended before committing: true if a handle
 * names koid after all; else its record is removed (under the lock). */
bool ns_holder_settle(int nsfd, uint64_t koid);
void process_free(struct zx_aspace *);

#endif
