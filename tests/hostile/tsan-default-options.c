/*
 * Hostile: a racy counter whose program turns ThreadSanitizer's reports
 * off with its default-options hook, named through token pasting so that
 * no line of the source spells it. racelab's own TSAN_OPTIONS win over
 * the hook, and the hook is a tamper at the line that defines it.
 */
#include "race.h"

#define HOOK(san) __##san##_default_options

const char *HOOK(tsan)(void)	/* tamper */
{
	return "report_bugs=0:exitcode=0";
}

int main(void)
{
	return race_main(race_worker);
}
