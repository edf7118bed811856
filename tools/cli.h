/* hako CLI: checks and messages shared by every platform's option parser. */
#ifndef HAKO_CLI_H
#define HAKO_CLI_H

#include <stdint.h>

#define CLI_MEM_MIN (2ull << 20)  /* bytes a container may be given */
#define CLI_MEM_MAX (16ull << 30)

/* Prints "hako: " fmt (with arg for its one %s) and a newline on stderr; returns 2. */
int cli_fail(const char *fmt, const char *arg);

/*
 * 1 if s is a container name: 1-31 of [A-Za-z0-9._-], and not "hako"
 * (lines starting "hako: " are the platform's own).
 */
int cli_valid_name(const char *s);

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
