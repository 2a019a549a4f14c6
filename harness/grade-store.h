#ifndef RACELAB_GRADE_STORE_H
#define RACELAB_GRADE_STORE_H
/*
 * A class graded in --out DIR is resumable: each student's grade is kept
 * in DIR/students/NAME.json with the hash of everything it was made from
 * (the submission's bytes, the lab's files, the options). A submission
 * whose hash matches its kept file is not graded again.
 */
#include "exercise.h"
#include "grade.h"
#include <stdint.h>

/* The hash of a submission (directory or archive) and what grades it. */
uint64_t grade_input_hash(const char *submission, struct exercise **sel, size_t nsel,
			  const char *options);
/* 0 and g filled when DIR/students/NAME.json holds a grade made from `input`; else -1. */
int grade_store_load(const char *dir, const char *name, uint64_t input, struct grade *g);
/* Keep g (atomically); 0 or -1 after error(). */
int grade_store_save(const char *dir, const struct grade *g, uint64_t input);

/* --merge: every student of every racelab.json in files, in order, added to *grades. */
int grade_store_merge(const struct strvec *files, struct grade ***grades, size_t *n);

#endif
