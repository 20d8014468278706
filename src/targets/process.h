/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A live process pinned by its /proc/PID directory: the descriptor names
 * one process for good, so a reused PID is never read or written. */
#ifndef TARGETS_PROCESS_H
#define TARGETS_PROCESS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "core/aspace.h"

enum proc_kind { PROC_LIVE, PROC_BAD };

struct proc_map {
	struct zx_mapping m;
	unsigned dev_major, dev_minor;
	uint64_t inode;
	char *path;              /* "" for anonymous; owned */
};

struct proc {
	struct zx_aspace as;     /* first: the core sees only this */
	enum proc_kind kind;
	struct zx_err bad;       /* PROC_BAD: the lookup error */
	char *text;
	pid_t pid;
	int dirfd;               /* /proc/PID, -1 until pinned */
	int memfd;               /* /proc/PID/mem */
	char state;              /* from stat: R S D Z X ... */
	pid_t ppid;
	bool checked_tgid;       /* the pid is a thread group leader */
	unsigned long flags;     /* PF_* */
	int exit_signal;         /* -1: a thread, not its group's leader */
	char comm[64];
	uint64_t vdso;           /* AT_SYSINFO_EHDR, 0 if unknown */
	struct proc_map *maps;
	size_t nmaps;
	struct zx_mapping *views;  /* maps as core mappings, for listing */
	struct sym_session *syms;  /* elfutils, made on the first symbol */
	unsigned execs;          /* new programs exec'd since memfd opened */
};

#endif
