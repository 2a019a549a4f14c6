#ifndef RACELAB_COLLECT_H
#define RACELAB_COLLECT_H
/*
 * A run's verdict, once it has ended: everything the run left (the
 * checker's reports in its logs/, what the watch saw, the hang, the exit
 * statuses, the output) turned into a result's diagnostics, matched
 * against the expectation. The result owns what it is given; the run is
 * only read and is cleared by its owner (run_clear) afterwards.
 */
#include "result.h"
#include "runner.h"

void run_collect(struct run *r, struct result *res);

#endif
