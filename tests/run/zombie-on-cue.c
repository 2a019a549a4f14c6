/*
 * A zombie that lives only while racelab waits on a helper for another
 * run. The program prints a dot every 50 ms (progress: no hang) until
 * SIGUSR1 comes from the stand-in gdb that test_cli's
 * a_run_is_watched_while_another_hang_is_described puts on PATH; then it
 * leaves a child a zombie for 400 ms and ends. That gdb returns only once
 * this program has ended: racelab sees the zombie only if it watches this
 * run while it waits on gdb for the other.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t cued;

static void on_cue(int sig)
{
	(void)sig;
	cued = 1;
}

int main(void)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 }, zombie_time = { 0, 400 * 1000 * 1000 };
	int fd[2];
	char c;

	/* the name the stand-in gdb finds this program by */
	prctl(PR_SET_NAME, "zombie-on-cue");
	signal(SIGUSR1, on_cue);
	for (int i = 0; !cued; i++) {
		if (i == 200) {
			puts("no cue within 10 s");
			return 3;
		}
		putchar('.');
		fflush(stdout);
		nanosleep(&tick, NULL);
	}
	if (pipe(fd) < 0)
		return 1;
	if (fork() == 0) {
		prctl(PR_SET_NAME, "cue-child");
		_exit(0);	/* its end of the pipe closes with it */
	}
	close(fd[1]);
	while (read(fd[0], &c, 1) > 0)
		;
	/* Work on without a wait(): the child stays a zombie. */
	nanosleep(&zombie_time, NULL);
	puts("done");
	return 0;
}
