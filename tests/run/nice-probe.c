/*
 * Looks at its own priority against racelab's: exits 0 when it runs 10
 * nice levels below the run's init (racelab's own clone, at racelab's
 * priority) and cannot take them back, 1 otherwise (and says why).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Field 19 of /proc/1/stat: the nice value of pid 1. */
static int init_nice(int *nice_value)
{
	char buf[1024], *p;
	FILE *f = fopen("/proc/1/stat", "r");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* after ")": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
	   utime stime cutime cstime priority nice */
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d",
			 nice_value) != 1)
		return -1;
	return 0;
}

int main(void)
{
	int mine, racelab;

	errno = 0;
	mine = nice(0);
	if (init_nice(&racelab) < 0) {
		printf("cannot read the nice value of pid 1\n");
		return 1;
	}
	if (mine - racelab != 10) {
		printf("runs at nice %d, racelab at %d: not 10 apart\n", mine, racelab);
		return 1;
	}
	errno = 0;
	if (nice(-1) != -1 || errno != EPERM) {
		printf("could raise its priority: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
