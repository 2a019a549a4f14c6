/*
 * A real ABBA deadlock, forced: each thread takes its first lock, says so
 * on a semaphore and waits for the other's word, then takes its second.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>

static pthread_mutex_t a = PTHREAD_MUTEX_INITIALIZER, b = PTHREAD_MUTEX_INITIALIZER;
static sem_t has_a, has_b;

static void *one(void *arg)
{
	pthread_mutex_lock(&a);
	sem_post(&has_a);
	sem_wait(&has_b);
	pthread_mutex_lock(&b);
	return arg;
}

static void *two(void *arg)
{
	pthread_mutex_lock(&b);
	sem_post(&has_b);
	sem_wait(&has_a);
	pthread_mutex_lock(&a);
	return arg;
}

int main(void)
{
	pthread_t x, y;

	sem_init(&has_a, 0, 0);
	sem_init(&has_b, 0, 0);
	pthread_create(&x, NULL, one, NULL);
	pthread_create(&y, NULL, two, NULL);
	pthread_join(x, NULL);
	pthread_join(y, NULL);
	puts("never printed");
	return 0;
}
