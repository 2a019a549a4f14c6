#ifndef RACELAB_GRADE_FORMAT_H
#define RACELAB_GRADE_FORMAT_H
/*
 * What `racelab grade` writes: one file per format behind this table
 * (like the reporters, report.h). Each writer gets every student's grade
 * and writes one document; it must stay valid whatever the runs did.
 */
#include "grade.h"
#include <stdio.h>

struct grade_format {
	const char *name;	/* --format NAME */
	const char *file;	/* its file under --out DIR */
	int one_student;	/* a grader's per-submission file: one student only */
	/* 0, or -1 when out failed. */
	int (*write)(FILE *out, struct grade *const *g, size_t n);
};

extern const struct grade_format format_text;
extern const struct grade_format format_racelab;
extern const struct grade_format format_gradescope;
extern const struct grade_format format_prairielearn;
extern const struct grade_format format_autolab;
extern const struct grade_format format_junit;
extern const struct grade_format format_tap;
extern const struct grade_format format_csv;

/*
 * One student in racelab.json's shape, and back (format-racelab.c).
 * grade_from_json() fills g (released on error) and returns 0, or -1 when
 * o is not such an object.
 */
typedef struct json_t json_t;
json_t *grade_json(const struct grade *g);
int grade_from_json(json_t *o, struct grade *g);

const struct grade_format *grade_format_find(const char *name);
/* The names, ", "-separated, for messages. */
extern const char grade_format_names[];
/*
 * Write f to outdir/f->file atomically (a temporary file renamed over it),
 * or to stdout when outdir is NULL. 0 or -1 after error().
 */
int grade_format_emit(const struct grade_format *f, const char *outdir,
		      struct grade *const *g, size_t n);

#endif
