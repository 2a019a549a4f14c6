/*
 * A child that leaves the run's session with setsid() and outlives its
 * parent: racelab must still see it as the run's orphan, and kill it.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int ready[2];
	char c;
	pid_t pid;

	if (pipe(ready) < 0 || (pid = fork()) < 0) {
		perror("escape");
		return 1;
	}
	if (pid == 0) {
		if (setsid() < 0)
			perror("setsid");
		close(ready[0]);
		close(ready[1]);	/* tell the parent: out of its session now */
		for (;;)
			pause();
	}
	close(ready[1]);
	if (read(ready[0], &c, 1) < 0)
		perror("read");
	printf("child %d left the session\n", (int)pid);
	return 0;
}
