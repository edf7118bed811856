/* SPDX-License-Identifier: ISC */
/*
 * What the platform and the host's runner tell each other besides the
 * bundle (bundle.h): the lines the host acts on, the exit statuses, and
 * the hv's control channel. The hv prints these lines on its console
 * (COM1) and the runner reads them from QEMU; the proc platform's tender
 * and supervisor print the same ones. Both sides build and match them
 * from these definitions only.
 */
#ifndef HAKO_PROTOCOL_H
#define HAKO_PROTOCOL_H

/*
 * Every line of the platform's starts with HAKO_LINE_PREFIX. No container
 * can write one (name.h: no container is named "hako", and its own lines
 * are shown as "NAME: text"), so the host trusts exactly these lines.
 */
#define HAKO_LINE_PREFIX "hako: "

/*
 * The lines the host acts on, as what follows HAKO_LINE_PREFIX:
 *   N HAKO_LINE_LOADED ...       the hv loaded its bundle: every container runs
 *   NAME HAKO_LINE_EXITED S      NAME ended with exit status S
 *   NAME HAKO_LINE_KILLED WHY    the platform killed NAME (status HAKO_EXIT_KILLED)
 *   NAME HAKO_LINE_FAILED WHY    NAME could not start (status HAKO_EXIT_KILLED)
 *   NAME HAKO_LINE_STOPPED       NAME ended as the host asked (status HAKO_EXIT_STOPPED)
 *   NAME HAKO_LINE_NET dropped ...  at NAME's end: what its network refused (proc: its
 *                                tender's last word, which the supervisor shows as the platform's)
 *   N HAKO_LINE_SUMMARY K exited 0, F failed HAKO_LINE_STATUS S; free pages A/B
 *                                the hv's last line: S is the first failing status, or 0
 * NAME follows the name rule (name.h), so it never holds a space.
 */
#define HAKO_LINE_LOADED  " containers loaded in "
#define HAKO_LINE_EXITED  " exited "
#define HAKO_LINE_KILLED  " killed: "
#define HAKO_LINE_FAILED  " failed to start: "
#define HAKO_LINE_STOPPED " stopped"
#define HAKO_LINE_NET     ": net: "
#define HAKO_LINE_SUMMARY " containers, "
#define HAKO_LINE_STATUS  "; status "

/* A container that ended because the host asked (`hako stop`): 128 + SIGTERM, on both platforms. */
#define HAKO_EXIT_STOPPED 143
/* A container the platform killed or could not start: HAKO_EXIT_KILLED (255, abi.h). */

/*
 * How the hv ends: it writes one of these to QEMU's isa-debug-exit device
 * at HAKO_EXIT_PORT, and QEMU exits with status HAKO_QEMU_STATUS(value).
 */
#define HAKO_EXIT_PORT      0xf4
#define HAKO_HV_OK          0x10 /* every container exited 0 and no page leaked: status 33 */
#define HAKO_HV_FAIL        0x11 /* a container failed, or a page leaked: 35 */
#define HAKO_HV_PANIC       0x12 /* a broken hv invariant: 37 */
#define HAKO_QEMU_STATUS(v) ((v) << 1 | 1)

/*
 * The control channel: COM2 (a 16550 at HAKO_CTL_PORT, IRQ HAKO_CTL_IRQ,
 * which the hv polls), joined by QEMU to a socket of the runner's. The
 * host writes lines of at most HAKO_CTL_LINE_MAX - 1 bytes; the only
 * command is HAKO_CTL_STOP NAME: end container NAME alone. The hv ignores
 * an empty line, so the host starts with one (it clears what a client
 * that went away mid-line may have left).
 */
#define HAKO_CTL_PORT     0x2f8
#define HAKO_CTL_IRQ      3
#define HAKO_CTL_LINE_MAX 64
#define HAKO_CTL_STOP     "stop "

/* A number above as text, for QEMU's options: HAKO_STR(HAKO_CTL_PORT) is "0x2f8". */
#define HAKO_STR_(x) #x
#define HAKO_STR(x)  HAKO_STR_(x)

#endif /* HAKO_PROTOCOL_H */
