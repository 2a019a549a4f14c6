/*
 * make dist-student packs what is committed: not a local edit, not an
 * untracked file, never solutions/.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "racelab-child.h"

/* racelab of this tree strips the hidden cases (racelab handout) */
static void use_this_racelab(void)
{
	char *racelab = realpath("../build/racelab", NULL);

	cr_assert_not_null(racelab);
	setenv("RACELAB", racelab, 1);
	free(racelab);
}

TestSuite(dist, .init = use_this_racelab);

#define LAB_INI "[exercise]\\ntitle = t\\nclass = wrong-output\\nsources = a.c\\n" \
		"[oracle]\\nstdout = ^ok$\\n"

Test(dist, handout_is_the_committed_lab_without_solutions)
{
	char *tmpl = test_tmpl("dist"), *cmd, *script = realpath("../tools/dist-student.sh", NULL);

	cr_assert_not_null(script);
	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p tools exercises/01-x solutions/01-x; "
		     "printf '" LAB_INI "[buggy]\\nnative = clean\\n' > exercises/01-x/lab.ini; "
		     "cp %s tools/; echo committed > exercises/01-x/a.c; "
		     "echo fix > solutions/01-x/a.c; git init -q; git add .; "
		     "git -c user.name=t -c user.email=t@t commit -qm lab; "
		     "echo local-edit > exercises/01-x/a.c; echo untracked > exercises/01-x/b.c; "
		     "sh tools/dist-student.sh >/dev/null; mkdir u; tar -xzf build/racelab-student.tar.gz -C u; "
		     "test \"$(cat u/racelab/exercises/01-x/a.c)\" = committed; "
		     "test ! -e u/racelab/exercises/01-x/b.c; test ! -e u/racelab/solutions",
		     tmpl, script) < 0)
		cr_assert_fail("asprintf");
	cr_expect_eq(system(cmd), 0, "the handout is not HEAD without solutions/");
	free(cmd);
	free(script);
}

/* A hidden case and the file it feeds on stdin stay with the instructor. */
Test(dist, hidden_cases_leave_the_handout)
{
	char *tmpl = test_tmpl("dist"), *cmd, *script = realpath("../tools/dist-student.sh", NULL);

	cr_assert_not_null(script);
	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p tools exercises/01-x; cp %s tools/; "
		     "printf '" LAB_INI
		     "[case shown]\\nstdin = shown.txt\\nstdout = ^shown$\\n"
		     "; the secret case: the expected answer of a big input\\n"
		     "[case secret]\\nstdin = secret.txt ; the instructor'\"'\"'s\\nhidden = yes\\nstdout = ^secret-answer$\\n"
		     "[case both]\\nhidden = true\\nstdin = shown.txt\\n"
		     "[buggy]\\nnative = clean\\n' > exercises/01-x/lab.ini; "
		     "echo a > exercises/01-x/a.c; echo s > exercises/01-x/shown.txt; "
		     "echo h > exercises/01-x/secret.txt; git init -q; git add .; "
		     "git -c user.name=t -c user.email=t@t commit -qm lab; "
		     "sh tools/dist-student.sh >/dev/null; mkdir u; tar -xzf build/racelab-student.tar.gz -C u; "
		     "l=u/racelab/exercises/01-x/lab.ini; grep -q '^\\[case shown\\]' $l; "
		     "grep -q '^native = clean' $l; ! grep -q secret $l; ! grep -q 'case both' $l; "
		     "! grep -q 'big input' $l; grep -q '^stdout = ^shown' $l; "
		     "test -e u/racelab/exercises/01-x/shown.txt; test ! -e u/racelab/exercises/01-x/secret.txt",
		     tmpl, script) < 0)
		cr_assert_fail("asprintf");
	cr_expect_eq(system(cmd), 0, "a hidden case or its input is in the handout");
	free(cmd);
	free(script);
}

/* racelab handout never touches a tree with solutions/, nor hands out a lab.ini it cannot read. */
Test(dist, handout_refuses_the_instructors_tree_and_a_broken_lab_ini)
{
	char *tmpl = test_tmpl("dist"), *cmd;

	cr_assert_not_null(mkdtemp(tmpl));
	if (asprintf(&cmd, "set -e; cd %s; mkdir -p exercises/01-x solutions/01-x; "
		     "printf '" LAB_INI "[case s]\\nhidden = yes\\n[buggy]\\nnative = clean\\n' "
		     "> exercises/01-x/lab.ini; cp exercises/01-x/lab.ini kept; "
		     "! \"$RACELAB\" handout . 2>err; grep -q 'has solutions/' err; cmp kept exercises/01-x/lab.ini; "
		     "rmdir solutions/01-x solutions; echo '[exercise' >> exercises/01-x/lab.ini; "
		     "cp exercises/01-x/lab.ini kept; ! \"$RACELAB\" handout . 2>err; "
		     "grep -q \"missing ']'\" err; cmp kept exercises/01-x/lab.ini", tmpl) < 0)
		cr_assert_fail("asprintf");
	cr_expect_eq(system(cmd), 0, "racelab handout changed what it must not");
	free(cmd);
}
