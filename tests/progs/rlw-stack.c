/*
 * rlwatch test: unbounded recursion overflows the stack, in a thread
 * ("thread", the default) or in main ("main").
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int recurse(int depth)
{
	volatile char pad[512];

	pad[0] = (char)depth;
	return recurse(depth + 1) + pad[0];
}

static void *overflow(void *arg)
{
	(void)arg;
	printf("%d\n", recurse(0));
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_t t;

	if (argc > 1 && !strcmp(argv[1], "main"))
		return overflow(NULL) != NULL;
	if (pthread_create(&t, NULL, overflow, NULL))
		return 1;
	pthread_join(t, NULL);
	return 0;
}
