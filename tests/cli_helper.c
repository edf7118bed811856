/* SPDX-License-Identifier: ISC */
/*
 * Host side of the CLI tests (tests/cli.sh):
 *   cli_helper hold tcp|udp PORT   bind PORT on 127.0.0.1 (so a start that
 *                                  publishes it must fail), print "holding",
 *                                  wait to be killed; exit 1 if it is taken
 *   cli_helper send PATH           write stdin to the UNIX socket PATH (the
 *                                  hv's control channel), then hold the
 *                                  connection 2 s so QEMU passes it all on
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int hold(const char *proto, const char *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int udp = !strcmp(proto, "udp");
	int fd = socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);

	a.sin_port = htons((uint16_t)atoi(port));
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || (!udp && listen(fd, 1))) {
		perror("cli_helper: hold");
		return 1;
	}
	printf("holding\n");
	fflush(stdout);
	pause();
	return 0;
}

static int send_to(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[4096];
	ssize_t n;
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("cli_helper: send");
		return 1;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	sleep(2);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hold") && (!strcmp(argv[2], "tcp") || !strcmp(argv[2], "udp")))
		return hold(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "send"))
		return send_to(argv[2]);
	fprintf(stderr, "usage: cli_helper hold tcp|udp PORT | send UNIX-SOCKET\n");
	return 2;
}
