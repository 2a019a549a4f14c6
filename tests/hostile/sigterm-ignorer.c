/*
 * Hostile: ignores SIGTERM (and SIGINT, SIGHUP) and never ends, nor do
 * the children it leaves behind. The run is stopped at its timeout all
 * the same: the sandbox ends with SIGKILL, which cannot be ignored.
 */
#include <signal.h>
#include <unistd.h>

int main(void)
{
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	for (int i = 0; i < 4; i++)
		if (fork() == 0)
			break;
	for (;;)
		pause();
}
