/* Two threads increment a counter with no lock: a data race. */
#include <pthread.h>
#include <stdio.h>

static int counter;

static void *bump(void *arg)
{
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	return arg;
}

int main(void)
{
	pthread_t a, b;

	if (pthread_create(&a, NULL, bump, NULL)) return 2;
	if (pthread_create(&b, NULL, bump, NULL)) return 3;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %d\n", counter);
	return 0;
}
