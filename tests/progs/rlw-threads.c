/* rlwatch test: seven short threads, one after another; the watch must count 7. */
#include <pthread.h>
#include <stdio.h>

static void *work(void *arg)
{
	return arg;
}

int main(void)
{
	for (int i = 0; i < 7; i++) {
		pthread_t t;
		if (pthread_create(&t, NULL, work, NULL) || pthread_join(t, NULL)) {
			fprintf(stderr, "rlw-threads: thread %d failed\n", i);
			return 1;
		}
	}
	puts("7 threads done");
	return 0;
}
