/*
 * Hostile: a racy program that writes a clean-looking ThreadSanitizer
 * report under its own pid before the checker writes the real one, in
 * the hope that the real one is appended to a report racelab reads as
 * clean, or never created.
 */
#include <stdio.h>
#include <unistd.h>

#include "race.h"

int main(void)
{
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "../logs/tsan.%d", (int)getpid());	/* tamper */
	if ((f = fopen(path, "w"))) {
		fputs("ThreadSanitizer: no issues found\n", f);
		fclose(f);
	}
	return race_main(race_worker);
}
