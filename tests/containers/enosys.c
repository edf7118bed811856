/* SPDX-License-Identifier: ISC */
/* enosys: an unsupported syscall fails with ENOSYS, and the libOS names it at exit. */
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void)
{
	errno = 0;
	long r = syscall(SYS_fork); /* one process per container: there is no fork */
	if (r != -1 || errno != ENOSYS) {
		printf("enosys FAILED: fork returned %ld, errno %d\n", r, errno);
		return 1;
	}
	printf("enosys: fork failed with ENOSYS as expected\n");
	return 0;
}
