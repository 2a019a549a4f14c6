/*
 * Reading racelab's --json output in the tests (racelab-json.h).
 */
#include "racelab-json.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *parse_json(const struct out *r)
{
	json_error_t err;
	json_t *doc = json_loads(r->stdout_text, 0, &err);

	cr_assert_not_null(doc, "racelab --json is not JSON: %s\n%s", err.text, r->stdout_text);
	cr_assert_eq(json_integer_value(json_object_get(doc, "racelab")), 1);
	return doc;
}

json_t *result_for(json_t *doc, const char *variant, const char *tool)
{
	json_t *results = json_object_get(doc, "results"), *r;
	size_t i;

	json_array_foreach(results, i, r) {
		if (!strcmp(json_string_value(json_object_get(r, "tool")), tool) &&
		    (!variant || !strcmp(json_string_value(json_object_get(r, "variant")), variant)))
			return r;
	}
	cr_assert_fail("no result for %s/%s", variant ? variant : "*", tool);
	return NULL;
}

/* 1 when result r has a diagnostic of `kind` whose first frame with a file is at file:line (line 0: any). */
int has_diag(json_t *r, const char *kind, const char *file, int line)
{
	json_t *diags = json_object_get(r, "diagnostics"), *d;
	size_t i;

	json_array_foreach(diags, i, d) {
		json_t *frames = json_object_get(d, "frames"), *f;
		size_t k;

		if (strcmp(json_string_value(json_object_get(d, "kind")), kind))
			continue;
		if (!file)
			return 1;
		json_array_foreach(frames, k, f) {
			const char *ff = json_string_value(json_object_get(f, "file"));
			if (ff && !strcmp(ff, file) &&
			    (!line || json_integer_value(json_object_get(f, "line")) == line))
				return 1;
		}
	}
	return 0;
}

size_t ndiags(json_t *r)
{
	return json_array_size(json_object_get(r, "diagnostics"));
}

const char *message_of(json_t *r, const char *kind)
{
	json_t *d;
	size_t i;

	json_array_foreach(json_object_get(r, "diagnostics"), i, d)
		if (!strcmp(json_string_value(json_object_get(d, "kind")), kind))
			return json_string_value(json_object_get(d, "message"));
	cr_assert_fail("no %s diagnostic", kind);
	return NULL;
}

const char *status_of(json_t *r)
{
	return json_string_value(json_object_get(r, "status"));
}

json_t *load_json(const char *dir, const char *file)
{
	char *p;
	json_error_t err;
	json_t *doc;

	if (asprintf(&p, "%s/%s", dir, file) < 0)
		cr_assert_fail("asprintf");
	doc = json_load_file(p, 0, &err);
	cr_assert_not_null(doc, "%s is not JSON: %s", file, err.text);
	free(p);
	return doc;
}

json_t *member_with(json_t *array, const char *key, const char *value)
{
	json_t *m;
	size_t i;

	json_array_foreach(array, i, m) {
		const char *s = json_string_value(json_object_get(m, key));

		if (s && !strcmp(s, value))
			return m;
	}
	cr_assert_fail("no member with %s %s", key, value);
	return NULL;
}
