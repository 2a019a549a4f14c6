/*
 * A deadlock whose process ends quietly when racelab stops it: main holds
 * a lock and joins a worker that waits for that lock; a SIGTERM handler
 * calls _exit. Memcheck then lists the worker, never joined, among the
 * leaks at exit: what the kill left behind, not a bug of its own.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg)
{
	pthread_mutex_lock(&lock);	/* main holds it until the join: never */
	pthread_mutex_unlock(&lock);
	return arg;
}

static void on_term(int sig)
{
	(void)sig;
	_exit(1);
}

int main(void)
{
	struct sigaction sa;
	pthread_t t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;
	if (sigaction(SIGTERM, &sa, NULL) || pthread_mutex_lock(&lock) ||
	    pthread_create(&t, NULL, worker, NULL))
		return 2;
	pthread_join(t, NULL);
	return 0;
}
