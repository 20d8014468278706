/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The per-user handle namespace (SPEC §3): a 0700 directory holding
 *   h/NAME   a handle: "koid=K rights=R"
 *   o/KOID   an object: its state ("holder=PID ino=I content_size=N
 *            resizable=0|1 cache_policy=P parent=K children=N ...")
 *   koid     the next koid: koids are never reused in the namespace
 *   lock     flock'd around every change, so two racing creators of one
 *            name serialize and exactly one wins.
 * An object's bytes are a memfd kept open by a holder process; slices and
 * references share their root's memfd (owner=KOID names the object whose
 * holder keeps it). An object no handle names stays, "closed", while a
 * child or a sharer still needs it (Zircon's hidden nodes), and goes with
 * the last of them. Between operations the state lives only here and in
 * the memfd (its size), so every handle in every process sees it at once;
 * flock on the memfd orders writers (shared) against a resize (exclusive).
 * Records are written to a temporary name and renamed or linked into
 * place, so a reader never sees half of one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "targets/fdio.h"
#include "targets/internal.h"
#include "targets/targets.h"

#define TMP_PREFIX ".tmp."   /* records being written: .tmp.PID.N */

struct handle_rec {
	uint64_t koid;
	zx_rights_t rights;
};

struct object_rec {
	pid_t holder;            /* keeps the memfd ino, as object owner */
	uint64_t ino, owner;
	uint64_t ref;            /* a reference: the koid whose state it shares */
	int kind;                /* enum zx_vmo_kind */
	uint64_t base, slice_size;
	uint64_t content_size;
	int resizable;
	uint32_t cache_policy;
	uint64_t parent, root_offset, children;
	uint64_t snapshots;      /* live snapshot children (decommit refuses) */
	uint64_t refs;           /* records that name this one as parent/owner/ref */
	int discardable, immutable, discarded, closed;
	uint32_t lock_count;
};

bool
tgt_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	if (!(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
	    (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(s[i] == '_' || s[i] == '.' || s[i] == '-' ||
		    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9')))
			return false;
	return true;
}

void
tgt_runtime_dir(const char *override, char *buf, size_t len)
{
	const char *e;

	if (override != NULL && *override != '\0')
		strlcpy(buf, override, len);
	else if ((e = getenv("ZXMEM_RUNTIME_DIR")) != NULL && *e != '\0')
		strlcpy(buf, e, len);
	else if ((e = getenv("XDG_RUNTIME_DIR")) != NULL && *e != '\0')
		snprintf(buf, len, "%s/zxmem", e);
	else
		snprintf(buf, len, "/tmp/zxmem-%u", (unsigned)geteuid());
}

/* The directory that holds the namespace, and the namespace's own name in
 * it, whatever the spelling: "ns/", "ns/." and "ns//./" all end in "ns",
 * so O_NOFOLLOW applies to the real last component (a trailing slash or
 * dot would make open follow a symlink there). */
static zx_status_t
ns_split(const char *path, char *dir, size_t dirlen, char *base,
    size_t baselen, struct zx_err *why)
{
	char *slash;
	size_t n;

	if (strlcpy(dir, path, dirlen) >= dirlen || *dir == '\0')
		return zx_fail(why, ZX_ERR_INVALID_ARGS, "namespace directory "
		    "'%s': not a usable path", path);
	for (n = strlen(dir);;) {
		while (n > 1 && dir[n - 1] == '/')
			dir[--n] = '\0';
		if (n > 2 && strcmp(dir + n - 2, "/.") == 0)
			dir[n -= 2] = '\0';
		else if (strcmp(dir, ".") == 0 && getcwd(dir, dirlen) != NULL)
			n = strlen(dir);
		else
			break;
	}
	slash = strrchr(dir, '/');
	if (strlcpy(base, slash ? slash + 1 : dir, baselen) >= baselen)
		return zx_fail(why, ZX_ERR_INVALID_ARGS, "namespace directory "
		    "'%s': its name is too long", path);
	if (slash == NULL)
		strlcpy(dir, ".", dirlen);
	else
		slash[slash == dir ? 1 : 0] = '\0';   /* "/ns": the root */
	if (*base == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return zx_fail(why, ZX_ERR_ACCESS_DENIED, "namespace directory %s: "
		    "name the directory itself, not '%s'", path, *base ? base :
		    "/");
	return ZX_OK;
}

/* Out of descriptors (the process's or the system's): ZX_ERR_NO_RESOURCES,
 * never taken for a refused directory or a vanished object. */
static bool
out_of_fds(int e)
{
	return e == EMFILE || e == ENFILE;
}

/* Like tmux and ssh: refuse a directory someone else could have planted or
 * can reach into. The verdict is kept, so a batch asks once. */
static zx_status_t
ns_open(struct tgt *t, struct zx_err *why)
{
	char dir[sizeof(t->nspath)], base[NAME_MAX + 1];
	struct stat st;
	zx_status_t s;
	int pfd, fd;

	if ((s = ns_split(t->nspath, dir, sizeof(dir), base, sizeof(base),
	    why)) != ZX_OK)
		return s;
	pfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0 || (mkdirat(pfd, base, 0700) < 0 && errno != EEXIST)) {
		int e = errno;

		if (pfd >= 0)
			close(pfd);
		return zx_fail(why, e == EACCES ? ZX_ERR_ACCESS_DENIED :
		    out_of_fds(e) ? ZX_ERR_NO_RESOURCES : ZX_ERR_BAD_STATE,
		    "cannot create the namespace directory %s: %s", t->nspath,
		    strerror(e));
	}
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		close(pfd);
		return zx_fail(why, out_of_fds(e) ? ZX_ERR_NO_RESOURCES :
		    ZX_ERR_ACCESS_DENIED, "namespace directory %s: %s", t->nspath,
		    e == ELOOP || e == ENOTDIR ?
		    "is a symbolic link or not a directory; refusing it" :
		    strerror(e));
	}
	close(pfd);
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid()) {
		close(fd);
		return zx_fail(why, ZX_ERR_ACCESS_DENIED, "namespace directory %s "
		    "is owned by uid %u, not by you (uid %u)", t->nspath,
		    (unsigned)st.st_uid, (unsigned)geteuid());
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		return zx_fail(why, ZX_ERR_ACCESS_DENIED, "namespace directory %s "
		    "has unsafe permissions %04o (group or others can reach it; it "
		    "must be 0700)", t->nspath, (unsigned)(st.st_mode & 07777));
	}
	if ((mkdirat(fd, "h", 0700) < 0 && errno != EEXIST) ||
	    (mkdirat(fd, "o", 0700) < 0 && errno != EEXIST)) {
		int e = errno;

		close(fd);
		return zx_fail(why, ZX_ERR_ACCESS_DENIED, "cannot populate the "
		    "namespace directory %s: %s", t->nspath, strerror(e));
	}
	t->nsfd = fd;
	return ZX_OK;
}

zx_status_t
ns_get(struct tgt *t, struct zx_err *err)
{
	/* A refusal is kept; running out of descriptors is not final. */
	if (t->nsfd < 0 && (t->ns_err.status == ZX_OK ||
	    t->ns_err.status == ZX_ERR_NO_RESOURCES)) {
		memset(&t->ns_err, 0, sizeof(t->ns_err));
		ns_open(t, &t->ns_err);
	}
	if (t->nsfd >= 0)
		return ZX_OK;
	return zx_fail(err, t->ns_err.status, "%s", t->ns_err.msg);
}

static int
ns_lock(struct tgt *t, struct zx_err *err)
{
	int fd = openat(t->nsfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);

	if (fd < 0) {
		zx_fail(err, out_of_fds(errno) ? ZX_ERR_NO_RESOURCES :
		    ZX_ERR_ACCESS_DENIED, "cannot open %s/lock: %s", t->nspath,
		    strerror(errno));
		return -1;
	}
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			zx_fail(err, ZX_ERR_IO, "cannot lock %s/lock: %s", t->nspath,
			    strerror(errno));
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void
ns_unlock(int fd)
{
	close(fd);   /* releases the flock */
}

/* key=value records: regular files only, never through a symlink, never
 * blocking on a FIFO planted in their place. */
static int
rec_read(struct tgt *t, const char *path, char **text)
{
	return fd_slurp_reg_at(t->nsfd, path, text, NULL);
}

static uint64_t
rec_u64(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, k) == 0 && p[k] == '=')
			return strtoull(p + k + 1, NULL, 0);
	return 0;
}

/* holder=PID, strictly: a damaged record (EBADMSG) must not pass for an
 * exited holder, nor name init or nobody as one. A holder is never PID 1:
 * it is started by a zxmem, through a double fork. */
static int
rec_holder(const char *text, pid_t *pid)
{
	const char *p;
	long long v;
	char *end;

	*pid = 0;
	for (p = text; p != NULL; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, "holder=", 7) == 0)
			break;
	if (p == NULL || p[7] < '0' || p[7] > '9')
		return EBADMSG;
	errno = 0;
	v = strtoll(p + 7, &end, 10);
	if (errno != 0 || (*end != '\n' && *end != '\0') || v < 2 || v > INT_MAX)
		return EBADMSG;
	*pid = (pid_t)v;
	return 0;
}

/* Why the object koid, whose record read_object answered rc, cannot be
 * reached through its holder (holder_open answered hrc). */
static void
gone_why(char *buf, size_t len, uint64_t koid, int rc, pid_t holder, int hrc)
{
	if (rc == ENOENT)
		snprintf(buf, len, "its record o/%" PRIu64 " is missing", koid);
	else if (rc != 0)
		snprintf(buf, len, "its record o/%" PRIu64 " is damaged (%s)", koid,
		    rc == EBADMSG ? "no holder=PID of a holder process" : rc == ELOOP
		    ? "a symbolic link" : rc == EINVAL || rc == EISDIR ? "not a "
		    "regular file" : strerror(rc));
	else if (hrc == ESRCH)
		snprintf(buf, len, "its holder process %d has exited", (int)holder);
	else
		snprintf(buf, len, "process %d, which its record names, does not "
		    "hold it (the holder has gone and its PID is reused, or the "
		    "record is wrong)", (int)holder);
}

static bool
rec_has(const char *text, const char *key)
{
	size_t k = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, k) == 0 && p[k] == '=')
			return true;
	return false;
}

static int
read_handle(struct tgt *t, const char *name, struct handle_rec *h)
{
	char path[80], *text;
	int rc;

	snprintf(path, sizeof(path), "h/%s", name);
	if ((rc = rec_read(t, path, &text)) != 0)
		return rc;
	h->koid = rec_u64(text, "koid");
	h->rights = (zx_rights_t)rec_u64(text, "rights");
	free(text);
	return 0;
}

static int
read_object(struct tgt *t, uint64_t koid, struct object_rec *o)
{
	char path[40], *text;
	int rc;

	snprintf(path, sizeof(path), "o/%" PRIu64, koid);
	if ((rc = rec_read(t, path, &text)) != 0)
		return rc;
	rc = rec_holder(text, &o->holder);
	/* Records from before koids were counted: the koid was the inode. */
	o->ino = rec_has(text, "ino") ? rec_u64(text, "ino") : koid;
	o->owner = rec_has(text, "owner") ? rec_u64(text, "owner") : koid;
	o->ref = rec_u64(text, "ref");
	o->kind = rec_has(text, "kind") ? (int)rec_u64(text, "kind") :
	    ZX_VMO_KIND_ROOT;
	o->base = rec_u64(text, "base");
	o->slice_size = rec_u64(text, "slice_size");
	o->content_size = rec_u64(text, "content_size");
	o->resizable = (int)rec_u64(text, "resizable");
	o->cache_policy = (uint32_t)rec_u64(text, "cache_policy");
	o->parent = rec_u64(text, "parent");
	o->root_offset = rec_u64(text, "root_offset");
	o->children = rec_u64(text, "children");
	o->snapshots = rec_u64(text, "snapshots");
	o->refs = rec_u64(text, "refs");
	o->discardable = (int)rec_u64(text, "discardable");
	o->immutable = (int)rec_u64(text, "immutable");
	o->discarded = (int)rec_u64(text, "discarded");
	o->closed = (int)rec_u64(text, "closed");
	o->lock_count = (uint32_t)rec_u64(text, "lock_count");
	free(text);
	return rc;
}

/* Write text to a fresh temporary file; returns its name in tmp. Call with
 * the lock held: every writer holds it, so a temporary file already there
 * is a leftover of a writer that was killed (perhaps an earlier process
 * with our PID), not one in use. */
static int
write_tmp(struct tgt *t, const char *text, char *tmp, size_t tmplen)
{
	static unsigned seq;
	size_t done;
	int fd, rc;

	snprintf(tmp, tmplen, TMP_PREFIX "%d.%u", (int)getpid(), seq++);
	fd = openat(t->nsfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(t->nsfd, tmp, 0) == 0)
		fd = openat(t->nsfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	rc = fd_write_at(fd, text, strlen(text), 0, &done);
	if (close(fd) < 0 && rc == 0)
		rc = errno;
	if (rc != 0)
		unlinkat(t->nsfd, tmp, 0);
	return rc;
}

static int
write_object(struct tgt *t, uint64_t koid, const struct object_rec *o)
{
	char text[1024], tmp[64], path[40];
	int rc;

	snprintf(text, sizeof(text), "holder=%d\nino=%" PRIu64 "\nowner=%"
	    PRIu64 "\nref=%" PRIu64 "\nkind=%d\nbase=%" PRIu64 "\nslice_size=%"
	    PRIu64 "\ncontent_size=%" PRIu64 "\nresizable=%d\ncache_policy=%u\n"
	    "parent=%" PRIu64 "\nroot_offset=%" PRIu64 "\nchildren=%" PRIu64
	    "\nsnapshots=%" PRIu64 "\nrefs=%" PRIu64 "\ndiscardable=%d\n"
	    "immutable=%d\ndiscarded=%d\nclosed=%d\nlock_count=%u\n",
	    (int)o->holder, o->ino, o->owner, o->ref, o->kind, o->base,
	    o->slice_size, o->content_size, o->resizable, o->cache_policy,
	    o->parent, o->root_offset, o->children, o->snapshots, o->refs,
	    o->discardable, o->immutable, o->discarded, o->closed,
	    o->lock_count);
	snprintf(path, sizeof(path), "o/%" PRIu64, koid);
	if ((rc = write_tmp(t, text, tmp, sizeof(tmp))) != 0)
		return rc;
	if (renameat(t->nsfd, tmp, t->nsfd, path) < 0) {
		rc = errno;
		unlinkat(t->nsfd, tmp, 0);
	}
	return rc;
}

/* Link a new handle record into place: EEXIST if the name is taken. */
static int
link_handle(struct tgt *t, const char *name, const struct handle_rec *h)
{
	char text[128], tmp[64], path[80];
	int rc;

	snprintf(text, sizeof(text), "koid=%" PRIu64 "\nrights=%#x\n", h->koid,
	    h->rights);
	snprintf(path, sizeof(path), "h/%s", name);
	if ((rc = write_tmp(t, text, tmp, sizeof(tmp))) != 0)
		return rc;
	if (linkat(t->nsfd, tmp, t->nsfd, path, 0) < 0)
		rc = errno;
	unlinkat(t->nsfd, tmp, 0);
	return rc;
}

/* The first vmoN not taken (call with the lock held). */
static void
next_free_name(struct tgt *t, char *buf, size_t len)
{
	for (unsigned n = 0;; n++) {
		snprintf(buf, len, "vmo%u", n);
		if (!ns_has(t, buf))
			return;
	}
}

bool
ns_has(struct tgt *t, const char *name)
{
	struct stat st;
	char path[80];

	if (!tgt_valid_name(name) || ns_get(t, NULL) != ZX_OK)
		return false;
	snprintf(path, sizeof(path), "h/%s", name);
	return fstatat(t->nsfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

/* How many mappings of the memfd ino do the processes we can see have?
 * (Zircon refuses a cache policy change while a mapping exists.) */
static uint64_t
memfd_mappings(uint64_t ino, pid_t holder)
{
	struct dirent *de;
	uint64_t found = 0;
	DIR *d = opendir("/proc");

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char path[300], *text, *line;

		if (de->d_name[0] < '1' || de->d_name[0] > '9' ||
		    atoi(de->d_name) == (int)holder)
			continue;
		snprintf(path, sizeof(path), "/proc/%s/maps", de->d_name);
		if (fd_slurp_at(AT_FDCWD, path, &text, NULL) != 0)
			continue;
		for (line = text; line && *line; line = strchr(line, '\n'),
		    line = line ? line + 1 : NULL) {
			unsigned long long i;
			int pos = 0;

			if (sscanf(line, "%*x-%*x %*s %*x %*x:%*x %llu %n", &i,
			    &pos) >= 1 && i == ino && pos > 0 &&
			    strncmp(line + pos, "/memfd:zxmem:", 13) == 0)
				found++;
		}
		free(text);
	}
	closedir(d);
	return found;
}

/* The next koid (call with the lock held): counted, never reused. */
static int
next_koid(struct tgt *t, uint64_t *koid)
{
	char *text = NULL, buf[64], tmp[64];
	uint64_t k = 1;
	int rc;

	if ((rc = rec_read(t, "koid", &text)) == 0) {
		k = rec_u64(text, "next");
		free(text);
		if (k == 0)
			return EINVAL;
	} else if (rc != ENOENT) {
		return rc;
	}
	snprintf(buf, sizeof(buf), "next=%" PRIu64 "\n", k + 1);
	if ((rc = write_tmp(t, buf, tmp, sizeof(tmp))) != 0)
		return rc;
	if (renameat(t->nsfd, tmp, t->nsfd, "koid") < 0) {
		rc = errno;
		unlinkat(t->nsfd, tmp, 0);
		return rc;
	}
	*koid = k;
	return 0;
}

/* The koid whose record holds the state (a reference shares its
 * parent's). */
static uint64_t
state_koid(uint64_t koid, const struct object_rec *o)
{
	return o->ref != 0 ? o->ref : koid;
}

/* Change the state record of koid under the namespace lock. */
enum { SET_CONTENT = 1, SET_POLICY = 2, SET_LOCK = 4 };
static zx_status_t
update_object(struct tgt *t, uint64_t koid, unsigned what,
    const struct object_rec *nv, struct zx_err *err)
{
	struct object_rec o;
	int lock, rc;

	if ((lock = ns_lock(t, err)) < 0)
		return err->status;
	if ((rc = read_object(t, koid, &o)) == 0) {
		if (o.ref != 0) {
			koid = o.ref;
			rc = read_object(t, koid, &o);
		}
	}
	if (rc == 0) {
		if (what & SET_CONTENT)
			o.content_size = nv->content_size;
		if (what & SET_POLICY)
			o.cache_policy = nv->cache_policy;
		if (what & SET_LOCK) {
			o.lock_count = nv->lock_count;
			o.discarded = nv->discarded;
		}
		rc = write_object(t, koid, &o);
	}
	ns_unlock(lock);
	if (rc != 0)
		return zx_fail(err, rc == ENOENT ? ZX_ERR_BAD_HANDLE : ZX_ERR_IO,
		    "cannot update the record of koid %" PRIu64 ": %s", koid,
		    strerror(rc));
	return ZX_OK;
}

static zx_status_t
gone(struct fd_vmo *v, struct zx_err *err)
{
	return zx_fail(err, ZX_ERR_BAD_HANDLE, "the VMO (koid %" PRIu64 ") is "
	    "gone: it was closed or reset, or its holder process %d has exited; "
	    "run 'zxmem reset' to clear the namespace", v->vmo.koid,
	    (int)v->holder);
}

static void
ns_vmo_end(struct zx_vmo *vmo)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;

	if (v->flocked)
		flock(v->fd, LOCK_UN);
	v->flocked = false;
}

/* Lock the memfd and load the object's state fresh: the record, the holder
 * still alive, the memfd's size. */
static zx_status_t
ns_vmo_begin(struct zx_vmo *vmo, bool exclusive, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct object_rec o, st;
	struct stat sb;
	int rc;

	while (flock(v->fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return zx_fail(err, ZX_ERR_IO, "cannot lock the VMO: %s",
			    strerror(errno));
	v->flocked = true;
	if (out_of_fds(rc = read_object(v->ns, vmo->koid, &o)))
		goto no_fds;
	if (rc != 0 || o.closed || !holder_alive(o.holder, o.ino) ||
	    o.ino != v->ino) {
		ns_vmo_end(vmo);
		return gone(v, err);
	}
	st = o;
	if (o.ref != 0 && (rc = read_object(v->ns, o.ref, &st)) != 0) {
		if (out_of_fds(rc))
			goto no_fds;
		ns_vmo_end(vmo);
		return gone(v, err);
	}
	if (fstat(v->fd, &sb) < 0) {
		ns_vmo_end(vmo);
		return zx_fail(err, ZX_ERR_IO, "fstat: %s", strerror(errno));
	}
	vmo->kind = (enum zx_vmo_kind)o.kind;
	vmo->size = o.kind == ZX_VMO_KIND_SLICE ? o.slice_size :
	    (uint64_t)sb.st_size;
	vmo->content_size = o.kind == ZX_VMO_KIND_SLICE ||
	    o.kind == ZX_VMO_KIND_SNAPSHOT ? o.content_size : st.content_size;
	vmo->cache_policy = st.cache_policy;
	vmo->resizable = st.resizable != 0;
	vmo->discardable = st.discardable != 0;
	vmo->immutable = o.immutable != 0;
	vmo->discarded = st.discarded != 0;
	vmo->lock_count = st.lock_count;
	vmo->parent_koid = o.parent;
	vmo->children = o.children;
	vmo->snapshots = o.snapshots;
	vmo->root_offset = o.root_offset;
	v->base = o.base;
	v->slice_size = o.slice_size;
	return ZX_OK;
no_fds:
	ns_vmo_end(vmo);
	return zx_fail(err, ZX_ERR_NO_RESOURCES, "cannot read the record of the "
	    "VMO (koid %" PRIu64 "): %s", vmo->koid, strerror(rc));
}

static zx_status_t
ns_vmo_set_size(struct zx_vmo *vmo, uint64_t size, uint64_t content,
    bool zero_tail, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct object_rec nv = { .content_size = content };
	zx_status_t s;

	if (size > (uint64_t)INT64_MAX)
		return zx_fail(err, ZX_ERR_OUT_OF_RANGE, "size %#" PRIx64 " is over "
		    "Linux's memfd limit of 2^63 - 1 bytes", size);
	/* Cut to the content size, then grow to the page end: the tail
	 * [content, size) reads as zeros, as Zircon zeroes it. */
	if ((zero_tail && ftruncate(v->fd, (off_t)content) < 0) ||
	    ftruncate(v->fd, (off_t)size) < 0)
		return zx_fail(err, errno == EPERM ? ZX_ERR_BAD_STATE :
		    ZX_ERR_NO_MEMORY, "cannot resize the memfd to %#" PRIx64 ": %s",
		    size, strerror(errno));
	if ((s = update_object(v->ns, vmo->koid, SET_CONTENT, &nv, err)) != ZX_OK)
		return s;
	vmo->size = size;
	vmo->content_size = content;
	return ZX_OK;
}

static uint64_t
ns_vmo_mappings(struct zx_vmo *vmo)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;

	return memfd_mappings(v->ino, v->holder);
}

static zx_status_t
ns_vmo_set_cache_policy(struct zx_vmo *vmo, uint32_t policy, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct object_rec nv = { .cache_policy = policy };
	zx_status_t s;

	if ((s = update_object(v->ns, vmo->koid, SET_POLICY, &nv, err)) != ZX_OK)
		return s;
	vmo->cache_policy = policy;
	return ZX_OK;
}

static zx_status_t
ns_vmo_set_lock(struct zx_vmo *vmo, uint32_t count, bool discarded,
    struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct object_rec nv = { .lock_count = count, .discarded = discarded };
	zx_status_t s;

	if ((s = update_object(v->ns, vmo->koid, SET_LOCK, &nv, err)) != ZX_OK)
		return s;
	vmo->lock_count = count;
	vmo->discarded = discarded;
	return ZX_OK;
}

/* Count one more (or one fewer) record naming koid (call locked). */
static void
add_ref(struct tgt *t, uint64_t koid, int delta)
{
	struct object_rec o;

	if (koid == 0 || read_object(t, koid, &o) != 0)
		return;
	if (delta < 0 && o.refs == 0)
		return;
	o.refs = delta > 0 ? o.refs + 1 : o.refs - 1;
	write_object(t, koid, &o);
}

static void
add_child(struct tgt *t, uint64_t koid, int delta, bool snapshot)
{
	struct object_rec o;

	if (koid == 0 || read_object(t, koid, &o) != 0)
		return;
	if (delta > 0) {
		o.children++;
		o.snapshots += snapshot;
		o.refs++;   /* the child's record names it */
	} else {
		o.children -= o.children > 0;
		o.snapshots -= snapshot && o.snapshots > 0;
	}
	write_object(t, koid, &o);
}

/* The distinct koids a record names besides itself. */
static size_t
rec_links(uint64_t koid, const struct object_rec *o, uint64_t out[3])
{
	uint64_t c[3] = { o->parent, o->owner, o->ref };
	size_t n = 0;

	for (size_t i = 0; i < 3; i++) {
		bool dup = c[i] == 0 || c[i] == koid;

		for (size_t j = 0; j < n; j++)
			dup = dup || out[j] == c[i];
		if (!dup)
			out[n++] = c[i];
	}
	return n;
}

/* Write the records of a new object and its handle (call locked). */
static zx_status_t
commit_object(struct tgt *t, uint64_t koid, const struct object_rec *o,
    const char *name, zx_rights_t rights, struct zx_err *err)
{
	struct handle_rec h = { .koid = koid, .rights = rights };
	uint64_t named[3];
	char path[40];
	size_t n;
	int rc;

	if ((rc = write_object(t, koid, o)) != 0 ||
	    (rc = link_handle(t, name, &h)) != 0) {
		snprintf(path, sizeof(path), "o/%" PRIu64, koid);
		unlinkat(t->nsfd, path, 0);
		return zx_fail(err, rc == EEXIST ? ZX_ERR_ALREADY_EXISTS : ZX_ERR_IO,
		    rc == EEXIST ? "a handle named '%s' already exists" :
		    "cannot record handle '%s': %s", name, strerror(rc));
	}
	/* The parent's record changes once: one more child, one more
	 * record naming it. */
	n = rec_links(koid, o, named);
	for (size_t i = 0; i < n; i++)
		if (named[i] != o->parent)
			add_ref(t, named[i], 1);
	add_child(t, o->parent, 1, o->kind == ZX_VMO_KIND_SNAPSHOT);
	return ZX_OK;
}

/* The name for a new handle: NAME if free, else the next free vmoN. */
static zx_status_t
new_name(struct tgt *t, const char *name, char *buf, size_t len,
    struct zx_err *err)
{
	if (name == NULL) {
		next_free_name(t, buf, len);
		return ZX_OK;
	}
	if (ns_has(t, name))
		return zx_fail(err, ZX_ERR_ALREADY_EXISTS, "a handle named '%s' "
		    "already exists", name);
	strlcpy(buf, name, len);
	return ZX_OK;
}

static zx_status_t
ns_vmo_create_child(struct zx_vmo *vmo, const struct zx_vmo_child_req *req,
    char *out, size_t outlen, struct zx_err *err)
{
	struct fd_vmo *v = (struct fd_vmo *)vmo;
	struct tgt *t = v->ns;
	struct object_rec p, o = { 0 };
	char name[80];
	uint64_t koid, ino;
	zx_status_t s = ZX_OK;
	int lock, memfd = -1, rc, commit = -1;
	pid_t holder = 0;

	if (read_object(t, vmo->koid, &p) != 0)
		return gone(v, err);
	o.kind = req->kind;
	o.parent = vmo->koid;
	o.root_offset = req->root_offset;
	o.content_size = req->content_size;
	o.resizable = req->resizable;
	o.immutable = req->immutable;
	o.cache_policy = ZX_CACHE_POLICY_CACHED;
	if (req->kind == ZX_VMO_KIND_SNAPSHOT) {
		uint64_t have = req->offset < vmo->size ? vmo->size - req->offset : 0;

		/* An eager copy of what the parent has written: the cost is
		 * its data, never its size; past its end reads as zeros. */
		if ((s = memfd_new(req->name ? req->name : "child", req->size,
		    &memfd, &ino, err)) != ZX_OK)
			return s;
		if ((rc = memfd_copy_data(v->fd, v->base + req->offset,
		    have < req->size ? have : req->size, memfd)) != 0) {
			close(memfd);
			return zx_fail(err, rc == ENOSPC || rc == ENOMEM ?
			    ZX_ERR_NO_MEMORY : ZX_ERR_IO, "copying the parent's pages: "
			    "%s", strerror(rc));
		}
		o.ino = ino;
	} else {
		o.holder = p.holder;
		o.ino = p.ino;
		o.owner = p.owner;
		o.base = p.base + req->offset;
		o.slice_size = req->size;
		if (req->kind == ZX_VMO_KIND_REFERENCE)
			o.ref = state_koid(vmo->koid, &p);
	}
	if ((lock = ns_lock(t, err)) < 0) {
		if (memfd >= 0)
			close(memfd);
		return err->status;
	}
	if ((s = new_name(t, req->name, name, sizeof(name), err)) != ZX_OK)
		goto out;
	if ((rc = next_koid(t, &koid)) != 0) {
		s = zx_fail(err, ZX_ERR_IO, "cannot count koids: %s", strerror(rc));
		goto out;
	}
	if (memfd >= 0) {
		if ((s = holder_start(memfd, t->nsfd, koid, name, &holder,
		    &commit, err)) != ZX_OK)
			goto out;
		o.holder = holder;
		o.owner = koid;
	}
	if ((s = commit_object(t, koid, &o, name, req->rights, err)) != ZX_OK) {
		if (holder > 0) {
			close(commit);
			holder_stop(holder, o.ino);
		}
		goto out;
	}
	if (holder > 0)
		holder_commit(commit);
	strlcpy(out, name, outlen);
out:
	if (memfd >= 0)
		close(memfd);
	ns_unlock(lock);
	return s;
}

/* A VMO of the namespace: a memfd whose record holds its Zircon state. */
const struct zx_vmo_ops ns_vmo_ops = {
	.begin = ns_vmo_begin,
	.end = ns_vmo_end,
	.read = fd_vmo_read,
	.write = fd_vmo_write,
	.set_size = ns_vmo_set_size,
	.set_cache_policy = ns_vmo_set_cache_policy,
	.committed = fd_vmo_committed,
	.range = fd_vmo_range,
	.set_lock = ns_vmo_set_lock,
	.create_child = ns_vmo_create_child,
	.mappings = ns_vmo_mappings,
	.copy_out = fd_vmo_copy_out,
};

static zx_status_t
open_object(struct tgt *t, const char *name, uint64_t koid, struct fd_vmo **out,
    struct zx_err *err)
{
	struct object_rec o = { 0 };
	struct fd_vmo *v;
	char why[200];
	int fd, rc, hrc = 0;

	if ((rc = read_object(t, koid, &o)) == 0 && o.closed)
		rc = ENOENT;
	if (out_of_fds(rc))
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "cannot read the record "
		    "of the VMO behind handle '%s': %s", name, strerror(rc));
	if (rc == 0 && out_of_fds(hrc = holder_open(o.holder, o.ino, O_RDWR,
	    &fd)))
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "cannot open the VMO "
		    "behind handle '%s': %s", name, strerror(hrc));
	if (rc != 0 || hrc != 0) {
		gone_why(why, sizeof(why), koid, rc, o.holder, hrc);
		return zx_fail(err, ZX_ERR_BAD_HANDLE,
		    "the VMO behind handle '%s' (koid %" PRIu64 ") is gone: %s; "
		    "run 'zxmem reset' to clear the namespace", name, koid, why);
	}
	if ((v = calloc(1, sizeof(*v))) == NULL) {
		close(fd);
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	v->vmo.ops = &ns_vmo_ops;
	v->vmo.koid = koid;
	v->ns = t;
	v->fd = fd;
	v->writable = true;
	v->holder = o.holder;
	v->ino = o.ino;
	v->base = o.base;
	*out = v;
	return ZX_OK;
}

zx_status_t
ns_open_vmo(struct tgt *t, const char *name, struct fd_vmo **out,
    zx_rights_t *rights, struct zx_err *err)
{
	struct handle_rec h;
	zx_status_t s;
	int rc;

	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	if (!tgt_valid_name(name) || (rc = read_handle(t, name, &h)) == ENOENT)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, "no handle named '%s'", name);
	if (out_of_fds(rc))
		return zx_fail(err, ZX_ERR_NO_RESOURCES, "cannot read handle '%s': "
		    "%s", name, strerror(rc));
	if (rc != 0)
		return zx_fail(err, ZX_ERR_IO, "cannot read handle '%s': its "
		    "record h/%s is %s; run 'zxmem reset' to clear the namespace",
		    name, name, rc == ELOOP ? "a symbolic link" : rc == EINVAL ||
		    rc == EISDIR ? "not a regular file" : strerror(rc));
	if ((s = open_object(t, name, h.koid, out, err)) != ZX_OK)
		return s;
	*rights = h.rights;
	return ZX_OK;
}

int
ns_revalidate(struct tgt *t, const char *name, struct fd_vmo *v,
    zx_rights_t *rights, struct zx_err *err)
{
	struct handle_rec h;
	int rc;

	if ((rc = read_handle(t, name, &h)) == ENOENT) {
		zx_fail(err, ZX_ERR_BAD_HANDLE, "no handle named '%s' (it was "
		    "closed, replaced or reset)", name);
		return -1;
	}
	if (rc != 0) {
		zx_fail(err, out_of_fds(rc) ? ZX_ERR_NO_RESOURCES : ZX_ERR_IO,
		    "cannot read handle '%s': %s", name, strerror(rc));
		return -1;
	}
	if (h.koid != v->vmo.koid)
		return 1;
	*rights = h.rights;
	return 0;
}

int
ns_adopt_path(struct tgt *t, struct fd_vmo *v)
{
	struct dirent *de;
	struct stat st;
	int fd, found = -1;
	DIR *d;

	if (fstat(v->fd, &st) < 0 || ns_get(t, NULL) != ZX_OK ||
	    (fd = openat(t->nsfd, "o", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return -1;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while (found < 0 && (de = readdir(d)) != NULL) {
		struct object_rec o;
		uint64_t koid;

		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		koid = strtoull(de->d_name, NULL, 10);
		if (read_object(t, koid, &o) == 0 && !o.closed &&
		    o.owner == koid && o.ino == (uint64_t)st.st_ino &&
		    holder_alive(o.holder, o.ino)) {
			v->vmo.ops = &ns_vmo_ops;
			v->vmo.koid = koid;
			v->ns = t;
			v->holder = o.holder;
			v->ino = o.ino;
			found = 0;
		}
	}
	closedir(d);
	return found;
}

zx_status_t
tgt_vmo_create(struct tgt *t, uint64_t size, uint64_t content_size,
    bool resizable, bool discardable, const char *name, char *out,
    size_t outlen, struct zx_err *err)
{
	struct object_rec o = { 0 };
	char buf[80];
	uint64_t koid;
	zx_status_t s;
	pid_t holder;
	int lock, memfd = -1, rc, commit;

	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	if ((lock = ns_lock(t, err)) < 0)
		return err->status;
	if ((s = new_name(t, name, buf, sizeof(buf), err)) != ZX_OK)
		goto out;
	if ((s = memfd_new(buf, size, &memfd, &o.ino, err)) != ZX_OK)
		goto out;
	if ((rc = next_koid(t, &koid)) != 0) {
		s = zx_fail(err, ZX_ERR_IO, "cannot count koids: %s", strerror(rc));
		goto out;
	}
	if ((s = holder_start(memfd, t->nsfd, koid, buf, &holder, &commit,
	    err)) != ZX_OK)
		goto out;
	o.holder = holder;
	o.owner = koid;
	o.kind = ZX_VMO_KIND_ROOT;
	o.content_size = content_size;
	o.resizable = resizable;
	o.discardable = discardable;
	o.cache_policy = ZX_CACHE_POLICY_CACHED;
	if ((s = commit_object(t, koid, &o, buf, ZX_DEFAULT_VMO_RIGHTS |
	    (resizable ? ZX_RIGHT_RESIZE : 0), err)) != ZX_OK) {
		close(commit);
		holder_stop(holder, o.ino);
		goto out;
	}
	holder_commit(commit);
	strlcpy(out, buf, outlen);
out:
	if (memfd >= 0)
		close(memfd);
	ns_unlock(lock);
	return s;
}

static int
cmp_info(const void *a, const void *b)
{
	return strcmp(((const struct tgt_handle_info *)a)->name,
	    ((const struct tgt_handle_info *)b)->name);
}

/* Names in h/ of the namespace open as nsfd, unsorted; caller frees each
 * and the array. */
static int
list_names_at(int nsfd, char ***namesp, size_t *np)
{
	char **names = NULL, **nn;
	struct dirent *de;
	size_t n = 0;
	DIR *d;
	int fd;

	if ((fd = openat(nsfd, "h", O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return errno;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return errno;
	}
	while ((de = readdir(d)) != NULL) {
		if (!tgt_valid_name(de->d_name))
			continue;
		if ((nn = reallocarray(names, n + 1, sizeof(*names))) == NULL ||
		    (nn[n] = strdup(de->d_name)) == NULL) {
			if (nn != NULL)
				names = nn;
			for (size_t i = 0; i < n; i++)
				free(names[i]);
			free(names);
			closedir(d);
			return ENOMEM;
		}
		names = nn;
		n++;
	}
	closedir(d);
	*namesp = names;
	*np = n;
	return 0;
}

static int
list_names(struct tgt *t, char ***namesp, size_t *np)
{
	return list_names_at(t->nsfd, namesp, np);
}

static void
free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* For completion: the handle names, without creating, locking, reaping or
 * rewriting anything. A namespace that does not exist yet has no names;
 * one that ns_open would refuse (a symlink, someone else's, not 0700)
 * lists none either. */
int
tgt_handle_names(struct tgt *t, char ***namesp, size_t *np)
{
	char dir[sizeof(t->nspath)], base[NAME_MAX + 1];
	struct zx_err why;
	struct stat st;
	int pfd, fd, rc;

	*namesp = NULL;
	*np = 0;
	if (t->nsfd >= 0)
		return list_names(t, namesp, np);
	if (ns_split(t->nspath, dir, sizeof(dir), base, sizeof(base),
	    &why) != ZX_OK)
		return EINVAL;
	if ((pfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno;
	fd = openat(pfd, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	rc = errno;
	close(pfd);
	if (fd < 0)
		return rc;
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 077) != 0) {
		close(fd);
		return EACCES;
	}
	rc = list_names_at(fd, namesp, np);
	close(fd);
	return rc;
}

void
tgt_handle_names_free(char **names, size_t n)
{
	free_names(names, n);
}

static void release_object(struct tgt *, uint64_t);

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The koids that handles name, sorted; false if any handle record cannot
 * be read (then nothing may be taken for an orphan). */
static bool
named_koids(struct tgt *t, uint64_t **out, size_t *np)
{
	uint64_t *koids;
	char **names;
	bool ok = true;
	size_t n;

	if (list_names(t, &names, &n) != 0)
		return false;
	if ((koids = calloc(n ? n : 1, sizeof(*koids))) == NULL) {
		free_names(names, n);
		return false;
	}
	for (size_t i = 0; i < n && ok; i++) {
		struct handle_rec h;

		ok = read_handle(t, names[i], &h) == 0;
		koids[i] = h.koid;
	}
	free_names(names, n);
	if (!ok) {
		free(koids);
		return false;
	}
	qsort(koids, n, sizeof(*koids), cmp_u64);
	*out = koids;
	*np = n;
	return true;
}

/* End the objects no handle names: what a command killed between closing
 * a handle and ending its object (handle-close), or between recording an
 * object and linking its handle, left behind. Only when the lock is free
 * at once: a command paused while holding it must not stall a listing. */
static void
collect_orphans(struct tgt *t)
{
	struct dirent *de;
	uint64_t *koids;
	size_t n;
	DIR *d;
	int lock, fd;

	lock = openat(t->nsfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (lock < 0)
		return;
	if (flock(lock, LOCK_EX | LOCK_NB) < 0 || !named_koids(t, &koids, &n)) {
		ns_unlock(lock);
		return;
	}
	fd = openat(t->nsfd, "o", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0 && (d = fdopendir(fd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			uint64_t koid;
			char *end;

			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			errno = 0;
			koid = strtoull(de->d_name, &end, 10);
			if (errno == 0 && *end == '\0' &&
			    bsearch(&koid, koids, n, sizeof(*koids), cmp_u64) == NULL)
				release_object(t, koid);
		}
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	free(koids);
	ns_unlock(lock);
}

zx_status_t
tgt_handle_list(struct tgt *t, struct tgt_handle_info **out, size_t *np,
    struct zx_err *err)
{
	struct tgt_handle_info *info;
	char **names;
	zx_status_t s;
	size_t n;
	int rc;

	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	collect_orphans(t);
	if ((rc = list_names(t, &names, &n)) != 0)
		return zx_fail(err, out_of_fds(rc) ? ZX_ERR_NO_RESOURCES :
		    ZX_ERR_IO, "cannot list %s/h: %s", t->nspath, strerror(rc));
	if ((info = calloc(n ? n : 1, sizeof(*info))) == NULL) {
		free_names(names, n);
		return zx_fail(err, ZX_ERR_NO_MEMORY, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		struct handle_rec h = { 0 };
		struct object_rec o = { 0 };
		struct stat st;
		int fd;

		strlcpy(info[i].name, names[i], sizeof(info[i].name));
		info[i].type = ZX_OBJ_TYPE_VMO;
		info[i].gone = true;
		if (read_handle(t, names[i], &h) != 0)
			continue;
		info[i].koid = h.koid;
		info[i].rights = h.rights;
		if (read_object(t, h.koid, &o) == 0 && !o.closed &&
		    holder_open(o.holder, o.ino, O_RDONLY, &fd) == 0) {
			if (fstat(fd, &st) == 0) {
				info[i].size = o.kind == ZX_VMO_KIND_SLICE ?
				    o.slice_size : (uint64_t)st.st_size;
				info[i].gone = false;
			}
			close(fd);
		}
	}
	free_names(names, n);
	qsort(info, n, sizeof(*info), cmp_info);
	*out = info;
	*np = n;
	return ZX_OK;
}

/* Does a handle name the object koid? (When the handles cannot be listed,
 * say yes: an object is never ended on a doubt.) */
static bool
koid_named(struct tgt *t, uint64_t koid)
{
	char **names;
	bool found = false;
	size_t n;

	if (list_names(t, &names, &n) != 0)
		return true;
	for (size_t i = 0; i < n && !found; i++) {
		struct handle_rec h;

		found = read_handle(t, names[i], &h) == 0 && h.koid == koid;
	}
	free_names(names, n);
	return found;
}

bool
ns_holder_settle(int nsfd, uint64_t koid)
{
	static struct tgt t;
	struct stat st;
	char path[40];
	bool keep;
	int lock;

	t.nsfd = nsfd;
	strlcpy(t.nspath, "the namespace", sizeof(t.nspath));
	/* The lock waits out a creator still at work (it held it throughout). */
	if ((lock = ns_lock(&t, NULL)) < 0)
		return false;
	snprintf(path, sizeof(path), "o/%" PRIu64, koid);
	keep = fstatat(nsfd, path, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    koid_named(&t, koid);
	if (!keep)
		unlinkat(nsfd, path, 0);
	ns_unlock(lock);
	return keep;
}

/* The parent loses a child record: one child fewer (a snapshot fewer),
 * one record fewer naming it (call locked). */
static void
drop_child(struct tgt *t, uint64_t koid, bool snapshot)
{
	struct object_rec o;

	if (koid == 0 || read_object(t, koid, &o) != 0)
		return;
	o.children -= o.children > 0;
	o.snapshots -= snapshot && o.snapshots > 0;
	o.refs -= o.refs > 0;
	write_object(t, koid, &o);
}

/* Remove koid's record once it is closed and nothing names it any more,
 * then, in turn, the records it named that nothing needs now (call
 * locked). A worklist, not recursion: a chain of a thousand slices goes
 * as well as one. A closed object with a child still counts as its
 * parent's child, as a VMO that its children keep alive does in Zircon. */
static void
collect(struct tgt *t, uint64_t koid)
{
	uint64_t *work = NULL, *w;
	size_t n = 0, cap = 0;

	for (;;) {
		struct object_rec o;
		uint64_t named[3];
		char path[40];
		size_t m;

		if (read_object(t, koid, &o) == 0 && o.closed && o.refs == 0) {
			/* The holder first: killed in between, the record still
			 * shows what is left to end, and handle-list's
			 * collection finishes it. */
			if (o.owner == koid)
				holder_stop(o.holder, o.ino);
			snprintf(path, sizeof(path), "o/%" PRIu64, koid);
			unlinkat(t->nsfd, path, 0);
			drop_child(t, o.parent, o.kind == ZX_VMO_KIND_SNAPSHOT);
			m = rec_links(koid, &o, named);
			if (n + m > cap && (w = reallocarray(work, cap + 16,
			    sizeof(*work))) != NULL) {
				work = w;
				cap += 16;
			}
			for (size_t i = 0; i < m && n < cap; i++) {
				if (named[i] != o.parent)
					add_ref(t, named[i], -1);
				work[n++] = named[i];
			}
		}
		if (n == 0)
			break;
		koid = work[--n];
	}
	free(work);
}

/* The object koid lost a handle: when none is left it is closed, and goes
 * once nothing needs it (call locked). */
static void
release_object(struct tgt *t, uint64_t koid)
{
	struct object_rec o;

	if (koid_named(t, koid))
		return;
	if (read_object(t, koid, &o) != 0)
		return;
	if (!o.closed) {
		o.closed = 1;
		if (write_object(t, koid, &o) != 0)
			return;
	}
	collect(t, koid);
}

/* zx_handle_close_many: every valid handle closes; then BAD_HANDLE if a
 * name was not a handle or was given twice. */
zx_status_t
tgt_handle_close(struct tgt *t, char *const *names, size_t n, struct zx_err *err)
{
	struct handle_rec h;
	zx_status_t s = ZX_OK;
	const char *bad = NULL;
	bool twice = false;
	char path[80];
	int lock;

	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	if ((lock = ns_lock(t, err)) < 0)
		return err->status;
	for (size_t i = 0; i < n; i++) {
		if (!tgt_valid_name(names[i]) || read_handle(t, names[i], &h) != 0) {
			if (bad == NULL) {
				bad = names[i];
				for (size_t j = 0; j < i; j++)
					twice = twice || strcmp(names[j], names[i]) == 0;
			}
			continue;
		}
		snprintf(path, sizeof(path), "h/%s", names[i]);
		if (unlinkat(t->nsfd, path, 0) < 0)
			continue;
		release_object(t, h.koid);
	}
	tgt_forget_vmos(t);
	ns_unlock(lock);
	if (bad != NULL)
		return zx_fail(err, ZX_ERR_BAD_HANDLE, twice ? "'%s' was named "
		    "twice; every valid handle was closed" : "no handle named '%s'; "
		    "every valid handle was closed", bad);
	return ZX_OK;
}

/* zx_handle_duplicate (replace false) and zx_handle_replace (true), in
 * Zircon's order: BAD_HANDLE, DUPLICATE (duplicate only), the rights (a
 * replace consumes the handle even then), and only then zxmem's own check
 * that the new name is free, which consumes nothing. */
zx_status_t
tgt_handle_derive(struct tgt *t, const char *name, zx_rights_t want,
    bool replace, const char *newname, char *out, size_t outlen,
    struct zx_err *err)
{
	struct handle_rec h, nh;
	struct object_rec o;
	char buf[80], path[80];
	zx_status_t s;
	int lock, rc;

	if (strchr(name, '/') != NULL)
		return zx_fail(err, ZX_ERR_NOT_SUPPORTED, "'%s' is a path, not a "
		    "handle of the namespace: it cannot be duplicated or replaced",
		    name);
	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	if ((lock = ns_lock(t, err)) < 0)
		return err->status;
	rc = 0;
	if (!tgt_valid_name(name) || (rc = read_handle(t, name, &h)) != 0) {
		s = zx_fail(err, out_of_fds(rc) ? ZX_ERR_NO_RESOURCES :
		    ZX_ERR_BAD_HANDLE, out_of_fds(rc) ? "cannot read handle "
		    "'%s': too many open files" : "no handle named '%s'", name);
		goto out;
	}
	if (out_of_fds(rc = read_object(t, h.koid, &o))) {
		s = zx_fail(err, ZX_ERR_NO_RESOURCES, "cannot read the record of "
		    "the VMO behind handle '%s': %s", name, strerror(rc));
		goto out;
	}
	if (rc != 0 || o.closed || !holder_alive(o.holder, o.ino)) {
		s = zx_fail(err, ZX_ERR_BAD_HANDLE, "the VMO behind handle '%s' is "
		    "gone; run 'zxmem reset'", name);
		goto out;
	}
	if (!replace && !(h.rights & ZX_RIGHT_DUPLICATE)) {
		s = zx_fail(err, ZX_ERR_ACCESS_DENIED, "handle '%s' lacks the "
		    "DUPLICATE right", name);
		goto out;
	}
	snprintf(path, sizeof(path), "h/%s", name);
	nh.koid = h.koid;
	if (zx_rights_derive(h.rights, want, &nh.rights) < 0) {
		char have[256], asked[256];

		zx_rights_format(h.rights, have, sizeof(have));
		zx_rights_format(want & ~h.rights, asked, sizeof(asked));
		s = zx_fail(err, ZX_ERR_INVALID_ARGS, "handle '%s' has %s; a new "
		    "handle may only drop rights, not add %s%s", name, have, asked,
		    replace ? " (the handle is consumed, as zx_handle_replace "
		    "does)" : "");
		if (replace && unlinkat(t->nsfd, path, 0) == 0)
			release_object(t, h.koid);
		tgt_forget_vmos(t);
		goto out;
	}
	if (newname == NULL && replace)
		newname = name;
	if (!(replace && newname != NULL && strcmp(newname, name) == 0)) {
		if ((s = new_name(t, newname, buf, sizeof(buf), err)) != ZX_OK)
			goto out;
		newname = buf;
	}
	if (replace) {
		/* Same name: the record is rewritten in place. */
		unlinkat(t->nsfd, path, 0);
		tgt_forget_vmos(t);
	}
	if ((rc = link_handle(t, newname, &nh)) != 0) {
		s = zx_fail(err, ZX_ERR_IO, "cannot record handle '%s': %s",
		    newname, strerror(rc));
		if (replace)
			release_object(t, h.koid);
		goto out;
	}
	strlcpy(out, newname, outlen);
	s = ZX_OK;
out:
	ns_unlock(lock);
	return s;
}

/* Remove the temporary files of writers that were killed before renaming
 * them into place (call with the lock held, so no writer is running). */
static void
sweep_tmp(struct tgt *t)
{
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = openat(t->nsfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL)
		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) == 0)
			unlinkat(t->nsfd, de->d_name, 0);
	closedir(d);
}

zx_status_t
tgt_reset(struct tgt *t, struct zx_err *err)
{
	struct dirent *de;
	zx_status_t s;
	DIR *d;
	int lock, fd;

	if ((s = ns_get(t, err)) != ZX_OK)
		return s;
	if ((lock = ns_lock(t, err)) < 0)
		return err->status;
	tgt_forget_vmos(t);
	/* Handles first, so nothing new can find an object being ended. */
	for (const char *sub = "h"; sub != NULL; sub = (*sub == 'h') ? "o" : NULL) {
		if ((fd = openat(t->nsfd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC)) < 0 || (d = fdopendir(fd)) == NULL) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			char path[300];

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", sub, de->d_name);
			if (*sub == 'o') {
				struct object_rec o;
				uint64_t koid = strtoull(de->d_name, NULL, 10);

				if (read_object(t, koid, &o) == 0)
					holder_stop(o.holder, o.ino);
			}
			unlinkat(t->nsfd, path, 0);
		}
		closedir(d);
	}
	sweep_tmp(t);
	ns_unlock(lock);
	return ZX_OK;
}
