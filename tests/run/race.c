/* Two threads count with no lock: a race in every run. They count one after the other, both alive (a finished thread's TSan slot may go to the next one, which hides the race). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
static int counter;
static atomic_int done;	/* relaxed (orders nothing): only stages the two loops */
static void *bump(void *arg)
{
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	for (atomic_fetch_add_explicit(&done, 1, memory_order_relaxed); atomic_load_explicit(&done, memory_order_relaxed) < 2;);
	return arg;
}
static int after_first(void) { while (!atomic_load_explicit(&done, memory_order_relaxed)); return 0; }
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
