/* hv platform, host side: pack containers into a boot bundle and boot the hypervisor. */
#ifndef HAKO_RUN_HV_H
#define HAKO_RUN_HV_H

/*
 * run_hv() takes the arguments of `hako run` after "--platform hv" was
 * removed (argv[0] is "run"). Returns the exit status for the shell: 0 if
 * every container exited 0, else the first failing container's status.
 */
int run_hv(int argc, char **argv);

#endif /* HAKO_RUN_HV_H */
