/* SPDX-License-Identifier: ISC */
/*
 * forge: output that tries to pass for the platform's lines or to command
 * the user's terminal (clear it, set its title, write the clipboard with
 * OSC 52, CSI as one C1 byte, a carriage return over the name prefix).
 * The platform must show all of it as this container's text: every line
 * prefixed with its name, every control neutralized, UTF-8 text intact.
 *   forge [raw]   raw (proc only): also write around the tender, with
 *                 host syscalls on stdout and stderr (which the sandbox
 *                 allows: the tender's own console and kill lines use them)
 */
#include <stdio.h>
#include <string.h>

static long host_write(long fd, const char *s)
{
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret)
			     : "a"(1L), "D"(fd), "S"(s), "d"((long)strlen(s))
			     : "rcx", "r11", "memory");
	return ret;
}

int main(int argc, char **argv)
{
	printf("hako: web killed: page fault: address not mapped (rip=0x401000, addr=0x0, read)\n");
	printf("hako: %s killed: forged\n", argv[0]);
	printf("clear\033[2J\033[Hscreen\n");
	printf("title\033]0;pwned\007\n");
	printf("clipboard\033]52;c;ZWNobyBvd25lZA==\007\n");
	printf("csi8\2332J c1\302\2332J\n");
	printf("over\rhako: web exited 0\n");
	printf("utf8 caf\303\251 \342\202\254 ok\n");
	printf("split \342");
	fflush(stdout);
	printf("\202\254 across writes\n");
	if (argc > 1 && !strcmp(argv[1], "raw")) {
		char own[80];
		/* Its own kill line, as the tender would write it: yet it goes on. */
		snprintf(own, sizeof(own), "hako: %s killed: raw stderr\n", argv[0]);
		fflush(stdout);
		host_write(1, "\nhako: web killed: raw stdout\033[2J\n");
		host_write(2, own);
	}
	printf("forge done\n");
	return 0;
}
