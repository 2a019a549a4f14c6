#ifndef RACELAB_SANDBOX_FS_H
#define RACELAB_SANDBOX_FS_H
/*
 * The files a run sees: a root of its own, built by the run's init in the
 * run's mount namespace (sandbox.c) and entered with pivot_root, so that
 * the lab, its solutions, the instructor's files and the rest of the
 * machine are simply not there:
 *
 *   /usr /etc /sys, and /bin /sbin /lib* as on the machine   read-only
 *   /dev: null zero full random urandom tty, and shm         shm: tmpfs
 *   /proc of the run's PID namespace
 *   /tmp (and /var/tmp)                                      tmpfs
 *   the binaries and the preload the run needs               read-only
 *   the run's folder, at the same path                       read-write
 *   its cwd/ (the program's HOME and TMPDIR)                 tmpfs
 *
 * Every tmpfs has a size cap, and its pages count against the run's
 * memory cgroup too. Paths are the machine's, so racelab, which stays
 * outside, and the run name the same files.
 *
 * Ownership: the caller (run.c) owns the struct and its strings; the init
 * reads them in its copy of racelab's memory.
 */
#include <sys/types.h>

#define SANDBOX_FS_ROOT "/run/racelab/root"	/* where the new root is built */
#define SANDBOX_FS_CWD_MAX "256m"
#define SANDBOX_FS_TMP_MAX "64m"

struct sandbox_fs {
	const char *rundir;		/* bound read-write */
	const char *cwd;		/* inside rundir: a tmpfs of its own */
	uid_t uid;			/* who owns cwd */
	gid_t gid;
	const char *ro[8];		/* files bound read-only, NULL-terminated */
};

/*
 * In the run's init, in its own mount namespace: build the root and pivot
 * into it. 0, or -1 with errno and *step set to what failed (see
 * sandbox_fs_step()); nothing of the machine's view is changed then.
 */
int sandbox_fs_enter(const struct sandbox_fs *fs, int *step);
/* What step n of sandbox_fs_enter() does ("bind the run's folder"). */
const char *sandbox_fs_step(int n);

#endif
