/*
 * A condition variable signalled after its mutex was released
 * (docs/bugs/cond-misuse.md): legal POSIX, and right here because `ready`
 * is set under the mutex and waited for in a loop, but Helgrind and DRD
 * call the signal dubious. The waiter is waiting before the signal is
 * sent: it tells main so through a semaphore, not by luck.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t c = PTHREAD_COND_INITIALIZER;
static sem_t waiting;
static int ready;

static void *waiter(void *arg)
{
	pthread_mutex_lock(&m);
	sem_post(&waiting);		/* main takes m only once this thread waits */
	while (!ready)
		pthread_cond_wait(&c, &m);
	pthread_mutex_unlock(&m);
	return arg;
}

int main(void)
{
	pthread_t t;

	sem_init(&waiting, 0, 0);
	pthread_create(&t, NULL, waiter, NULL);
	sem_wait(&waiting);
	pthread_mutex_lock(&m);
	ready = 1;
	pthread_mutex_unlock(&m);
	pthread_cond_signal(&c);	/* the mutex is no longer held */
	pthread_join(t, NULL);
	puts("woken");
	return 0;
}
