/*
 * Hostile: races, then deletes every report the checkers wrote about it
 * (../logs/ from its working directory) and leaves with exit_group(0),
 * which skips the sanitizers' exit handlers and their exit status.
 */
#include <glob.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int counter;

static void *bump(void *arg)
{
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	return arg;
}

int main(void)
{
	pthread_t a, b;
	glob_t g;

	if (pthread_create(&a, NULL, bump, NULL)) return 2;
	if (pthread_create(&b, NULL, bump, NULL)) return 3;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %d\n", counter);
	fflush(stdout);
	if (glob("../logs/*", 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			unlink(g.gl_pathv[i]);
	syscall(SYS_exit_group, 0);
}
