/* Two threads count with no lock: a race in every run. The tests pin the
 * lines of the race (10) and of the two creations (18, 19). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
static int counter;
static void wait_for_both(void);
static void *bump(void *arg) {
	for (int i = 0; i < 1000; i++)
		counter++;	/* the race */
	wait_for_both();
	return arg;
}
static int after_first(void);
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

/*
 * The threads count one after the other, and both stay alive until both
 * have counted: TSan may give a finished thread's slot to the next thread,
 * which hides the race. They wait at a barrier, not in a spin, so that a
 * thread blocked while its report is written (the symbolizer is slow on a
 * busy machine) does not leave the other burning the CPU. The barrier
 * comes after each count, so it orders neither count before the other;
 * the relaxed atomic orders nothing (main waits on it before it starts
 * the second thread, which must not learn of the first one's count).
 */
static atomic_int done;
static pthread_barrier_t both;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_both(void)
{
	pthread_barrier_init(&both, NULL, 2);
}

static void wait_for_both(void)
{
	atomic_store_explicit(&done, 1, memory_order_relaxed);
	/* made by the first to count, after its count: it orders no count either */
	pthread_once(&once, init_both);
	pthread_barrier_wait(&both);
}

static int after_first(void)
{
	while (!atomic_load_explicit(&done, memory_order_relaxed))
		;
	return 0;
}
