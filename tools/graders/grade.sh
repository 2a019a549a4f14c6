#!/bin/sh
# Grade one submission for an online grader (Gradescope, PrairieLearn,
# Autolab): `racelab grade` in the lab this script is part of, one format,
# written to OUT by a rename (or to stdout when OUT is "-").
#
# Usage: grade.sh SUBMISSION FORMAT OUT [RACELAB-GRADE-FLAG...]
#        (FORMAT: gradescope, prairielearn, autolab)
#
# The lab is the directory two above this script (the instructor's tree,
# hidden cases and all); racelab is built there when it is not yet. The
# flags of `racelab grade` are the lab's grade.flags (make gradescope
# GRADE_FLAGS=...), then $RACELAB_GRADE_FLAGS, then the ones given here.
#
# The exit status is racelab grade's. When racelab cannot grade (it does
# not build, a usage error, runs that cannot be made) nothing is written:
# the grader then reports its own failure, which a TA sees and reruns,
# instead of a zero the student did not earn.
set -u
if [ $# -lt 3 ]; then
	echo "usage: grade.sh SUBMISSION FORMAT OUT [RACELAB-GRADE-FLAG...]" >&2
	exit 2
fi
sub=$1 format=$2 out=$3
shift 3
case $format in
gradescope | prairielearn) file=$format.json ;;
autolab) file=autolab.txt ;;
*)
	echo "grade.sh: no grader format '$format'" >&2
	exit 2
	;;
esac
lab=$(cd "$(dirname "$0")/../.." && pwd) || exit 3
racelab=$lab/build/racelab
if [ ! -x "$racelab" ] && ! make -C "$lab" -s -j "$(getconf _NPROCESSORS_ONLN)" all >&2; then
	echo "grade.sh: racelab does not build in $lab (are its packages installed?)" >&2
	exit 3
fi
flags=""
[ -f "$lab/grade.flags" ] && flags=$(cat "$lab/grade.flags")

# The result is made beside OUT, so that renaming it over OUT is atomic.
if [ "$out" = - ]; then
	tmp=$(mktemp -d) || exit 3
else
	mkdir -p "$(dirname "$out")" && tmp=$(mktemp -d "$(dirname "$out")/.racelab.XXXXXX") || exit 3
fi
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2086 # the flags are words
RACELAB_ROOT=$lab "$racelab" grade $flags ${RACELAB_GRADE_FLAGS:-} --format "$format" --out "$tmp" "$@" "$sub"
rc=$?
if [ $rc -ne 0 ] || [ ! -f "$tmp/$file" ]; then
	echo "grade.sh: racelab grade failed (exit $rc): nothing is graded" >&2
	exit $((rc ? rc : 3))
fi
if [ "$out" = - ]; then
	cat "$tmp/$file"
else
	mv -f "$tmp/$file" "$out"
fi
