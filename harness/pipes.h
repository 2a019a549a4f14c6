#ifndef RACELAB_PIPES_H
#define RACELAB_PIPES_H
/*
 * Why a deadlocked reader never sees the end of its pipe.
 *
 * A read on a pipe or FIFO returns end-of-file only when every write end
 * is closed, in every process. When a run deadlocks with a process blocked
 * reading a pipe, racelab looks (in /proc) at who still holds a write end
 * of that pipe. A holder that can never write is a descriptor it should
 * have closed: the reader itself (it waits for an end of file it prevents),
 * or a process waiting for its children (the reader among them) in wait4
 * or waitid. Other holders may still mean to write: they are left to the
 * deadlock's own description.
 */
#include "strvec.h"
#include <sys/types.h>

/* One line per such descriptor onto out, for the processes pids[0..n); returns how many. */
int pipe_leaks(const pid_t *pids, size_t n, struct strvec *out);

#endif
