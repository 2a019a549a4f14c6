#ifndef RACELAB_TEST_ASSERT_STACK_H
#define RACELAB_TEST_ASSERT_STACK_H
/*
 * Criterion assertions on a diagnostic's stacks (diag.h), shared by the
 * parser tests. Each fails the calling test at the first difference.
 */
#include "diag.h"

/* f is function fn (NULL: unknown) in file (NULL: none) at line, user or not. */
void assert_frame(const struct frame *f, const char *fn, const char *file, int line, int user);
/* f's module is module (NULL: none). */
void assert_module(const struct frame *f, const char *module);
/* Related stack i of d, which the checker called `what`, has n frames; returns it. */
const struct related *related(const struct diag *d, size_t i, const char *what, size_t n);

#endif
