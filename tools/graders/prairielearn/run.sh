#!/bin/sh
# PrairieLearn's external grader runs this in the question's container (the
# question's info.json names it as its entrypoint): the student's files are
# in /grade/student, the question's tests/ in /grade/tests, and
# /grade/results/results.json is the grade. The question's exercise is
# tests/exercise (one name); without it every exercise is graded.
# GRADE_ROOT moves /grade (to try the grader elsewhere).
g=${GRADE_ROOT:-/grade}
if [ -f "$g/tests/exercise" ]; then
	set -- --exercise "$(cat "$g/tests/exercise")"
else
	set --
fi
exec sh "$(dirname "$0")/../grade.sh" "$g/student" prairielearn "$g/results/results.json" "$@"
