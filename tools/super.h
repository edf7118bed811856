/* SPDX-License-Identifier: ISC */
/*
 * hako CLI: the supervisor, the hako process that stays beside a running
 * instance (a proc container's process, or QEMU with the hypervisor): it
 * detaches with -d, tells the waiting `hako run` whether the start worked,
 * and keeps each container's exit status in the instance's record.
 */
#ifndef HAKO_SUPER_H
#define HAKO_SUPER_H

#include <sys/types.h>

#include "proc/proc.h"
#include "state.h"

struct super {
	struct state_inst *in;
	int notify;   /* -d: the pipe to the `hako run` that waits for the start, or -1 */
	int logfd;    /* a copy of the hv's output goes here (foreground hv), or -1 */
	int ready;    /* the containers started */
	pid_t child;  /* the container process (proc) or QEMU (hv) */
};

/*
 * -d: fork. The parent waits until the supervisor reports and returns
 * the exit status for the shell (*parent = 1): 0 after printing the
 * names, else the start's status after its messages. The child (the
 * supervisor) leaves the terminal's session, writes its output to the
 * instance's log and returns 0 with *parent = 0.
 */
int super_detach(struct super *s, int *parent);

/* The child was started: record its pid. */
void super_started(struct super *s, pid_t child);
/* The containers are up: release the waiting parent. */
void super_ready(struct super *s);
/* Container name (len bytes; one of the instance's, else ignored) ended with status. */
void super_exit(struct super *s, const char *name, size_t len, int status);
/*
 * The instance is over with status (the shell's). A start that failed
 * before super_ready is forgotten (and its messages go to the waiting
 * parent); otherwise the record is closed. Returns status.
 */
int super_finish(struct super *s, int status);

/*
 * proc: run the container in a child process, show its output on our
 * stdout and stderr (sanitized, each line "NAME: text": output.h), wait
 * for it, record its exit. Returns its status for the shell (128 +
 * signal if killed by one); the caller then calls super_finish.
 */
int super_run_proc(struct super *s, struct proc_opts *o);

#endif /* HAKO_SUPER_H */
