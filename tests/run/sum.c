/*
 * The sum of the numbers given as arguments and on stdin, times
 * $SUM_SCALE (default 1): a program whose answer depends on its input,
 * for lab.ini's [case] sections.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *scale = getenv("SUM_SCALE");
	long sum = 0, v;

	for (int i = 1; i < argc; i++)
		sum += atol(argv[i]);
	while (scanf("%ld", &v) == 1)
		sum += v;
	printf("sum = %ld\n", sum * (scale ? atol(scale) : 1));
	return 0;
}
