/*
 * Hostile: TSan's default-options hook defined under another C name and
 * given the hook's symbol with an assembler label. The symbol table of
 * the binary shows it; so does the label's string.
 */
#include "race.h"

const char *quiet(void) __asm__("__tsan_default_options");	/* tamper */
const char *quiet(void)
{
	return "report_bugs=0";
}

int main(void)
{
	return race_main(race_worker);
}
