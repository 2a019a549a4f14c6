/* Two threads count with no lock: a race in every run. The second counts after the first: loops in lockstep can lose all of one thread's updates and leave TSan nothing to see. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
static int counter;
static atomic_int first_done;	/* relaxed (orders nothing): only keeps the two loops apart */
static void *bump(void *arg)
{
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	atomic_store_explicit(&first_done, 1, memory_order_relaxed);
	return arg;
}
static int after_first(void) { while (!atomic_load_explicit(&first_done, memory_order_relaxed)); return 0; }
int main(void)
{
	pthread_t a, b;
	if (pthread_create(&a, NULL, bump, NULL)) return 2;
	if (after_first() || pthread_create(&b, NULL, bump, NULL)) return 3;
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("counter = %d\n", counter);
	return 0;
}
