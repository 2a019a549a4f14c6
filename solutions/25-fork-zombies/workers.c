/*
 * Workers that finish and are never waited for.
 *
 * Usage: workers WORKERS N
 *
 * A report generator adds up 1..N. It forks WORKERS processes; each adds
 * up its share of the numbers, writes it to a "results" pipe shared by
 * all of them, and stays until the parent has confirmed receipt. The
 * parent reads the results until end-of-file (every worker has closed its
 * end), adds them up, confirms by closing the "receipt" pipe, on which the
 * workers see end-of-file and exit, and then does its own final step,
 * which takes a while. The total is right, but during the final step every
 * worker lingers in the process table as a zombie.
 *
 * The receipt makes the workers end together, right after the parent has
 * read everything, and the parent then looks until each has ended
 * (waitid with WNOWAIT looks without collecting), so that the final step
 * begins with every worker ended, in every run and under every checker,
 * however long a checker takes to end a process. Both are staging, not
 * the bug. The final step is a 300 ms pause standing for real work
 * (writing and sending the report); it orders nothing.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "workers: %s: %s\n", what, strerror(errno));
	exit(1);
}

static long parse_arg(const char *s, const char *name, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > max) {
		fprintf(stderr, "workers: %s must be a number from 1 to %ld, not '%s'\n",
			name, max, s);
		exit(2);
	}
	return v;
}

/* The child: add up its share, report it, wait for the receipt, end. */
static void work(int out, int receipt, long k, long workers, long n)
{
	long sum = 0;
	char c;

	for (long i = k + 1; i <= n; i += workers)
		sum += i;
	if (dprintf(out, "%ld\n", sum) < 0 || close(out))
		_exit(1);
	if (read(receipt, &c, 1) != 0 || close(receipt))
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	struct timespec final_step = { 0, 300 * 1000 * 1000 };
	long workers, n, part, total = 0;
	pid_t pids[16];
	int results[2], receipt[2];
	FILE *in;

	if (argc != 3) {
		fprintf(stderr, "usage: workers WORKERS N\n");
		return 2;
	}
	workers = parse_arg(argv[1], "WORKERS", 16);
	n = parse_arg(argv[2], "N", 1000000);

	if (pipe(results) || pipe(receipt))
		die("pipe");
	for (long k = 0; k < workers; k++) {
		pid_t pid = pids[k] = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			close(results[0]);
			close(receipt[1]);
			work(results[1], receipt[0], k, workers, n);
		}
	}
	if (close(results[1]) || close(receipt[0]) || !(in = fdopen(results[0], "r")))
		die("close/fdopen");
	while (fscanf(in, "%ld", &part) == 1)
		total += part;
	if (ferror(in) || fclose(in))
		die("reading the workers' results");
	if (close(receipt[1]))		/* every result is in: the workers may end */
		die("close");
	for (long k = 0; k < workers; k++) {	/* staging: until each has ended */
		siginfo_t ended;

		if (waitid(P_PID, (id_t)pids[k], &ended, WEXITED | WNOWAIT))
			die("waitid");
	}

	/* Collect every worker as it ends, and learn whether one failed. */
	for (long k = 0; k < workers; k++) {
		int status;
		pid_t who = waitpid(-1, &status, 0);

		if (who < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			fprintf(stderr, "workers: worker process %ld failed\n", (long)who);
			return 1;
		}
	}
	/* On to the final step. */
	if (nanosleep(&final_step, NULL))
		die("nanosleep");
	printf("%ld workers: sum of 1..%ld = %ld\n", workers, n, total);
	return 0;
}
