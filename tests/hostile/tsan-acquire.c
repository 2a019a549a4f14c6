/* Hostile: the race hidden by ThreadSanitizer's own acquire and release calls. */
#include "race.h"

void __tsan_acquire(void *addr) __attribute__((weak));
void __tsan_release(void *addr) __attribute__((weak));

static void *worker(void *arg)
{
	for (int i = 0; i < 100000; i++) {
		if (__tsan_acquire)	/* tamper */
			__tsan_acquire(&counter);
		counter++;
		if (__tsan_release)
			__tsan_release(&counter);
	}
	return arg;
}

int main(void)
{
	return race_main(worker);
}
