/*
 * Alive, not deadlocked: main waits in a join for a thread that sleeps
 * twice (after Valgrind's helgrind/tests/hg03_inherit.c). Under Helgrind
 * the whole run takes about three seconds; the thread wakes once in the
 * middle, so it never looks like a ticker that wakes to no effect.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int shared;

static void *slow(void *arg)
{
	sleep(1);
	shared = 1;
	sleep(1);
	return arg;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, slow, NULL))
		return 2;
	pthread_join(t, NULL);
	printf("shared = %d\n", shared);
	return 0;
}
