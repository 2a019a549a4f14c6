#include "cgroup.h"
#include "strbuf.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

static const char *const hierarchy[CG_NR] = { "pids", "memory", "cpu" };

/*
 * The directory of racelab's own cgroup in hierarchy h, from
 * /proc/self/cgroup ("4:memory:/some/path"); NULL when h is not mounted.
 */
static char *own_cgroup(enum cgroup_kind h)
{
	struct strbuf sb = STRBUF_INIT;
	char *ret = NULL, *line, *save = NULL;
	char *root = xstrfmt(CGROUP_ROOT "/%s", hierarchy[h]);

	if (access(root, W_OK) < 0 || strbuf_read_file(&sb, "/proc/self/cgroup") < 0) {
		free(root);
		strbuf_release(&sb);
		return NULL;
	}
	for (line = strtok_r(sb.buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *ctl = strchr(line, ':'), *path;

		if (!ctl || !(path = strchr(ctl + 1, ':')))
			continue;
		*path++ = '\0';
		/* the controller list may name several: "cpu,cpuacct" */
		for (char *c = strtok(ctl + 1, ","); c; c = strtok(NULL, ","))
			if (!strcmp(c, hierarchy[h])) {
				ret = xstrfmt("%s%s", root, strcmp(path, "/") ? path : "");
				break;
			}
		if (ret)
			break;
	}
	free(root);
	strbuf_release(&sb);
	return ret;
}

static int write_value(const char *dir, const char *file, const char *value)
{
	char *path = xstrfmt("%s/%s", dir, file);
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0 || write(fd, value, strlen(value)) != (ssize_t)strlen(value))
		ret = -1;
	if (fd >= 0)
		close(fd);
	free(path);
	return ret;
}

/* Make racelab/NAME in hierarchy h with its limit; 0, or -1 with *why set. */
static int make_one(struct cgroup *cg, enum cgroup_kind h, const char *name, char **why)
{
	char *own = own_cgroup(h), *parent, *procs, value[32];
	int ret = -1;

	if (!own) {
		*why = xstrfmt("the cgroup v1 %s hierarchy is not mounted writable at " CGROUP_ROOT "/%s",
			       hierarchy[h], hierarchy[h]);
		return -1;
	}
	parent = xstrfmt("%s/racelab", own);
	cg->dir[h] = xstrfmt("%s/%s", parent, name);
	if ((mkdir(parent, 0755) < 0 && errno != EEXIST) || mkdir(cg->dir[h], 0755) < 0) {
		*why = xstrfmt("cannot create %s: %s", cg->dir[h], strerror(errno));
		goto fail;
	}
	if (h == CG_PIDS) {
		snprintf(value, sizeof(value), "%u", cg->pids_max);
		if (write_value(cg->dir[h], "pids.max", value) < 0) {
			*why = xstrfmt("cannot set %s/pids.max: %s", cg->dir[h], strerror(errno));
			goto fail;
		}
	} else if (h == CG_MEMORY) {
		snprintf(value, sizeof(value), "%llu", cg->memory_max);
		if (write_value(cg->dir[h], "memory.limit_in_bytes", value) < 0) {
			*why = xstrfmt("cannot set %s/memory.limit_in_bytes: %s", cg->dir[h],
				       strerror(errno));
			goto fail;
		}
		/* With swap accounting, swap counts too: no escape into swap. Optional. */
		write_value(cg->dir[h], "memory.memsw.limit_in_bytes", value);
	}
	/* CG_CPU: cpu.shares is 1024 in a new cgroup, what one process weighs. */
	/*
	 * tasks, not cgroup.procs: the joiner is one thread (a child between
	 * fork and exec), and moving only the writing thread spares the kernel
	 * the lock on every thread group, whose taking waits for an RCU grace
	 * period (7-25 ms a run, racelab's loop waiting on it; bench.md).
	 */
	procs = xstrfmt("%s/tasks", cg->dir[h]);
	cg->procs[h] = open(procs, O_WRONLY | O_CLOEXEC);
	if (cg->procs[h] < 0)
		*why = xstrfmt("cannot open %s: %s", procs, strerror(errno));
	else
		ret = 0;
	free(procs);
fail:
	if (ret < 0) {
		rmdir(cg->dir[h]);
		free(cg->dir[h]);
		cg->dir[h] = NULL;
	}
	free(parent);
	free(own);
	return ret;
}

int cgroup_make(struct cgroup *cg, const char *name, unsigned pids_max,
		unsigned long long memory_max, int realtime, char **why)
{
	int made = 0;

	cg->pids_max = pids_max;
	cg->memory_max = memory_max;
	*why = NULL;
	for (int h = 0; h < CG_NR; h++) {
		char *w = NULL;

		if (h == CG_CPU && realtime) {
			made++;
			continue;
		}
		if (make_one(cg, h, name, &w) == 0) {
			made++;
			continue;
		}
		if (!*why)
			*why = w;
		else
			free(w);
	}
	return made;
}

int cgroup_join(const struct cgroup *cg)
{
	/*
	 * "0" is the writing thread (cgroup v1), the whole child: it has no
	 * other thread before exec. Async-signal-safe: a write.
	 */
	for (int h = 0; h < CG_NR; h++)
		if (cg->procs[h] >= 0 && write(cg->procs[h], "0", 1) != 1)
			return -1;
	return 0;
}

/* The number after `key` (at a line start) in dir/file, or 0. */
static unsigned long long read_key(const char *dir, const char *file, const char *key)
{
	struct strbuf sb = STRBUF_INIT;
	char *path = xstrfmt("%s/%s", dir, file);
	unsigned long long n = 0;
	size_t k = strlen(key);

	if (strbuf_read_file(&sb, path) >= 0)
		for (char *p = sb.buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (!strncmp(p, key, k) && p[k] == ' ') {
				n = strtoull(p + k + 1, NULL, 10);
				break;
			}
	strbuf_release(&sb);
	free(path);
	return n;
}

int cgroup_pids_full(const struct cgroup *cg)
{
	return cg->dir[CG_PIDS] && read_key(cg->dir[CG_PIDS], "pids.events", "max") > 0;
}

int cgroup_limits_hit(const struct cgroup *cg, struct strvec *out)
{
	int n = 0;
	unsigned long long k;

	if (cg->dir[CG_PIDS] && (k = read_key(cg->dir[CG_PIDS], "pids.events", "max"))) {
		strvec_pushf(out, "the run reached its limit of %u processes and threads: "
			     "%llu fork() or pthread_create() calls were refused", cg->pids_max, k);
		n++;
	}
	if (cg->dir[CG_MEMORY] && (k = read_key(cg->dir[CG_MEMORY], "memory.oom_control", "oom_kill"))) {
		strvec_pushf(out, "the run reached its memory limit of %llu MiB: the kernel killed "
			     "%llu of its processes", cg->memory_max >> 20, k);
		n++;
	}
	return n;
}

void cgroup_remove(struct cgroup *cg)
{
	for (int h = 0; h < CG_NR; h++) {
		if (cg->procs[h] >= 0)
			close(cg->procs[h]);
		cg->procs[h] = -1;
		/* The last process may still be leaving: the kernel says EBUSY meanwhile. */
		for (int tries = 0; cg->dir[h] && rmdir(cg->dir[h]) < 0 && errno == EBUSY && tries < 100;
		     tries++) {
			struct timespec ts = { 0, 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		free(cg->dir[h]);
		cg->dir[h] = NULL;
	}
}

void cgroup_sweep(void)
{
	for (int h = 0; h < CG_NR; h++) {
		char *own = own_cgroup(h), *parent;
		DIR *d;
		struct dirent *de;

		if (!own)
			continue;
		parent = xstrfmt("%s/racelab", own);
		if ((d = opendir(parent))) {
			while ((de = readdir(d))) {
				char *end;
				long pid = strtol(de->d_name, &end, 10);

				/* NAME is "PID.SERIAL": PID is the racelab that made it */
				if (pid <= 0 || *end != '.' || (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
					continue;
				char *dir = xstrfmt("%s/%s", parent, de->d_name);
				rmdir(dir);
				free(dir);
			}
			closedir(d);
		}
		free(parent);
		free(own);
	}
}
