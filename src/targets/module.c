/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loadable modules (module.h): found next to the binary or in
 * ../libexec/zxmem/ from it, checked (a regular file, in a directory and
 * owned by the binary's owner or root, writable by nobody else), loaded
 * once, and refused if built for another zxmem. */
#include <sys/stat.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "targets/module.h"

struct module {
	const char *file;        /* NULL: a free slot */
	const void *ops;         /* NULL: tried and failed */
	struct zx_err err;       /* why it failed, to say again */
};
static struct module modules[4];

/* Nobody but the binary's owner (or root) may have put or changed path;
 * a directory may be world-writable if it is sticky (/tmp): nobody else
 * can then replace a file there. */
static bool
trusted(const struct stat *st, const struct stat *exe, bool dir)
{
	if (st->st_uid != exe->st_uid && st->st_uid != 0)
		return false;
	if ((st->st_mode & S_IWGRP) && st->st_gid != exe->st_gid &&
	    st->st_gid != 0)
		return false;
	return !(st->st_mode & S_IWOTH) || (dir && (st->st_mode & S_ISVTX));
}

/* Try path: 0 with *ops set, ENOENT if there is no such file, else an
 * errno-like failure with why filled in. */
static int
try_load(const char *dir, const char *file, const char *symbol,
    const struct stat *exe, const void **ops, char *why, size_t len)
{
	char path[PATH_MAX];
	struct stat ds, fs;
	const struct zx_module_head *head;
	void *h;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path))
		return ENOENT;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return ENOENT;
		if (errno == ELOOP)
			snprintf(why, len, "%s: a symbolic link; refused (the "
			    "module itself must be there)", path);
		else
			snprintf(why, len, "%s: %s", path, strerror(errno));
		return EACCES;
	}
	if (fstat(fd, &fs) != 0 || stat(dir, &ds) != 0) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		close(fd);
		return EACCES;
	}
	close(fd);
	if (!S_ISREG(fs.st_mode)) {
		snprintf(why, len, "%s: not a regular file", path);
		return EACCES;
	}
	if (!trusted(&fs, exe, false) || !trusted(&ds, exe, true)) {
		snprintf(why, len, "%s: refused, as it or its directory could "
		    "have been changed by someone other than the owner of zxmem "
		    "or root", path);
		return EACCES;
	}
	if ((h = dlopen(path, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		const char *e = dlerror();

		snprintf(why, len, "%s", e != NULL ? e : path);
		return EACCES;
	}
	head = dlsym(h, symbol);
	if (head == NULL || head->abi == NULL ||
	    strcmp(head->abi, ZXMEM_MODULE_ABI) != 0) {
		snprintf(why, len, "%s: built for another zxmem (%s, this is "
		    "%s)", path, head != NULL && head->abi != NULL ? head->abi :
		    "no table", ZXMEM_MODULE_ABI);
		dlclose(h);
		return EACCES;
	}
	*ops = head;   /* h stays open for the life of the process */
	return 0;
}

static const void *
load(struct module *m, const char *symbol)
{
	char exe[PATH_MAX], dir[PATH_MAX + 32], why[PATH_MAX + 256] = "";
	struct stat est;
	ssize_t n;
	char *slash;
	int rc = ENOENT;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0 ||
	    stat("/proc/self/exe", &est) != 0) {
		zx_fail(&m->err, ZX_ERR_NOT_SUPPORTED, "module %s: cannot find "
		    "the zxmem binary (/proc/self/exe): %s", m->file,
		    strerror(errno));
		return NULL;
	}
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL) {
		zx_fail(&m->err, ZX_ERR_NOT_SUPPORTED, "module %s: the zxmem "
		    "binary has no directory (%s)", m->file, exe);
		return NULL;
	}
	*slash = '\0';
	/* The build tree: next to the binary. */
	rc = try_load(exe, m->file, symbol, &est, &m->ops, why, sizeof(why));
	if (rc == ENOENT) {
		/* An installed tree: PREFIX/bin/zxmem, PREFIX/libexec/zxmem/. */
		snprintf(dir, sizeof(dir), "%s/../libexec/zxmem", exe);
		rc = try_load(dir, m->file, symbol, &est, &m->ops, why,
		    sizeof(why));
	}
	if (rc == 0)
		return m->ops;
	if (rc == ENOENT)
		zx_fail(&m->err, ZX_ERR_NOT_SUPPORTED, "module %s is not "
		    "installed (looked in %s and %s/../libexec/zxmem)", m->file,
		    exe, exe);
	else
		zx_fail(&m->err, ZX_ERR_NOT_SUPPORTED, "module %s cannot be "
		    "used: %s", m->file, why);
	return NULL;
}

const void *
tgt_module(const char *file, const char *symbol, struct zx_err *err)
{
	struct module *m = NULL;

	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++) {
		if (modules[i].file == NULL || strcmp(modules[i].file, file) == 0) {
			m = &modules[i];
			break;
		}
	}
	if (m == NULL) {
		zx_fail(err, ZX_ERR_NOT_SUPPORTED, "module %s: too many modules",
		    file);
		return NULL;
	}
	if (m->file == NULL) {
		m->file = file;
		(void)load(m, symbol);
	}
	if (m->ops == NULL)
		zx_fail(err, m->err.status, "%s", m->err.msg);
	return m->ops;
}

const void *
tgt_module_loaded(const char *file)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		if (modules[i].file != NULL && strcmp(modules[i].file, file) == 0)
			return modules[i].ops;
	return NULL;
}
