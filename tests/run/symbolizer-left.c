/*
 * Leaves llvm-symbolizer running when it ends: the child holds the write
 * end of its own input, so it never reads end of file. In a sanitizer's
 * run that process is the checker's helper (the runtime starts it to
 * name frames) and no orphan of the program; in a native run it is the
 * program's.
 */
#include <unistd.h>

int main(void)
{
	int p[2];

	if (pipe(p) < 0)
		return 1;
	if (fork() == 0) {
		dup2(p[0], 0);
		execlp("llvm-symbolizer", "llvm-symbolizer", (char *)NULL);
		_exit(127);
	}
	return 0;
}
