/* SPDX-License-Identifier: ISC */
/* hako CLI: the state folder, where every running or finished container is recorded. */
#ifndef HAKO_STATE_H
#define HAKO_STATE_H

#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "hako/abi.h"

/*
 * Layout, in $HAKO_STATE, else $XDG_RUNTIME_DIR/hako, else /run/hako for
 * root, else /tmp/hako-UID (created 0700; refused unless ours and private):
 *   .lock            flock(2) held while names are claimed
 *   names/NAME       symlink to the newest instance of container NAME
 *   i/ID/record      one instance (one proc container, or one hypervisor
 *                    with its containers): append-only lines, see state.c
 *   i/ID/log         its output, when it has one (detached, or hv)
 *   i/ID/ctl         hv: the control socket to the hypervisor (COM2)
 */

#define STATE_PATH_MAX 512
#define STATE_PORTS_MAX 256  /* "127.0.0.1:8080->80/tcp,..." */
#define STATE_UNKNOWN  (-1)  /* exit status nobody saw (the supervisor died) */

struct state_ctr {
	char name[HAKO_NAME_MAX];
	char ports[STATE_PORTS_MAX]; /* "-" for none */
	char image[STATE_PATH_MAX];
	int exited;                  /* an exit line was seen */
	int status;                  /* exit status, or STATE_UNKNOWN */
	time_t ended;
};

struct state_inst {
	char id[64];                 /* folder name under i/ */
	char dir[STATE_PATH_MAX];    /* its path */
	char platform[8];            /* "proc" or "hv" */
	time_t started;
	int logged;                  /* output goes to dir/log */
	int name_given;              /* the user named it: a clash stops the start */
	pid_t pid;                   /* the supervisor (a hako process) */
	unsigned long long pid_start; /* its start time in /proc/PID/stat, against PID reuse */
	pid_t child;                 /* proc: the container process; hv: QEMU */
	unsigned long long child_start;
	int ended;                   /* the supervisor wrote its end line */
	unsigned n;
	struct state_ctr *c;         /* n entries */
};

/* The state folder's path, created if needed; NULL after one line on stderr. */
const char *state_dir(void);

/*
 * 1 if a running container is called name. Used to pick default names; a
 * name given by the user is checked (atomically) by state_claim.
 */
int state_name_busy(const char *name);

/*
 * Record a new instance: in->platform, n, c[] (names, ports, images) and
 * logged are filled by the caller; this fills id and dir, makes the
 * folder and points names/NAME at it. Fails (2, one line on stderr) if a
 * container of one of the names is still running.
 */
int state_claim(struct state_inst *in);
/*
 * The same, calling decided(arg) as soon as the names are known to be
 * free (under the lock, before the files are written): a start can go on
 * while its record is made. decided is not called if a name is taken.
 */
int state_claim_then(struct state_inst *in, void (*decided)(void *arg), void *arg);

/* Append to the record: the supervisor's pid (and the child's, if > 0). */
void state_set_pid(struct state_inst *in, pid_t pid, pid_t child);
/* Container name ended with status (STATE_UNKNOWN if not known). */
void state_exit(struct state_inst *in, const char *name, int status);
/* The supervisor is done; containers without an exit line get STATE_UNKNOWN. */
void state_end(struct state_inst *in);
/* Forget an instance that never started (its start failed before any container ran). */
void state_remove(struct state_inst *in);
/* Remove the oldest finished instances beyond a fixed number kept for `ps -a`. */
void state_prune(void);

/*
 * Read instance id into *in (in->c allocated; free with state_free).
 * 0, or -1 if it is not there or unreadable. A damaged record reads as
 * much as makes sense: never fatal.
 */
int state_read(const char *id, struct state_inst *in);
void state_free(struct state_inst *in);
/* The instance that the newest container called name belongs to; 0 or -1. */
int state_find(const char *name, struct state_inst *in, unsigned *index);
/* 1 if the instance's supervisor is alive; a container is running if also not exited. */
int state_alive(const struct state_inst *in);
int state_running(const struct state_inst *in, unsigned i);
/* 1 if pid is alive and started at start (from /proc/PID/stat). */
int state_pid_is(pid_t pid, unsigned long long start);
unsigned long long state_pid_start(pid_t pid);

/* Call fn for every instance (in no order); for `ps`. */
void state_each(void (*fn)(struct state_inst *in, void *arg), void *arg);

#endif /* HAKO_STATE_H */
