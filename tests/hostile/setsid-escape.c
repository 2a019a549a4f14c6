/*
 * Hostile: a daemon in the old way: fork, setsid, fork again, ignore
 * SIGTERM and SIGHUP, close the standard streams; the parent returns at
 * once. The daemon must be named (an orphan) and must not outlive the run.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int ready[2];
	char c;

	if (pipe(ready) < 0)
		return 1;
	if (fork() == 0) {
		setsid();
		if (fork() != 0)
			_exit(0);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		close(ready[0]);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		close(0);
		close(1);
		close(2);
		for (;;)
			pause();
	}
	close(ready[1]);
	/* the daemon is running before the program ends */
	if (read(ready[0], &c, 1) != 1)
		return 1;
	printf("detached\n");
	return 0;
}
