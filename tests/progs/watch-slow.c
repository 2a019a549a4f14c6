/*
 * Busy and switching like a livelock (two threads meet at a barrier at
 * every step), but it prints a line every 200 ms and exits 0 after 2 s:
 * only its output tells the watch it is making progress.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static pthread_barrier_t step;
static atomic_int stop;
static double start;

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Thread 0 reports and decides when to stop; both read it after a barrier. */
static void *worker(void *arg)
{
	int me = *(int *)arg, lines = 0;

	for (;;) {
		if (me == 0) {
			double t = seconds() - start;

			if (t >= 0.2 * (lines + 1)) {
				printf("line %d\n", lines++);
				fflush(stdout);
			}
			if (t >= 2.0)
				atomic_store(&stop, 1);
		}
		pthread_barrier_wait(&step);
		if (atomic_load(&stop))
			break;
		pthread_barrier_wait(&step);
	}
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	int id[2] = { 0, 1 };

	alarm(8);
	start = seconds();
	pthread_barrier_init(&step, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &id[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	return 0;
}
