/*
 * How a hostile program finds a checker's report without naming its
 * path: among its own open descriptors, by what /proc says each is.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The first descriptor from `from` on (below 64) open on a file whose path holds part, or -1. */
static inline int log_fd(int from, const char *part)
{
	for (int fd = from; fd < 64; fd++) {
		char path[64], target[256];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n <= 0)
			continue;
		target[n] = '\0';
		if (strstr(target, part))
			return fd;
	}
	return -1;
}
