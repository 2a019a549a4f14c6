/*
 * Hostile: forks without end, every child too, and never exits. Only ever
 * run by racelab inside the tests' cgroup net (test_sandbox.c): the run's
 * pids.max stops it growing, the run's PID namespace ends it at the
 * timeout, whole.
 */
#include <unistd.h>

int main(void)
{
	for (;;)
		fork();
}
