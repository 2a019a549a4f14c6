/*
 * Two threads compute for 1.5 s (wall clock) without output or any
 * blocking, then the program exits 0: busy, but no hang.
 */
#include <pthread.h>
#include <stdio.h>
#include <time.h>

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *compute(void *arg)
{
	double end = *(double *)arg;
	volatile unsigned long x = 1;

	while (seconds() < end)
		for (int i = 0; i < 100000; i++)
			x = x * 6364136223846793005UL + 1442695040888963407UL;
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	double end = seconds() + 1.5;

	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, compute, &end);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	puts("done");
	return 0;
}
