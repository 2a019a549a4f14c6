/*
 * Hostile: runs itself again through /proc/self/exe with ThreadSanitizer's
 * reports turned off in its environment, and races only in the second run.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "race.h"

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "again")) {
		char *args[] = { argv[0], "again", NULL };

		setenv("TSAN_OPTIONS", "report_bugs=0", 1);	/* tamper: env */
		execv("/proc/self/exe", args);	/* tamper: exec */
		perror("execv");
		return 1;
	}
	/* the work takes a while: the watch sees the process (env-guard.h) */
	nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
	return race_main(race_worker);
}
