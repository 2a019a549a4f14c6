#include "exercise.h"
#include "strbuf.h"
#include "util.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;

	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

char *lab_root_find(void)
{
	const char *env = getenv("RACELAB_ROOT");
	char cwd[PATH_MAX], *p;

	if (env && *env) {
		char *r = realpath(env, NULL);
		if (!r)
			error_errno("RACELAB_ROOT=%s", env);
		return r;
	}
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	for (;;) {
		char *ex = xstrfmt("%s/exercises", cwd);
		int found = is_dir(ex);

		free(ex);
		if (found)
			return xstrdup(cwd);
		p = strrchr(cwd, '/');
		if (!p || p == cwd)
			return NULL;
		*p = '\0';
	}
}

static int cmp_ex(const void *a, const void *b)
{
	return strcmp(((const struct exercise *)a)->name, ((const struct exercise *)b)->name);
}

int exercise_set_load(struct exercise_set *set, const char *root)
{
	char *dir = xstrfmt("%s/exercises", root);
	DIR *d = opendir(dir);
	struct dirent *de;

	memset(set, 0, sizeof(*set));
	set->root = xstrdup(root);
	if (!d) {
		error_errno("cannot read %s", dir);
		free(dir);
		return -1;
	}
	while ((de = readdir(d))) {
		struct exercise *e;
		char *path, *ini, *sol;
		struct strbuf err = STRBUF_INIT;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		path = xstrfmt("%s/%s", dir, de->d_name);
		if (!is_dir(path)) {
			free(path);
			continue;
		}
		ALLOC_GROW(set->v, set->n + 1, set->alloc);
		e = &set->v[set->n++];
		memset(e, 0, sizeof(*e));
		e->name = xstrdup(de->d_name);
		e->number = atoi(de->d_name);
		e->dir = path;
		sol = xstrfmt("%s/solutions/%s", root, de->d_name);
		if (is_dir(sol))
			e->soldir = sol;
		else
			free(sol);
		ini = xstrfmt("%s/lab.ini", path);
		if (access(ini, R_OK)) {
			strbuf_addf(&err, "%s: no lab.ini", ini);
			e->lab_error = strbuf_detach(&err, NULL);
		} else if (lab_load(ini, &e->lab, &err) < 0) {
			strbuf_rtrim(&err);
			e->lab_error = strbuf_detach(&err, NULL);
		} else {
			e->lab_ok = 1;
		}
		strbuf_release(&err);
		free(ini);
	}
	closedir(d);
	free(dir);
	qsort(set->v, set->n, sizeof(*set->v), cmp_ex);
	return 0;
}

static int matches(const struct exercise *e, const char *want)
{
	char *end;
	long n = strtol(want, &end, 10);
	const char *dash = strchr(e->name, '-');
	char *real;
	int same;

	if (!*end && end != want)
		return n == e->number;
	if (!strcmp(want, e->name) || (dash && !strcmp(want, dash + 1)))
		return 1;
	real = realpath(want, NULL);
	if (!real)
		return 0;
	same = !strcmp(real, e->dir) || (e->soldir && !strcmp(real, e->soldir));
	free(real);
	return same;
}

int exercise_select(struct exercise_set *set, const struct strvec *want,
		    struct exercise ***sel, size_t *nsel)
{
	size_t alloc = 0;
	int ret = 0;

	*sel = NULL;
	*nsel = 0;
	if (!want->n) {
		for (size_t i = 0; i < set->n; i++) {
			ALLOC_GROW(*sel, *nsel + 1, alloc);
			(*sel)[(*nsel)++] = &set->v[i];
		}
		return 0;
	}
	for (size_t w = 0; w < want->n; w++) {
		int found = 0;

		for (size_t i = 0; i < set->n; i++) {
			int dup = 0;

			if (!matches(&set->v[i], want->v[w]))
				continue;
			found = 1;
			for (size_t k = 0; k < *nsel; k++)
				dup |= (*sel)[k] == &set->v[i];
			if (!dup) {
				ALLOC_GROW(*sel, *nsel + 1, alloc);
				(*sel)[(*nsel)++] = &set->v[i];
			}
		}
		if (!found)
			ret = error("no exercise '%s' in %s/exercises (see 'racelab list')",
				    want->v[w], set->root);
	}
	return ret;
}

void exercise_set_clear(struct exercise_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		struct exercise *e = &set->v[i];
		free(e->name);
		free(e->dir);
		free(e->soldir);
		free(e->lab_error);
		lab_release(&e->lab);
	}
	free(set->v);
	free(set->root);
	memset(set, 0, sizeof(*set));
}
