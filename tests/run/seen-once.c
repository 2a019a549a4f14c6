/*
 * A short run that must be seen alive: it waits 2 s (long against the
 * 50 ms the stand-in gdb of test_cli's
 * a_slot_freed_while_a_hang_is_described_is_filled takes to find it by
 * name), then ends.
 */
#include <stdio.h>
#include <sys/prctl.h>
#include <time.h>

int main(void)
{
	struct timespec wait = { 2, 0 };

	prctl(PR_SET_NAME, "seen-once");
	while (nanosleep(&wait, &wait))
		;
	puts("done");
	return 0;
}
