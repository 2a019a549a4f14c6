/* A thread's result is malloc'ed and never freed. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static void *make(void *arg)
{
	int *v = malloc(sizeof(*v));	/* leaked */

	*v = 42;
	return v;
}

int main(void)
{
	pthread_t t;
	void *res;

	pthread_create(&t, NULL, make, NULL);
	pthread_join(t, &res);
	printf("result %d\n", *(int *)res);
	return 0;
}
