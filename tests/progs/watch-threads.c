/*
 * Five threads alive at once (main and four workers). Once all are up,
 * main prints "ready" and every thread waits until standard input is
 * closed, so the watch can see them together without any sleep.
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define WORKERS 4

static pthread_barrier_t up, down;

static void *worker(void *arg)
{
	pthread_barrier_wait(&up);
	pthread_barrier_wait(&down);
	return arg;
}

int main(void)
{
	pthread_t t[WORKERS];
	char c;

	alarm(8);
	pthread_barrier_init(&up, NULL, WORKERS + 1);
	pthread_barrier_init(&down, NULL, WORKERS + 1);
	for (int i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, NULL);
	pthread_barrier_wait(&up);
	puts("ready");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	pthread_barrier_wait(&down);
	for (int i = 0; i < WORKERS; i++)
		pthread_join(t[i], NULL);
	return 0;
}
