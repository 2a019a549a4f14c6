/*
 * A lost wake-up, the deadlock of the "sync" cases of SCTBench's CS set
 * and of Inspect's condition-variable examples: the waiter sees the flag
 * unset, lets the lock go, takes it again and waits without looking at
 * the flag again. If the signal comes between the two, nobody wakes the
 * waiter. A plain run's signaller, started second, comes after the wait.
 */
#include <pthread.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cv = PTHREAD_COND_INITIALIZER;
static int ready;

static void *waiter(void *arg)
{
	int seen;

	pthread_mutex_lock(&lock);
	seen = ready;
	pthread_mutex_unlock(&lock);
	if (!seen) {
		pthread_mutex_lock(&lock);
		pthread_cond_wait(&ready_cv, &lock);
		pthread_mutex_unlock(&lock);
	}
	return arg;
}

static void *signaller(void *arg)
{
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_signal(&ready_cv);
	pthread_mutex_unlock(&lock);
	return arg;
}

int main(void)
{
	pthread_t w, s;

	pthread_create(&w, NULL, waiter, NULL);
	pthread_create(&s, NULL, signaller, NULL);
	pthread_join(w, NULL);
	pthread_join(s, NULL);
	return 0;
}
