/* SPDX-License-Identifier: ISC */
/*
 * motd: an example container. Prints its arguments and the message of the
 * day from its disk (/motd.txt, put there by `hako mkfs files/ ...`),
 * then serves it on TCP port 7 until stopped: `nc 127.0.0.1 7070`.
 */
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char motd[4096];

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(7) };
	FILE *f = fopen("/motd.txt", "r");
	size_t n = f ? fread(motd, 1, sizeof(motd) - 1, f) : 0;
	int fd;

	for (int i = 1; i < argc; i++)
		printf("motd: argument %d: %s\n", i, argv[i]);
	if (!f) {
		printf("motd: no /motd.txt (run me with -v motd.img:ro)\n");
		return 1;
	}
	fclose(f);
	printf("motd: %s", motd);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) || listen(fd, 8)) {
		perror("motd: no network (publish a port with -p 7070:7)");
		return 0;
	}
	printf("motd: serving it on port 7\n");
	fflush(stdout);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c < 0)
			continue;
		if (write(c, motd, n) < 0)
			perror("motd: write");
		close(c);
	}
}
