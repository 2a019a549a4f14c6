/*
 * Hostile: TSan's default-options hook made by an assembler macro, so
 * that neither the C source nor the preprocessor's output spells its
 * name. Only the binary shows it: a strong definition of a hook, which
 * the runtime only ever defines weakly.
 */
#include "race.h"

static long counter;
static const char opts[] = "report_bugs=0";

const char *quiet(void)
{
	return opts;
}

__asm__(".macro hook san\n"
	".globl __\\san\\()_default_options\n"
	".type __\\san\\()_default_options, @function\n"
	"__\\san\\()_default_options: jmp quiet\n"
	".endm\n"
	"hook tsan\n");

int main(void)
{
	return race_main(race_worker);
}
