/*
 * Hostile: races, then deletes every report the checkers wrote about it
 * (../logs/ from its working directory) and leaves with exit_group(0),
 * which skips the sanitizers' exit handlers and their exit status. The
 * second thread counts after the first, as in race.c: the race is seen in
 * every run.
 */
#include <glob.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static int counter;
static atomic_int first_done;	/* relaxed (orders nothing): only keeps the two loops apart */

static void *bump(void *arg)
{
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	atomic_store_explicit(&first_done, 1, memory_order_relaxed);
	return arg;
}

int main(void)
{
	pthread_t a, b;
	glob_t g;

	if (pthread_create(&a, NULL, bump, NULL))
		return 2;
	while (!atomic_load_explicit(&first_done, memory_order_relaxed))
		;
	if (pthread_create(&b, NULL, bump, NULL))
		return 3;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %d\n", counter);
	fflush(stdout);
	if (glob("../logs/*", 0, NULL, &g) == 0)
		for (size_t i = 0; i < g.gl_pathc; i++)
			unlink(g.gl_pathv[i]);
	syscall(SYS_exit_group, 0);
}
