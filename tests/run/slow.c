/*
 * Quietly computing for far longer than a run's time (docs/bugs/timeout.md):
 * no thread is blocked and none waits for another, so the watch names no
 * hang, and the run ends in a timeout. alarm(60) bounds it by hand.
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	volatile unsigned long x = 0;

	alarm(60);
	for (;;)
		x = x * 6364136223846793005UL + 1;	/* work that never ends */
	printf("%lu\n", x);
	return 0;
}
