/*
 * Kept grades of a class, for resuming (grade-store.h).
 */
#include "grade-store.h"
#include "grade-format.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FNV_OFFSET 14695981039346656037ULL

static uint64_t hash_file(uint64_t h, const char *path)
{
	size_t len;
	char *data = read_file(path, &len);

	if (data) {
		h = fnv1a(h, &len, sizeof(len));
		h = fnv1a(h, data, len);
	}
	free(data);
	return h;
}

/* Names and bytes of every regular file under dir, in name order (links not followed). */
static uint64_t hash_tree(uint64_t h, const char *dir, const char *rel)
{
	struct dirent **v;
	int n = scandir(dir, &v, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		char *p = xstrfmt("%s/%s", dir, v[i]->d_name);
		char *r = xstrfmt("%s/%s", rel, v[i]->d_name);
		struct stat st;

		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, "..") && !lstat(p, &st)) {
			h = fnv1a(h, r, strlen(r) + 1);
			if (S_ISDIR(st.st_mode))
				h = hash_tree(h, p, r);
			else if (S_ISREG(st.st_mode))
				h = hash_file(h, p);
		}
		free(p);
		free(r);
		free(v[i]);
	}
	if (n >= 0)
		free(v);
	return h;
}

uint64_t grade_input_hash(const char *submission, struct exercise **sel, size_t nsel,
			  const char *options)
{
	uint64_t h = fnv1a(FNV_OFFSET, options, strlen(options) + 1);
	struct stat st;

	if (!stat(submission, &st) && S_ISDIR(st.st_mode))
		h = hash_tree(h, submission, "");
	else
		h = hash_file(h, submission);
	/* The instructor's side: a changed lab.ini or handout regrades everyone. */
	for (size_t i = 0; i < nsel; i++)
		h = hash_tree(h, sel[i]->dir, sel[i]->name);
	return h;
}

static char *store_path(const char *dir, const char *name)
{
	return xstrfmt("%s/students/%s.json", dir, name);
}

int grade_store_load(const char *dir, const char *name, uint64_t input, struct grade *g)
{
	char *path = store_path(dir, name), want[32];
	json_t *doc = json_load_file(path, 0, NULL);
	const char *got;
	int ret = -1;

	free(path);
	snprintf(want, sizeof(want), "%016" PRIx64, input);
	if (doc && (got = json_string_value(json_object_get(doc, "input"))) && !strcmp(got, want))
		ret = grade_from_json(json_object_get(doc, "grade"), g);
	json_decref(doc);
	return ret;
}

int grade_store_save(const char *dir, const struct grade *g, uint64_t input)
{
	char *sdir = xstrfmt("%s/students", dir), *path = store_path(dir, g->student);
	char *tmp = xstrfmt("%s.tmp", path), hex[32];
	json_t *doc;
	int ret = 0;

	snprintf(hex, sizeof(hex), "%016" PRIx64, input);
	doc = json_pack("{s:s, s:o}", "input", hex, "grade", grade_json(g));
	if (mkdir_p(sdir, 0755) < 0 || json_dump_file(doc, tmp, JSON_INDENT(2)) < 0 ||
	    rename(tmp, path) < 0) {
		ret = error("cannot keep %s: %s", path, strerror(errno));
		unlink(tmp);
	}
	json_decref(doc);
	free(sdir);
	free(path);
	free(tmp);
	return ret;
}

int grade_store_merge(const struct strvec *files, struct grade ***grades, size_t *n)
{
	for (size_t f = 0; f < files->n; f++) {
		json_error_t err;
		json_t *doc = json_load_file(files->v[f], 0, &err), *st;
		size_t i;

		if (!doc || !json_is_array(json_object_get(doc, "students"))) {
			json_decref(doc);
			return error("%s: not a racelab.json (%s)", files->v[f], doc ? "no students" : err.text);
		}
		json_array_foreach(json_object_get(doc, "students"), i, st) {
			struct grade *g = xcalloc(1, sizeof(*g));

			if (grade_from_json(st, g) < 0) {
				free(g);
				json_decref(doc);
				return error("%s: student %zu is not a racelab grade", files->v[f], i + 1);
			}
			*grades = xrealloc(*grades, (*n + 1) * sizeof(**grades));
			(*grades)[(*n)++] = g;
		}
		json_decref(doc);
	}
	return 0;
}
