/*
 * One long sleep, then a normal exit: from outside it is blocked with no
 * CPU, like a deadlock, but the thread waits in nanosleep, which ends by
 * itself.
 */
#include <stdio.h>
#include <time.h>

int main(void)
{
	struct timespec ts = { 1, 500000000 };

	while (nanosleep(&ts, &ts))
		;
	puts("done");
	return 0;
}
