/* SPDX-License-Identifier: ISC */
/* hako CLI: checks and messages shared by every platform's option parser. */
#ifndef HAKO_CLI_H
#define HAKO_CLI_H

#include <stddef.h>
#include <stdint.h>

#define CLI_MEM_MIN (2ull << 20)  /* bytes a container may be given */
#define CLI_MEM_MAX (16ull << 30)

#define CLI_QUOTE_MAX 1024/* a quoted value longer than this is cut, ending "..." */

/*
 * A hostile value (a name, a path, a field of a compose file) as an
 * error message may quote it, in buf (size > 12 bytes): printable text
 * and valid UTF-8 as they are; backslash, newline, tab and CR as \\,
 * \n, \t, \r; every other control byte, C1 control and ill-formed
 * byte as \xNN. Cut with "..." if it does not fit. Returns buf.
 */
const char *cli_quote(char *buf, size_t size, const char *s);

/* Prints "hako: " fmt (with arg, quoted, for its one %s) and a newline on stderr; returns 2. */
int cli_fail(const char *fmt, const char *arg);

/*
 * execve (envp given) or execvp (envp NULL: PATH searched, our
 * environment) with arguments that are const: exec never writes them, its
 * prototype's char *const only predates const. Returns only on failure.
 */
int cli_exec(const char *file, const char *const *argv, const char *const *envp);

/* "64", "64M", "1G", "512k": bytes in [CLI_MEM_MIN, CLI_MEM_MAX], or 0 if malformed. */
uint64_t cli_parse_size(const char *s);

/*
 * Can a published port be bound on the host? NULL if so, else why not
 * ("the port is already in use", ...). Checked before a start so the
 * answer is one clear line, not passt's or QEMU's; a program that takes
 * the port in the meantime still makes the start fail, less clearly.
 */
const char *cli_port_busy(const char *addr, unsigned port, int udp);

#endif /* HAKO_CLI_H */
