/*
 * Hostile: a child names itself with a terminal escape and a byte that is
 * not UTF-8, then ends unwaited (a zombie, whose name racelab reports).
 * The name must reach neither the terminal raw nor cost the JSON report
 * its diagnostic.
 */
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(void)
{
	pid_t pid = fork();

	if (pid < 0)
		return 2;
	if (pid == 0) {
		prctl(PR_SET_NAME, "x\xff\033[2J", 0, 0, 0);
		_exit(0);
	}
	sleep(1);	/* long enough to be seen a zombie, never waited for */
	printf("done\n");
	return 0;
}
