/* The parent forks a child that keeps running, and ends without it. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	if (fork() == 0) {
		pause();	/* runs on after the parent is gone: an orphan */
		_exit(0);
	}
	puts("parent done");
	return 0;
}
