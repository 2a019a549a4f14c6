#!/bin/sh
# Benchmark of grading at full size (docs/bench.md#grading), each from a
# cold build cache, with racelab grade's defaults (every checker lab.ini
# names and the noise checker, --repeat 3, -j: the number of CPUs):
#  1. the whole catalogue handed in as one submission (every solution);
#  2. a class of N students (default 20) each handing in the fix of one
#     exercise (default 17), graded with --class; each student's file
#     differs by a comment, so each is built, as a real class's would be.
# For each: the wall time, the CPU, the wall time against the physical
# limit (that CPU spread over every core), and the grades.
#
# Usage: bench/grade-full.sh [STUDENTS [EX]]   (from the repository root)
set -eu
cd "$(dirname "$0")/.."
. bench/common.sh

students=${1:-20}
ex=${2:-17}

# One measured grading: label, then racelab grade's arguments.
measure() {
	label=$1
	shift
	rm -rf build/bin "$work/out"
	measured "$RACELAB" grade --format csv --out "$work/out" "$@" 2>/dev/null
	printf '%s: %.1f s wall; CPU %s s user + %s s system; %sx the physical limit\n' "$label" \
		"$wall" "$user_s" "$sys_s" "$(limit_ratio)"
	cat "$work/out/grades.csv"
}

mkdir -p "$work/catalogue"
for dir in solutions/*/; do
	name=$(basename "$dir")
	mkdir -p "$work/catalogue/$name"
	cp "$dir"*.c "$work/catalogue/$name/"
done
measure "the whole catalogue as one submission" "$work/catalogue"

dir=$(ls -d solutions/"$ex"-*/ 2>/dev/null | head -1)
[ -n "$dir" ] || { echo "bench: no solution for $ex" >&2; exit 2; }
name=$(basename "$dir")
i=1
while [ "$i" -le "$students" ]; do
	s=$(printf 'student%02d' "$i")
	mkdir -p "$work/class/$s/$name"
	for f in "$dir"*.c; do
		{ cat "$f"; printf '/* handed in by %s */\n' "$s"; } >"$work/class/$s/$name/$(basename "$f")"
	done
	i=$((i + 1))
done
measure "a class of $students, each handing in $name" --exercise "$ex" --class "$work/class"
