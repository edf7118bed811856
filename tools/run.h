/* hako CLI: the commands, one function each (argv[0] is the command's name). */
#ifndef HAKO_RUN_H
#define HAKO_RUN_H

#include "proc/proc.h"

int cmd_run(int argc, char **argv);   /* run.c */
int cmd_up(int argc, char **argv);    /* up.c */
int cmd_down(int argc, char **argv);
int cmd_ps(int argc, char **argv);    /* ps.c */
int cmd_logs(int argc, char **argv);
int cmd_stop(int argc, char **argv);  /* stop.c */

/* `hako run --platform hv` with these arguments (argv[0] "run"); -d if detach. */
int run_hv_args(int argc, char **argv, int detach);
/* 0 if every published port can be bound on the host, else 2 after one line. */
int run_ports_free(const struct proc_port *p, int n);

#endif /* HAKO_RUN_H */
