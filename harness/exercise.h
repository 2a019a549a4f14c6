#ifndef RACELAB_EXERCISE_H
#define RACELAB_EXERCISE_H
/*
 * The lab's exercises: exercises/NN-name/ with lab.ini, and their twins
 * solutions/NN-name/. The lab root is the nearest directory, from the
 * current one upwards, that holds exercises/ (or RACELAB_ROOT).
 *
 * An exercise_set owns its exercises, and each exercise its lab.
 */
#include "lab.h"
#include "strbuf.h"
#include "strvec.h"

struct exercise {
	char *name;		/* "01-counter-race" */
	int number;		/* 1 */
	char *dir;		/* absolute exercises/NN-name */
	char *soldir;		/* absolute solutions/NN-name, or NULL */
	struct lab lab;
	int lab_ok;
	char *lab_error;	/* "PATH:LINE: problem" lines when !lab_ok */
};

struct exercise_set {
	char *root;
	struct exercise *v;
	size_t n, alloc;
};

/* Find the lab root; returns an absolute path or NULL. */
char *lab_root_find(void);
/* Load every exercise under root/exercises, sorted by name. -1 when the directory cannot be read. */
int exercise_set_load(struct exercise_set *set, const char *root);
/*
 * Select exercises by number ("3"), name ("02-deadlock-abba" or
 * "deadlock-abba") or directory. An empty `want` selects all. Returns 0 or
 * -1 after reporting every unknown name. `sel` receives pointers into set.
 */
int exercise_select(struct exercise_set *set, const struct strvec *want,
		    struct exercise ***sel, size_t *nsel);
void exercise_set_clear(struct exercise_set *set);

#endif
