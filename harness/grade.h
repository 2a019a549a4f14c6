#ifndef RACELAB_GRADE_H
#define RACELAB_GRADE_H
/*
 * Scoring a submission (racelab grade): per exercise, what each checker
 * said of the student's version, and the points that earns.
 *
 * The rule (docs/grading.md): an exercise's points are earned when every
 * checker lab.ini names ran clean on every --repeat run and the oracle was
 * met. With `partial = per-checker` in [exercise], a share of the points
 * is earned for each checker the handout fails (its [buggy] expectation
 * names a required kind) and the submission passes. Either way, a handout
 * submitted unchanged, or not submitted, scores 0, and so does a build
 * error.
 *
 * A struct grade owns its exercises; each exercise owns its strings.
 */
#include "lab.h"
#include "result.h"
#include "strbuf.h"
#include "strvec.h"
#include "tools.h"

enum grade_state {
	GRADE_RAN,		/* built and run: the checks decide */
	GRADE_UNCHANGED,	/* every submitted file is the handout's */
	GRADE_NOT_SUBMITTED,	/* no file of the exercise submitted */
	GRADE_BUILD_ERROR,	/* the student's version does not compile */
	GRADE_LAB_ERROR,	/* the instructor's lab.ini is broken: nobody's fault here */
};

struct grade_check {
	const struct tool *tool;
	char *kase;		/* lab.ini [case NAME], or NULL: the exercise's own run */
	enum status status;	/* over every run; STATUS_SKIP: not graded */
	int handout_fails;	/* lab.ini [buggy] names a required kind */
};

struct grade_exercise {
	char *name;		/* "01-counter-race" */
	char *title;		/* may be NULL */
	int max_points;		/* lab.ini points */
	int partial_per_checker;
	enum grade_state state;
	struct strvec files;	/* "counter.c: submitted", "x.c: not submitted" */
	struct grade_check *checks;	/* one per checker and case (grade_check_add) */
	size_t nchecks, alloc_checks;
	struct strbuf feedback;	/* what is still wrong, in racelab check's words */
	double points;		/* set by grade_score() */
};

struct grade {
	char *student;
	struct grade_exercise *v;
	size_t n, alloc;
	double points;
	int max_points;
	uint64_t duration_ms;
};

struct grade_exercise *grade_add(struct grade *g, const char *name, const struct lab *lab);
/* One more check of ge, zeroed, owned by ge. */
struct grade_check *grade_check_add(struct grade_exercise *ge);
struct grade_exercise *grade_find(struct grade *g, const char *name);
/* Record one checker's result on the exercise (the scheduler's order). */
void grade_record(struct grade_exercise *ge, const struct lab *lab, const struct result *r);
/* Points of each exercise and the total. */
void grade_score(struct grade *g);
const char *grade_state_name(enum grade_state s);
/* 1 when the exercise earned all its points. */
int grade_full(const struct grade_exercise *e);
/* What a student reads for one exercise: its state, files and feedback. */
void grade_exercise_text(const struct grade_exercise *e, struct strbuf *out);	/* "graded", "unchanged", ... */
void grade_release(struct grade *g);

#endif
