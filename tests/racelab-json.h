#ifndef RACELAB_TESTS_JSON_H
#define RACELAB_TESTS_JSON_H
/*
 * racelab's --json output as the tests read it (jansson). Documents
 * returned are the caller's (json_decref).
 */
#include <jansson.h>
#include <stddef.h>

#include "racelab-child.h"

/* The document racelab printed; the test fails when it is not JSON. */
json_t *parse_json(const struct out *r);
/* The result for variant ("file", "buggy", ...; NULL: any) and tool; the test fails without one. */
json_t *result_for(json_t *doc, const char *variant, const char *tool);
/* 1 when result r has a diagnostic of `kind` whose first frame with a file is at file:line (line 0: any). */
int has_diag(json_t *r, const char *kind, const char *file, int line);
size_t ndiags(json_t *r);
/* The message of r's first diagnostic of `kind`; the test fails without one. */
const char *message_of(json_t *r, const char *kind);
const char *status_of(json_t *r);
/* The member of array whose string `key` is `value`; the test fails without one. */
json_t *member_with(json_t *array, const char *key, const char *value);
/* The JSON file dir/file; the test fails when it is not JSON. */
json_t *load_json(const char *dir, const char *file);

#endif
