/* Hostile: undefined behaviour (signed overflow) made silent by UBSan's default-options hook. */
#include <limits.h>
#include <stdio.h>

const char *__ubsan_default_options(void)	/* tamper */
{
	return "halt_on_error=0:print_stacktrace=0:log_path=/dev/null";
}

int main(int argc, char **argv)
{
	int big = INT_MAX - 1 + argc;

	(void)argv;
	printf("%d\n", big + 1);
	return 0;
}
