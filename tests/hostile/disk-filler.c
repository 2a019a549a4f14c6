/*
 * Hostile: fills its working directory, one file after another, until
 * the disk refuses. The run's folder is a tmpfs of its own with a size
 * cap: the machine's disk is never touched.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
	static char chunk[1 << 20];

	memset(chunk, 'x', sizeof(chunk));
	for (int n = 0;; n++) {
		char name[32];
		int fd;

		snprintf(name, sizeof(name), "fill.%d", n);
		if ((fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
			break;
		for (int i = 0; i < 16; i++)
			if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk)) {
				fprintf(stderr, "disk-filler: %s after %d files\n", strerror(errno), n);
				close(fd);
				return 0;
			}
		close(fd);
	}
	fprintf(stderr, "disk-filler: %s\n", strerror(errno));
	return 0;
}
