/* A pipe opened and never closed: a descriptor leak. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	int fd[2];

	if (pipe(fd) < 0)	/* both ends stay open */
		return 1;
	if (write(fd[1], "x", 1) != 1)
		return 1;
	puts("wrote one byte");
	return 0;
}
