/*
 * Hostile: runs itself again by argv[0] with the sanitizers' options in
 * its environment changed, the variable's name built at run time so that
 * no string of the source names it; only the exec of argv[0] shows.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "race.h"

int main(int argc, char **argv)
{
	static char env[2][64];
	const char *san[] = { "TSAN", "ASAN" };
	char *args[] = { argv[0], "again", NULL };

	if (argc > 1) {
		/* the work takes a while: the watch sees the process (env-guard.h) */
		nanosleep(&(struct timespec){ 0, 300 * 1000 * 1000 }, NULL);
		return race_main(race_worker);
	}
	for (int i = 0; i < 2; i++) {
		snprintf(env[i], sizeof(env[i]), "%s_%s=report_bugs=0:detect_leaks=0", san[i], "OPTIONS");
		putenv(env[i]);
	}
	execv(argv[0], args);	/* tamper */
	perror("execv");
	return 1;
}
