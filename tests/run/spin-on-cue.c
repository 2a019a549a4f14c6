/*
 * A run that holds its slot until told to end: it computes (never idle,
 * so it lends nothing) until SIGUSR1 comes from the stand-in gdb of
 * test_cli's a_slot_freed_while_a_hang_is_described_is_filled, then ends.
 * alarm(20) bounds it when no cue comes.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

static volatile sig_atomic_t cued;

static void on_cue(int sig)
{
	(void)sig;
	cued = 1;
}

int main(void)
{
	volatile unsigned long x = 0;

	/* the name the stand-in gdb finds this program by */
	prctl(PR_SET_NAME, "spin-on-cue");
	signal(SIGUSR1, on_cue);
	alarm(20);
	while (!cued)
		x = x * 6364136223846793005UL + 1;
	puts("done");
	return 0;
}
