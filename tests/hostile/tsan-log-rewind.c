/*
 * Hostile: a racy program that, once ThreadSanitizer has reported its
 * race, finds the report through the descriptor the runtime keeps open
 * (no path into logs/ in its text), rewinds it, writes the first bytes
 * of a clean report over it and cuts the rest; then it leaves through
 * the exit_group system call, before TSan's exit code could say a race
 * was reported. TSan, whose report lives in the program's own process,
 * is fooled; Helgrind and DRD, whose reports the program cannot reach
 * in time, are not.
 */
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log-fd.h"
#include "race.h"

int main(void)
{
	race_main(race_worker);
	fflush(stdout);
	for (int fd = log_fd(3, "/tsan."); fd >= 0; fd = log_fd(fd + 1, "/tsan."))
		if (lseek(fd, 0, SEEK_SET) < 0 || write(fd, "==2==\n", 6) != 6 || ftruncate(fd, 6) < 0)
			return 1;
	syscall(SYS_exit_group, 0);
	return 0;
}
