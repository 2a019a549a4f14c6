/*
 * Hostile: floods its standard output until something stops it. racelab
 * keeps the first megabyte and counts the rest (harness/outcap.h): a
 * resource-limit, and neither the disk nor racelab's memory holds the
 * flood; the timeout stops it.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char chunk[1 << 20];

	memset(chunk, 'y', sizeof(chunk) - 1);
	chunk[sizeof(chunk) - 1] = '\n';
	for (;;)
		if (write(1, chunk, sizeof(chunk)) < 0)
			return 1;
}
