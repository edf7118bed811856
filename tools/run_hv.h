/* hv platform, host side: pack containers into a boot bundle and boot the hypervisor. */
#ifndef HAKO_RUN_HV_H
#define HAKO_RUN_HV_H

struct run;
struct super;

/*
 * Boot what hv_parse() (hv_run.h) put in r: write the bundle, start QEMU,
 * relay the console until it ends. With s, the supervisor sees QEMU's pid
 * and every console line (and the log gets a copy). Returns the exit
 * status for the shell: 0 if every container exited 0, else the first
 * failing container's status (255: killed or could not start; 124 after
 * --timeout).
 */
int run_hv(struct run *r, struct super *s);

#endif /* HAKO_RUN_HV_H */
