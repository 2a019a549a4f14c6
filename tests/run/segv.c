/* A plain null-pointer write: the program dies by SIGSEGV. */
#include <stdio.h>

int main(int argc, char **argv)
{
	volatile int *p = argc > 5 ? (int *)argv : NULL;

	*p = 1;
	puts("not reached");
	return 0;
}
