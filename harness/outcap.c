#include "outcap.h"
#include "run-command.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* Room in the pipe: a program writes this much before it waits for racelab's next read. */
#define OUTCAP_PIPE_SIZE (1 << 20)

int outcap_open(struct outcap *c, int fd, const char *path)
{
	*c = (struct outcap)OUTCAP_INIT;
	c->file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (c->file < 0 || fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
		int e = errno;

		close(fd);
		if (c->file >= 0)
			close(c->file);
		c->file = -1;
		errno = e;
		return error_errno("cannot keep the output in %s", path);
	}
	/* Larger than the default 64 KiB when allowed: fewer waits for a chatty program. */
	fcntl(fd, F_SETPIPE_SZ, OUTCAP_PIPE_SIZE);
	c->fd = fd;
	return 0;
}

int outcap_drain(struct outcap *c, size_t budget)
{
	char buf[65536];

	while (c->fd >= 0 && budget > 0) {
		ssize_t n = read(c->fd, buf, budget < sizeof(buf) ? budget : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			close(c->fd);
			c->fd = -1;
			break;
		}
		budget -= (size_t)n;
		size_t keep = c->kept < OUTCAP_KEEP ? OUTCAP_KEEP - c->kept : 0;
		if (keep > (size_t)n)
			keep = (size_t)n;
		/* A failed write of the file loses kept bytes, never the count. */
		if (keep && write(c->file, buf, keep) != (ssize_t)keep)
			warning("cannot keep the program's output: %s", strerror(errno));
		c->kept += keep;
		c->dropped += (size_t)n - keep;
	}
	return c->fd < 0;
}

void outcap_finish(struct outcap *c, unsigned timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;

	while (!outcap_drain(c, SIZE_MAX)) {
		struct pollfd p = { c->fd, POLLIN, 0 };
		unsigned next = command_wait_tick();
		uint64_t now = now_ms();

		if (now >= deadline)
			break;
		poll(&p, 1, (int)(deadline - now < next ? deadline - now : next));
	}
}

void outcap_close(struct outcap *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->file >= 0)
		close(c->file);
	c->fd = c->file = -1;
}
