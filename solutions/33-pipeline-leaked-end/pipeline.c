/*
 * A pipeline whose consumer never hears the end.
 *
 * Usage: pipeline LINES
 *
 * The parent sets up "producer | consumer" with one pipe and two children:
 * the producer writes the numbers 1 to LINES, one per line; the consumer
 * reads numbers until end of file, then prints how many it got and their
 * sum. The parent waits for both children.
 *
 * Every process starts with both ends of the pipe (fork copies the
 * descriptors) and closes only the end it uses, when it is done with it.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void fail(const char *what)
{
	fprintf(stderr, "pipeline: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void producer(int fd[2], long lines)
{
	FILE *out = fdopen(fd[1], "w");

	if (close(fd[0]))
		fail("close");
	if (!out)
		fail("fdopen");
	for (long i = 1; i <= lines; i++)
		fprintf(out, "%ld\n", i);
	if (fclose(out))	/* the end of file, for whoever reads */
		fail("write");
}

static void consumer(int fd[2])
{
	FILE *in = fdopen(fd[0], "r");
	long n, count = 0, sum = 0;

	if (close(fd[1]))
		fail("close");
	if (!in)
		fail("fdopen");
	while (fscanf(in, "%ld", &n) == 1) {	/* until end of file */
		count++;
		sum += n;
	}
	if (ferror(in) || fclose(in))
		fail("read");
	printf("consumer: %ld numbers, sum %ld\n", count, sum);
}

static pid_t spawn(void)
{
	pid_t pid = fork();

	if (pid < 0)
		fail("fork");
	return pid;
}

int main(int argc, char **argv)
{
	long lines = 0;
	char *end = NULL;
	int fd[2], status, failed = 0;

	if (argc == 2)
		lines = strtol(argv[1], &end, 10);
	if (lines < 1 || lines > 100000 || *end) {
		fprintf(stderr, "usage: pipeline LINES (a number from 1 to 100000)\n");
		return 2;
	}
	if (pipe(fd))
		fail("pipe");
	fflush(stdout);
	if (spawn() == 0) {
		producer(fd, lines);
		exit(0);
	}
	if (spawn() == 0) {
		consumer(fd);
		exit(0);
	}
	if (close(fd[0]) || close(fd[1]))
		fail("close");

	/* Reap the children in the order they end. */
	for (int i = 0; i < 2; i++) {
		if (wait(&status) < 0)
			fail("wait");
		failed |= !WIFEXITED(status) || WEXITSTATUS(status);
	}
	printf("pipeline: %s\n", failed ? "a stage failed" : "both stages done");
	return failed;
}
