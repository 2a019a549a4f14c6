#!/bin/sh
# Benchmark of grading (docs/instructors.md): a class of three students,
# each handing in the solutions of a few exercises, graded as the graders
# grade (every checker lab.ini names, --repeat 3), measured in one
# invocation so the figures are ratios:
#  1. the class at once: `racelab grade --class`, every submission's runs
#     in one scheduler (-j: the number of CPUs);
#  2. the same three submissions one `racelab grade` after another, as a
#     grader runs them (one container per submission);
#  3. the wall time of 1. against the physical limit (the CPU it used
#     spread over every core).
# Each starts from a cold build cache, so every submission is compiled.
#
# Usage: bench/grade.sh [EX...]   (from the repository root; `make bench`)
set -eu
cd "$(dirname "$0")/.."
. bench/common.sh

exercises=${*:-01 07 17}
students="alice bob carol"
n=0
for ex in $exercises; do
	dir=$(ls -d solutions/"$ex"-*/ solutions/"$ex"/ 2>/dev/null | head -1)
	[ -n "$dir" ] || { echo "bench: no solution for $ex" >&2; exit 2; }
	name=$(basename "$dir")
	for s in $students; do
		mkdir -p "$work/class/$s/$name"
		cp "$dir"*.c "$work/class/$s/$name/"
	done
	n=$((n + 1))
done
only=""
for ex in $exercises; do only="$only --exercise $ex"; done

rm -rf build/bin
# shellcheck disable=SC2086
measured "$RACELAB" grade $only --class "$work/class" --format csv >"$work/class.csv" 2>/dev/null
class_s=$wall
class_limit=$(limit_ratio)

rm -rf build/bin
t0=$(now)
for s in $students; do
	# shellcheck disable=SC2086
	"$RACELAB" grade $only --format csv "$work/class/$s" >"$work/$s.csv" 2>/dev/null
done
t1=$(now)
apart_s=$(elapsed "$t0" "$t1")

echo "grades (class at once):"
cat "$work/class.csv"
printf 'class of 3 x %d exercises, --class:    %6.1f s (%.1f s a student)\n' "$n" "$class_s" \
	"$(awk -v c="$class_s" 'BEGIN { print c / 3 }')"
printf 'the same, one racelab grade each:      %6.1f s\n' "$apart_s"
printf 'speed-up of --class: %sx (%s CPUs)\n' \
	"$(awk -v a="$apart_s" -v c="$class_s" 'BEGIN { printf "%.2f", a / c }')" "$(nproc)"
printf 'CPU: %s s user + %s s system; wall time %sx the physical limit\n' "$user_s" "$sys_s" \
	"$class_limit"
