/*
 * A result written through a mapping nobody else can see.
 *
 * Usage: report N
 *
 * A parent creates the file "result" in the current directory, writes
 * "pending" into it, maps it into memory and forks a child. The child
 * adds up the squares of 1..N and writes the sum into the mapped file,
 * then exits. The parent waits for the child and reads the file back. The
 * child did its work and exited normally, yet the file still says
 * "pending".
 *
 * After fork() the child has the same mappings as the parent. Whether a
 * store into one of them reaches the file, and every other process that
 * maps it, is decided by one flag of mmap().
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define RESULT "result"
#define SIZE 64			/* the file's fixed size: room for any sum */

static _Noreturn void die(const char *what)
{
	fprintf(stderr, "report: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The child: compute, store the result in the mapped file, end. */
static void compute(char *map, long n)
{
	long sum = 0;

	for (long i = 1; i <= n; i++)
		sum += i * i;
	snprintf(map, SIZE, "%ld\n", sum);
	_exit(msync(map, SIZE, MS_SYNC) ? 1 : 0);	/* into the file, for read() */
}

int main(int argc, char **argv)
{
	char buf[SIZE + 1], *map, *end;
	int fd, status;
	long n;
	pid_t pid;

	errno = 0;
	n = argc == 2 ? strtol(argv[1], &end, 10) : 0;
	if (argc != 2 || errno || end == argv[1] || *end || n < 1 || n > 1000000) {
		fprintf(stderr, "usage: report N (a number from 1 to 1000000)\n");
		return 2;
	}
	fd = open(RESULT, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, SIZE) || pwrite(fd, "pending\n", 8, 0) != 8)
		die(RESULT);
	map = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(fd);
		compute(map, n);
	}

	if (waitpid(pid, &status, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "report: the child failed\n");
		return 1;
	}
	memset(buf, 0, sizeof(buf));
	if (pread(fd, buf, SIZE, 0) < 0)
		die("reading " RESULT);
	buf[strcspn(buf, "\n")] = '\0';
	printf("result: %s\n", buf);
	if (munmap(map, SIZE) || close(fd))
		die("cleaning up");
	return 0;
}
