/*
 * A real ABBA deadlock, forced: each thread takes its first lock, then
 * waits (semaphore) until the other holds its own first lock too, so the
 * second lock can never be had. alarm() bounds the program if the watch
 * misses it.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <unistd.h>

static pthread_mutex_t lock_a = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock_b = PTHREAD_MUTEX_INITIALIZER;
static sem_t holds_a, holds_b;

static void take_both(pthread_mutex_t *first, sem_t *mine,
		      sem_t *theirs, pthread_mutex_t *second)
{
	pthread_mutex_lock(first);
	sem_post(mine);
	sem_wait(theirs);
	pthread_mutex_lock(second);
	pthread_mutex_unlock(second);
	pthread_mutex_unlock(first);
}

static void *worker_a(void *arg)
{
	pthread_setname_np(pthread_self(), "abba-a");
	take_both(&lock_a, &holds_a, &holds_b, &lock_b);
	return arg;
}

static void *worker_b(void *arg)
{
	pthread_setname_np(pthread_self(), "abba-b");
	take_both(&lock_b, &holds_b, &holds_a, &lock_a);
	return arg;
}

int main(void)
{
	pthread_t a, b;

	alarm(8);
	sem_init(&holds_a, 0, 0);
	sem_init(&holds_b, 0, 0);
	pthread_create(&a, NULL, worker_a, NULL);
	pthread_create(&b, NULL, worker_b, NULL);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	puts("done");
	return 0;
}
