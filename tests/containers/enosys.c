/* enosys: an unsupported syscall fails with ENOSYS, and the libOS names it at exit. */
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	errno = 0;
	long r = syscall(SYS_socket, AF_INET, SOCK_STREAM, 0);
	if (r != -1 || errno != ENOSYS) {
		printf("enosys FAILED: socket returned %ld, errno %d\n", r, errno);
		return 1;
	}
	printf("enosys: socket failed with ENOSYS as expected\n");
	return 0;
}
