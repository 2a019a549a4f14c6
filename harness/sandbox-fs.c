/*
 * The run's own root (sandbox-fs.h). Runs in the run's init, a raw clone
 * of racelab: paths are built in fixed buffers, and a failure before
 * pivot_root leaves the machine's view as it was (the new root is
 * detached).
 */
#include "sandbox-fs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define R SANDBOX_FS_ROOT

/* What is bound read-only from the machine, when there (a symlink is copied as one). */
static const char *const system_dirs[] = {
	"/usr", "/etc", "/sys", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", NULL,
};
static const char *const devices[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

static int in_root(char *buf, const char *path)
{
	if (snprintf(buf, PATH_MAX, R "%s", path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/* mkdir -p of path inside buf (already prefixed), each part 0755. */
static int mkdirs(char *buf)
{
	for (char *p = buf + strlen(R) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

/* The mount at `where` and every one below it: read-only, no set-uid, no devices unless dev. */
static int lock_down(const char *where, int rdonly, int dev)
{
	struct {
		unsigned long long set, clr, propagation, userns_fd;
	} attr = { (rdonly ? 0x1 : 0) | 0x2 | (dev ? 0 : 0x4), 0, 0, 0 };	/* MOUNT_ATTR_RDONLY|NOSUID|NODEV */

	return (int)syscall(SYS_mount_setattr, AT_FDCWD, where, 0x8000 /* AT_RECURSIVE */, &attr,
			    sizeof(attr));
}

/* Bind path (a directory or a file) from the machine at the same place in the new root. */
static int bind(const char *path, int rdonly, int dev)
{
	char dst[PATH_MAX];
	struct stat st;

	if (in_root(dst, path) < 0 || stat(path, &st) < 0)
		return -1;
	if (S_ISDIR(st.st_mode)) {
		if (mkdirs(dst) < 0)
			return -1;
	} else {
		char *slash = strrchr(dst, '/');
		int fd;

		*slash = '\0';
		if (mkdirs(dst) < 0)
			return -1;
		*slash = '/';
		if ((fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) < 0)
			return -1;
		close(fd);
	}
	if (mount(path, dst, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -1;
	return lock_down(dst, rdonly, dev);
}

static int tmpfs(const char *path, const char *opts)
{
	char dst[PATH_MAX];

	if (in_root(dst, path) < 0 || mkdirs(dst) < 0)
		return -1;
	return mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NODEV, opts);
}

static int link_to(const char *target, const char *path)
{
	char dst[PATH_MAX];

	if (in_root(dst, path) < 0)
		return -1;
	return symlink(target, dst) < 0 && errno != EEXIST ? -1 : 0;
}

static const char *const steps[] = {
	"mount a tmpfs as its root", "bind the system's directories", "make /dev",
	"mount /dev/shm and /tmp", "mount /proc", "bind the run's files", "bind the run's folder",
	"mount the run's cwd", "make the root read-only", "pivot into the new root",
};

const char *sandbox_fs_step(int n)
{
	return n >= 0 && n < (int)(sizeof(steps) / sizeof(*steps)) ? steps[n] : "build its root";
}

static int build(const struct sandbox_fs *fs, int *step)
{
	char opts[128], target[PATH_MAX];

	*step = 0;
	if (mount("tmpfs", R, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755") < 0)
		return -1;
	*step = 1;
	for (const char *const *d = system_dirs; *d; d++) {
		struct stat st;
		ssize_t n;

		if (lstat(*d, &st) < 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			if ((n = readlink(*d, target, sizeof(target) - 1)) < 0)
				return -1;
			target[n] = '\0';
			if (link_to(target, *d) < 0)
				return -1;
		} else if (bind(*d, 1, 0) < 0) {
			return -1;
		}
	}
	*step = 2;
	if (tmpfs("/dev", "size=64k,mode=755") < 0)
		return -1;
	for (const char *const *d = devices; *d; d++) {
		char dev[32];

		snprintf(dev, sizeof(dev), "/dev/%s", *d);
		if (access(dev, F_OK) == 0 && bind(dev, 0, 1) < 0)
			return -1;
	}
	if (link_to("/proc/self/fd", "/dev/fd") < 0 || link_to("/proc/self/fd/0", "/dev/stdin") < 0 ||
	    link_to("/proc/self/fd/1", "/dev/stdout") < 0 || link_to("/proc/self/fd/2", "/dev/stderr") < 0)
		return -1;
	*step = 3;
	if (tmpfs("/dev/shm", "size=" SANDBOX_FS_TMP_MAX ",mode=1777") < 0 ||
	    tmpfs("/tmp", "size=" SANDBOX_FS_TMP_MAX ",mode=1777") < 0)
		return -1;
	if (mkdir(R "/var", 0755) < 0 || link_to("/tmp", "/var/tmp") < 0)
		return -1;
	*step = 4;
	if (mkdir(R "/proc", 0555) < 0 ||
	    mount("proc", R "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return -1;
	*step = 5;
	for (size_t i = 0; i < sizeof(fs->ro) / sizeof(*fs->ro) && fs->ro[i]; i++)
		if (bind(fs->ro[i], 1, 0) < 0)
			return -1;
	*step = 6;
	if (bind(fs->rundir, 0, 0) < 0)
		return -1;
	snprintf(opts, sizeof(opts), "size=" SANDBOX_FS_CWD_MAX ",mode=755,uid=%u,gid=%u",
		 (unsigned)fs->uid, (unsigned)fs->gid);
	*step = 7;
	if (tmpfs(fs->cwd, opts) < 0)
		return -1;
	*step = 8;
	return mount(NULL, R, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, "size=1m,mode=755");
}

int sandbox_fs_enter(const struct sandbox_fs *fs, int *step)
{
	if (build(fs, step) < 0) {
		int e = errno;

		umount2(R, MNT_DETACH);
		errno = e;
		return -1;
	}
	*step = 9;
	if (chdir(R) < 0 || syscall(SYS_pivot_root, ".", ".") < 0) {
		int e = errno;

		if (chdir("/") < 0) {
			/* the old root is still the root: "/" cannot be missing */
		}
		umount2(R, MNT_DETACH);
		errno = e;
		return -1;
	}
	/* The machine's root, now stacked under ours, goes: nothing else of it is reachable. */
	umount2(".", MNT_DETACH);
	return chdir("/");
}
