/*
 * The tests' own cgroup net (cgroup-net.h). Made here, not with racelab's
 * cgroup.c, so that a bug there cannot disarm the net that catches it.
 */
#include "cgroup-net.h"

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

static const char *const hier[3] = { "pids", "memory", "cpu" };
static const char *const cap[3] = { "pids.max", "memory.limit_in_bytes", "cpu.shares" };

/* racelab's tests run in some cgroup of each hierarchy: the net goes below it. */
static char *own(const char *h)
{
	char line[512], *ret = NULL;
	FILE *f = fopen("/proc/self/cgroup", "r");

	while (f && !ret && fgets(line, sizeof(line), f)) {
		char *a = strchr(line, ':'), *b = a ? strchr(a + 1, ':') : NULL;

		if (!b)
			continue;
		*b = '\0';
		b[strcspn(b + 1, "\n") + 1] = '\0';
		if (!strcmp(a + 1, h) && asprintf(&ret, "/sys/fs/cgroup/%s%s", h,
						   strcmp(b + 1, "/") ? b + 1 : "") < 0)
			ret = NULL;
	}
	if (f)
		fclose(f);
	return ret;
}

static int put(const char *dir, const char *file, const char *value)
{
	char path[512];
	int fd, ok;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY)) < 0)
		return -1;
	ok = write(fd, value, strlen(value)) == (ssize_t)strlen(value);
	close(fd);
	return ok ? 0 : -1;
}

static long get(const char *dir, const char *file, const char *key)
{
	char path[512], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!key)
			v = strtol(line, NULL, 10);
		else if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ' ')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

int net_make(struct net *n, unsigned pids_max, unsigned long long memory_max)
{
	char value[32];

	memset(n, 0, sizeof(*n));
	n->procs[0] = n->procs[1] = n->procs[2] = -1;
	for (int i = 0; i < 3; i++) {
		char *base = own(hier[i]), path[512];

		if (!base)
			goto fail;
		if (asprintf(&n->dir[i], "%s/racelab-test-net.%d", base, (int)getpid()) < 0) {
			n->dir[i] = NULL;
			free(base);
			goto fail;
		}
		free(base);
		if (mkdir(n->dir[i], 0755) < 0) {
			free(n->dir[i]);
			n->dir[i] = NULL;
			goto fail;
		}
		if (i == 0)
			snprintf(value, sizeof(value), "%u", pids_max);
		else if (i == 1)
			snprintf(value, sizeof(value), "%llu", memory_max);
		else
			snprintf(value, sizeof(value), "1024");
		if (put(n->dir[i], cap[i], value) < 0)
			goto fail;
		snprintf(path, sizeof(path), "%s/cgroup.procs", n->dir[i]);
		if ((n->procs[i] = open(path, O_WRONLY | O_CLOEXEC)) < 0)
			goto fail;
	}
	return 0;
fail:
	net_remove(n);
	return -1;
}

int net_join(const struct net *n)
{
	for (int i = 0; i < 3; i++)
		if (write(n->procs[i], "0", 1) != 1)
			return -1;
	return 0;
}

long net_procs(const struct net *n)
{
	return get(n->dir[0], "pids.current", NULL);
}

long net_refused(const struct net *n)
{
	return get(n->dir[0], "pids.events", "max");
}

/* Remove dir and the cgroups racelab made below it, deepest first, killing what is left. */
static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char sub[1024];

		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
		remove_tree(sub);
	}
	if (d)
		closedir(d);
	for (int tries = 0; rmdir(dir) < 0 && errno == EBUSY && tries < 200; tries++) {
		char path[1024], line[32];
		FILE *f;
		struct timespec ts = { 0, 10 * 1000 * 1000 };

		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		if ((f = fopen(path, "r"))) {
			while (fgets(line, sizeof(line), f))
				kill((pid_t)atoi(line), SIGKILL);
			fclose(f);
		}
		nanosleep(&ts, NULL);
	}
}

void net_remove(struct net *n)
{
	for (int i = 0; i < 3; i++) {
		if (n->procs[i] >= 0)
			close(n->procs[i]);
		n->procs[i] = -1;
		if (n->dir[i])
			remove_tree(n->dir[i]);
		free(n->dir[i]);
		n->dir[i] = NULL;
	}
}
