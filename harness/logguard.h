#ifndef RACELAB_LOGGUARD_H
#define RACELAB_LOGGUARD_H
/*
 * The checkers' reports, kept out of the program's reach.
 *
 * The checkers write their reports from inside the program's own
 * processes (a sanitizer's runtime, Valgrind's core) into the run's logs/,
 * which the program can therefore reach too: it may delete a report,
 * empty it, move it, or plant one of its own. The guard watches logs/
 * with fanotify from before the first program starts: the kernel opens
 * every file written there for racelab at its first write, so racelab
 * holds each report from then on and reads it even once it is unlinked.
 * When the run has ended, logguard_finish() reads each file through the
 * descriptor racelab holds and names what was done to it:
 *
 *   removed   no name is left for it (unlinked);
 *   moved     its name now names another file, or none;
 *   cut       shorter than racelab saw it, or a sanitizer's report left
 *             empty (a sanitizer creates its log only to write to it),
 *             unless what is there now starts a new report (a checker
 *             that reopens its log after an exec);
 *   planted   a name no checker writes, or a pid the run never had
 *             (0 or 1, or above the last pid of the run's namespace).
 *
 * Ownership: the run owns its guard: logguard_new() before the first
 * program starts, logguard_poll() every tick (the kernel's queue is
 * finite), logguard_finish() once every process of the run is gone,
 * logguard_free().
 */
#include <stddef.h>
#include <sys/types.h>

enum log_tamper {
	LOG_REMOVED = 1 << 0,
	LOG_MOVED = 1 << 1,
	LOG_CUT = 1 << 2,
	LOG_PLANTED = 1 << 3,
};

struct log_file {
	char *name;		/* its name in logs/ when racelab first saw it */
	int fd;			/* held since its first write */
	dev_t dev;
	ino_t ino;
	off_t max_size;		/* the largest size racelab saw it at */
	unsigned tamper;	/* enum log_tamper bits, after logguard_finish */
	char *text;		/* its whole content, after logguard_finish (NUL-terminated) */
	size_t len;
};

struct logguard {
	int fan;		/* the fanotify descriptor */
	char *dir;		/* logs/, absolute */
	struct log_file *v;
	size_t n, alloc;
};

/* Watch dir. NULL when the kernel refuses fanotify (said once): read logs/ as it is then. */
struct logguard *logguard_new(const char *dir);
/* Take the files written since the last call. */
void logguard_poll(struct logguard *g);
/*
 * Read every file held and decide what was done to it. last_pid: the
 * highest pid the run's PID namespace gave out, 0 when unknown (no
 * namespace: pids are then not checked).
 */
void logguard_finish(struct logguard *g, pid_t last_pid);
/* What a tamper bit means, in a sentence's middle ("was removed"). */
const char *log_tamper_text(unsigned bit);
void logguard_free(struct logguard *g);

#endif
