/*
 * Hostile: floods its standard output with one endless line, no newline
 * ever: racelab's output cap must not wait for a line to end.
 */
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char chunk[1 << 16];

	memset(chunk, 'y', sizeof(chunk));
	for (;;)
		if (write(1, chunk, sizeof(chunk)) < 0)
			return 1;
}
