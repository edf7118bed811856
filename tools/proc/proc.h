/* proc platform: one container run as a seccomp-sandboxed Linux process. */
#ifndef HAKO_PROC_H
#define HAKO_PROC_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct proc_opts {
	const char *name;   /* container name, for its messages */
	const char *image;  /* path of the container ELF */
	uint64_t mem;       /* bytes of heap + stack the container may use */
	int argc;           /* argv[0] is the container name */
	char **argv;
	int envc;
	char **envp;        /* "KEY=VALUE" */
};

/*
 * proc_run() loads the image into this process, seals the process with the
 * seccomp filter and jumps to the container. It returns only on failure
 * before the jump, after printing one line on stderr, with exit status 2.
 * From the jump on, the container owns the process: its exit status is the
 * process's; a fault or forbidden syscall ends it with HAKO_EXIT_KILLED.
 */
int proc_run(const struct proc_opts *o);

/* calls.c: the container-facing side, freestanding (see the file's comment). */
long proc_call(long nr, long a0, long a1, long a2, long a3);
void proc_fault_init(const char *name);
void proc_fault(int sig, siginfo_t *info, void *uctx);
_Noreturn void proc_enter(uint64_t entry, uint64_t sp, uint64_t info);

#endif /* HAKO_PROC_H */
