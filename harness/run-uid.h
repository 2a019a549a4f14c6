#ifndef RACELAB_RUN_UID_H
#define RACELAB_RUN_UID_H
/*
 * A user id of its own for each run that is running, among every racelab
 * on the machine: runs never share a per-user count (RLIMIT_NPROC), files
 * or the right to signal and trace each other's processes.
 *
 * The ids are RUN_UID_BASE .. RUN_UID_BASE + RUN_UID_SLOTS - 1, with no
 * entry in /etc/passwd (a run needs none). A slot is claimed by a lock
 * (flock) on RUN_UID_LOCKDIR/N, which the caller holds for the run and
 * the kernel releases when racelab dies, so a crashed racelab never keeps
 * a slot. Root only: only root can take another user id.
 */
#include <sys/types.h>

#define RUN_UID_BASE 1610612736u	/* 0x60000000: far above any system or subordinate range */
#define RUN_UID_SLOTS 1024
#define RUN_UID_LOCKDIR "/run/racelab/uids"

/* Claim a free id into *uid; returns the lock descriptor to hold, or -1. */
int run_uid_claim(uid_t *uid);
/* Give it back (closes the lock). */
void run_uid_release(int lock);

#endif
