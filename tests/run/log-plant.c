/*
 * Hostile: a correct program that plants a ThreadSanitizer report of its
 * own among the checkers' (../logs/ from its working directory), for a
 * process it never had, blaming a file that does not exist.
 */
#include <stdio.h>

int main(void)
{
	FILE *f = fopen("../logs/tsan.424242", "w");

	if (!f)
		return 1;
	fputs("==================\n"
	      "WARNING: ThreadSanitizer: data race (pid=424242)\n"
	      "  Write of size 4 at 0x000000000001 by thread T1:\n"
	      "    #0 FRAME|0|forged|/tmp/forged.c|1|1|forged|\n"
	      "\n"
	      "SUMMARY: ThreadSanitizer: data race /tmp/forged.c:1 in forged\n"
	      "==================\n", f);
	fclose(f);
	puts("done");
	return 0;
}
