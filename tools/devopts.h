/* hako CLI: the device options of `hako run` (-v, --net, -p, --ip, --gw). */
#ifndef HAKO_DEVOPTS_H
#define HAKO_DEVOPTS_H

#include "proc/proc.h"

/*
 * Each parser takes one option's value into o. It returns NULL, or a
 * printf format with one %s (the value) saying what is wrong.
 */
const char *devopt_volume(struct proc_opts *o, const char *v); /* FILE[:ro] */
const char *devopt_net(struct proc_opts *o, const char *v);    /* tap:NAME | passt | none */
const char *devopt_port(struct proc_opts *o, const char *v);   /* [IP:]HOST:CTR[/udp|/tcp] */
const char *devopt_ip(struct proc_opts *o, const char *v);     /* A.B.C.D/N */
const char *devopt_gw(struct proc_opts *o, const char *v);     /* A.B.C.D */

/* After all options: check they fit together, fill defaults and the MAC; NULL or a message. */
const char *devopt_finish(struct proc_opts *o);

#endif /* HAKO_DEVOPTS_H */
