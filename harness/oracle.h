#ifndef RACELAB_ORACLE_H
#define RACELAB_ORACLE_H
/*
 * Whether a program did what a correct one does: lab.ini's [oracle]
 * (its output, exit status, the threads it made) checked against one
 * program of an ended run. Failing it adds a wrong-output diagnostic
 * to the result, with what was expected against what the program gave.
 */
#include "result.h"
#include "runner.h"

void oracle_check(const struct run *r, struct result *res, const struct run_proc *p);

#endif
