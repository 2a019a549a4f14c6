/* A thread allocates, uses and forgets: the pointer dies with the thread. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *make(void *arg)
{
	int *v = malloc(sizeof(*v));	/* leaked */

	*v = 42;
	printf("made %d\n", *v);
	return arg;
}

int main(void)
{
	pthread_t t;

	pthread_create(&t, NULL, make, NULL);
	pthread_join(t, NULL);
	return 0;
}
