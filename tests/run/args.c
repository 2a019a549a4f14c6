/* Prints its arguments: racelab run passes what follows "--". */
#include <stdio.h>

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("arg %d: %s\n", i, argv[i]);
	return argc == 3 ? 0 : 5;
}
