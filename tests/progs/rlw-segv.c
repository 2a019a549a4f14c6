/* rlwatch test: a null dereference in a thread: a crash, not a stack overflow. */
#include <pthread.h>
#include <stdio.h>

static void *deref(void *arg)
{
	volatile int *p = arg;

	return (void *)(long)*p;
}

int main(void)
{
	pthread_t t;

	if (pthread_create(&t, NULL, deref, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}
