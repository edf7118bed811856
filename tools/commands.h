/* SPDX-License-Identifier: ISC */
/* hako CLI: the commands hako.c dispatches to, one function each (argv[0] is the command's name). */
#ifndef HAKO_COMMANDS_H
#define HAKO_COMMANDS_H

int cmd_run(int argc, char **argv); /* run.c */
int cmd_up(int argc, char **argv);  /* up.c */
int cmd_down(int argc, char **argv);
int cmd_ps(int argc, char **argv); /* ps.c */
int cmd_logs(int argc, char **argv);
int cmd_stop(int argc, char **argv); /* stop.c */

#endif /* HAKO_COMMANDS_H */
