/*
 * Hostile: a leaking program that writes the line AddressSanitizer
 * writes at every normal exit ("AddressSanitizer exit stats") into its
 * own report, by a name it builds at run time (no path into logs/ in its
 * text), then leaves through the exit_group system call, before
 * LeakSanitizer's check at exit. ASan, whose report the program can
 * write, is fooled; Memcheck, which checks leaks however the process
 * ended, is not.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "leak.h"

int main(void)
{
	const char stats[] = "AddressSanitizer exit stats:\n";
	char path[64], dir[8] = { '.', '.', '/', 'l', 'o', 'g', 's', '\0' };
	int fd;

	leak_main();
	snprintf(path, sizeof(path), "%s/%c%c%c%c.%d", dir, 'a', 's', 'a', 'n', (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd >= 0) {
		if (write(fd, stats, strlen(stats)) < 0)
			return 1;
		close(fd);
	}
	syscall(SYS_exit_group, 0);
	return 0;
}
