/*
 * Hostile: leaves a daemon behind (fork, setsid, fork again) that runs on
 * after the program ends, out of its session and without its parent.
 */
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		setsid();
		if (fork() == 0)
			for (;;)
				pause();
		_exit(0);
	}
	return 0;
}
