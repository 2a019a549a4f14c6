/*
 * A livelock kept in lockstep: each thread holds its own lock, tries the
 * other's (which is held, so the try fails), releases and yields, and
 * retries. The barrier between the steps makes every try fail: both locks
 * are held whenever either thread tries. alarm() bounds the program.
 */
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t locks[2] = {
	PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER
};
static pthread_barrier_t step;

static int polite_transfer(int me)
{
	int other = 1 - me;

	for (;;) {
		pthread_mutex_lock(&locks[me]);
		pthread_barrier_wait(&step);	/* both hold their own */
		if (pthread_mutex_trylock(&locks[other]) == 0) {
			pthread_mutex_unlock(&locks[other]);
			pthread_mutex_unlock(&locks[me]);
			return 0;
		}
		pthread_barrier_wait(&step);	/* both have tried */
		pthread_mutex_unlock(&locks[me]);
		sched_yield();
	}
}

static void *worker(void *arg)
{
	polite_transfer(*(int *)arg);
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	int id[2] = { 0, 1 };

	alarm(8);
	pthread_barrier_init(&step, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, &id[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	puts("done");
	return 0;
}
