/*
 * Right only by timing: main sleeps 200 ms so that the worker has set
 * `ready` by the time main looks. Every access holds the lock, so no
 * checker reports anything, and with the machine's usual timing the
 * assertion always holds; under schedule noise the sleep is shrunk or
 * the worker starts late, and the assertion fails.
 */
#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int ready;

static void *worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	pthread_t t;
	int seen;

	if (pthread_create(&t, NULL, worker, NULL))
		return 2;
	usleep(200000);		/* "long enough" for the worker */
	pthread_mutex_lock(&lock);
	seen = ready;
	pthread_mutex_unlock(&lock);
	assert(seen);
	pthread_join(t, NULL);
	puts("ready");
	return 0;
}
