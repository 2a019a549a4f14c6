/*
 * The bug most hostile programs hide: two threads increment one counter
 * and nothing orders them. A program that hides it from the checker
 * either uses race_worker or brings a worker of its own (one it marks
 * with an attribute); race_main() runs two of them and prints the count.
 */
#include <pthread.h>
#include <stdio.h>

static long counter;

static inline void *race_worker(void *arg)
{
	for (int i = 0; i < 100000; i++)
		counter++;
	return arg;
}

static inline int race_main(void *(*worker)(void *))
{
	pthread_t a, b;

	if (pthread_create(&a, NULL, worker, NULL) || pthread_create(&b, NULL, worker, NULL))
		return 1;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("%ld\n", counter);
	return 0;
}
