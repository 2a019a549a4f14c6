/*
 * Alive, not deadlocked: the main thread waits in pause() for an alarm
 * that is already set. An alarm() timer is invisible in /proc, so the
 * watch must treat a wait for a signal as one that may end by itself.
 */
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static volatile sig_atomic_t rang;

static void ring(int sig)
{
	rang = sig;
}

int main(void)
{
	struct sigaction sa = { .sa_handler = ring };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGALRM, &sa, NULL) < 0)
		return 2;
	alarm(2);
	while (!rang)
		pause();
	printf("rang\n");
	return 0;
}
