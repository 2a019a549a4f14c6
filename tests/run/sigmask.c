/*
 * A program starts with no signal blocked, as a shell starts it: racelab
 * blocks SIGCHLD for itself (its scheduler waits for it), and a child
 * that inherited the mask would never see its own children end.
 */
#include <signal.h>
#include <stdio.h>

int main(void)
{
	sigset_t set;

	if (sigprocmask(SIG_SETMASK, NULL, &set))
		return 2;
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(&set, sig) == 1) {
			printf("signal %d is blocked\n", sig);
			return 1;
		}
	puts("nothing blocked");
	return 0;
}
