#ifndef RACELAB_CONSEQUENCE_H
#define RACELAB_CONSEQUENCE_H
/*
 * Consequences folded under their cause. A diagnostic whose `cause` is set
 * (diag.h) is not a bug of its own but what another one left behind: a
 * zombie whose parent was stuck in the deadlock when racelab stopped the
 * run could not be waited for; the leaks Memcheck lists for a process
 * racelab stopped in a hang were never freed because it was stuck; a
 * client hangs because its server ended (docs/design.md, "Consequences"). Reports show it beneath its cause ("because
 * of the deadlock above"), and --json gives it "caused_by". Matching
 * against lab.ini counts it like any other diagnostic: folding changes what
 * a student reads first, never a verdict.
 *
 * Which diagnostics are consequences is decided where a run's verdict is
 * collected (collect.c); the list order and the depths are kept here.
 */
#include "diag.h"

/*
 * Order l so that each cause comes before its consequences and each
 * consequence right after its cause (after the ones before it in l), the
 * causes in their order: depth first. Indexes in `cause` are renumbered.
 * A cause out of range, a diagnostic's own index, or a cycle (and a
 * chain leading into one) makes that diagnostic a bug of its own (-1).
 */
void consequences_fold(struct diag_list *l);
/* How many causes stand above diagnostic i of a folded list: 0 for a bug of its own. */
int consequence_depth(const struct diag_list *l, size_t i);

#endif
