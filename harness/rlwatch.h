#ifndef RACELAB_RLWATCH_H
#define RACELAB_RLWATCH_H
/*
 * librlwatch.so: a small preload racelab puts into native runs to see
 * what cannot be seen from /proc: every thread created (for the oracle's
 * thread count), lock waits timed against the threads' priorities
 * (priority inversion), and a SIGSEGV that is a stack overflow.
 *
 * The preload appends one line per event to the file named by
 * RACELAB_WATCH_FILE. rlwatch_parse() turns that file into diagnostics
 * (frames symbolized with addr2line) and counts.
 */
#include "diag.h"
#include "serial.h"
#include <stddef.h>

#define RLWATCH_ENV "RACELAB_WATCH_FILE"
/*
 * A secret of the run's, which the preload takes out of the environment
 * before the program's code runs and puts before every line it writes:
 * a line the program appends itself has none and is not read. The file
 * is the run group's to append to, not to read (run.c).
 */
#define RLWATCH_KEY_ENV "RACELAB_WATCH_KEY"
#define RLWATCH_KEY_LEN 32

struct rlwatch_info {
	int threads_created;	/* pthread_create calls that succeeded, all processes */
	int peak;		/* most workers alive together in one process (conc.c) */
	int workers;		/* workers that ended and reported */
	int loaded;		/* the preload ran (its "hello" line is there) */
	struct serial serial;	/* each worker's longest hold of a lock (serial.h) */
};

/*
 * Fills info (cleared first; release it with rlwatch_info_release()).
 * With key, only lines that start with it (and a blank) are read.
 * Returns the number of diagnostics appended, or -1 on unreadable input.
 */
int rlwatch_parse(const char *text, size_t len, const char *srcdir, const char *key,
		  struct diag_list *out, struct rlwatch_info *info);

void rlwatch_info_release(struct rlwatch_info *info);

#endif
