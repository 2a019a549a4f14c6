/*
 * The parent forks three children that end at once, then goes on with its
 * work without waiting for them: they stay zombies while it runs.
 * It learns each child has ended by reading EOF on a pipe the child held,
 * and then works on long enough for the watch to see the zombies twice.
 */
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

int main(void)
{
	for (int i = 0; i < 3; i++) {
		int fd[2];
		char c;

		if (pipe(fd) < 0)
			return 1;
		if (fork() == 0)
			_exit(0);	/* the child's end of the pipe closes with it */
		close(fd[1]);
		while (read(fd[0], &c, 1) > 0)
			;
		close(fd[0]);
	}
	/* Work on without a wait(): the zombies stay. */
	struct timespec t = { 0, 400 * 1000 * 1000 };
	nanosleep(&t, NULL);
	puts("done");
	return 0;
}
