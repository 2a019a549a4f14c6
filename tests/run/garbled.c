/*
 * Prints what a terminal must never get raw (escape sequences, a bell,
 * invalid UTF-8, a NUL, a very long line) and then the wrong total.
 */
#include <stdio.h>

int main(void)
{
	fputs("\033[2J\033[H\033]0;owned\007counter = 2000\n", stdout);
	fwrite("\xff\xfe\0 half\n", 1, 9, stdout);
	for (int i = 0; i < 300; i++)
		fputs("wide ", stdout);
	putchar('\n');
	puts("counter = 1");
	return 0;
}
