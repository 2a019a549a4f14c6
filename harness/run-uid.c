#include "run-uid.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>

int run_uid_claim(uid_t *uid)
{
	/* Start where the last claim stopped: slots are held for a whole run. */
	static unsigned next;

	if (mkdir_p(RUN_UID_LOCKDIR, 0700) < 0)
		return -1;
	for (unsigned i = 0; i < RUN_UID_SLOTS; i++) {
		unsigned slot = (next + i) % RUN_UID_SLOTS;
		char path[sizeof(RUN_UID_LOCKDIR) + 16];
		int fd;

		snprintf(path, sizeof(path), RUN_UID_LOCKDIR "/%u", slot);
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return -1;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			next = slot + 1;
			*uid = RUN_UID_BASE + slot;
			return fd;
		}
		close(fd);
		if (errno != EWOULDBLOCK)
			return -1;
	}
	errno = EAGAIN;
	return -1;
}

void run_uid_release(int lock)
{
	if (lock >= 0)
		close(lock);
}
