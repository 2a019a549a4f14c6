/*
 * A reader that waits for the end of a pipe it holds open itself.
 *
 * Usage: lines N
 *
 * The parent creates a pipe and forks a child that writes N numbered
 * lines into it and exits. The parent reads and counts the lines until
 * end-of-file, waits for the child and prints the count. Every line
 * arrives, the child ends, and yet the parent never prints anything: it
 * sits in read() forever.
 *
 * A pipe's reader sees end-of-file only when every write end of the pipe
 * is closed, in every process that has one. After fork() both processes
 * hold both ends.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "lines: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The child: write n lines to out, end. */
static void produce(int out, long n)
{
	for (long i = 1; i <= n; i++)
		if (dprintf(out, "line %ld\n", i) < 0)
			_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	long n, count = 0;
	char *end, line[64];
	int fd[2], status;
	pid_t pid;
	FILE *in;

	errno = 0;
	n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || n < 1 || n > 1000000) {
		fprintf(stderr, "usage: lines N (a number from 1 to 1000000)\n");
		return 2;
	}
	if (pipe(fd))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		produce(fd[1], n);

	if (!(in = fdopen(fd[0], "r")))	/* <-- look here */
		die("fdopen");
	while (fgets(line, sizeof(line), in))
		if (strchr(line, '\n'))
			count++;
	if (ferror(in) || fclose(in))
		die("reading the pipe");
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "lines: the child failed\n");
		return 1;
	}
	printf("read %ld lines\n", count);
	return 0;
}
