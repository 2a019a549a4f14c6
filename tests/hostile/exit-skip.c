/*
 * Hostile: a leak, and the program leaves without its exit handlers, so
 * that LeakSanitizer's check at exit never runs: by _exit, _Exit,
 * quick_exit or the exit_group system call, as its argument says.
 */
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "leak.h"

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";

	if (leak_main())
		return 1;
	if (!strcmp(how, "_exit"))
		_exit(0);
	if (!strcmp(how, "_Exit"))
		_Exit(0);
	if (!strcmp(how, "quick_exit"))
		quick_exit(0);
	if (!strcmp(how, "exit_group"))
		syscall(SYS_exit_group, 0);
	return 0;
}
