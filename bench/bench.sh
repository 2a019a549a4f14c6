#!/bin/sh
# Benchmark: `racelab verify` under the six checkers the naive loop can
# run too (noise's cost is bench/noise.sh's) against the naive loop an
# instructor would write by hand — every exercise, buggy and fixed, built
# and run under every checker one after another, each hang left to a
# fixed 10 s timeout — measured in the same invocation; prints the ratio.
# Then how soon after it forms the watch names a deadlock and a livelock.
#
# Usage: bench/bench.sh [EX...]    (from the repository root; `make bench`)
set -eu
cd "$(dirname "$0")/.."
. bench/common.sh

exercises=${*:-$(ls -d exercises/[0-9]*/ | xargs -n1 basename)}

# --- racelab, cold build cache so both sides compile everything ---------
# Each program's own run only (--case default): the naive loop knows
# nothing of lab.ini's [case] sections. The concurrency probe stays: it is
# part of every verdict on a fix that lab.ini asks to stay concurrent
# (bench/cost.sh measures what it adds).
six="--tool native --tool tsan --tool asan --tool helgrind --tool drd --tool memcheck"
rm -rf build/bin
# The CPU of racelab and of every process it waited for: its runs and
# their children (racelab is their subreaper, so it reaps them all).
measured "$RACELAB" verify $six --case default --no-color $exercises >"$work/racelab.out" 2>&1
racelab_s=$wall
racelab_limit=$(limit_ratio)

# --- the naive loop -------------------------------------------------------
arg_of() { sed -n 's/^args *= *\([^;]*\).*/\1/p' "exercises/$1/lab.ini" | head -1; }
src_of() { sed -n 's/^sources *= *\([^;]*\).*/\1/p' "exercises/$1/lab.ini" | head -1; }
t0=$(now)
for ex in $exercises; do
	args=$(arg_of "$ex"); srcs=$(src_of "$ex")
	for dir in "exercises/$ex" "solutions/$ex"; do
		[ -d "$dir" ] || continue
		b="$work/$(echo "$dir" | tr / _)"
		(cd "$dir" && cc -g -O0 -pthread -o "$b.native" $srcs &&
			clang -g -O0 -pthread -fsanitize=thread -o "$b.tsan" $srcs &&
			clang -g -O0 -pthread -fsanitize=address,undefined -fno-omit-frame-pointer \
				-o "$b.asan" $srcs) >/dev/null 2>&1 || true
		for run in "$b.native" "$b.tsan" "$b.asan" \
			"valgrind --vgdb=no --tool=helgrind $b.native" "valgrind --vgdb=no --tool=drd $b.native" \
			"valgrind --vgdb=no --tool=memcheck --leak-check=full $b.native"; do
			# in the scratch folder: a program's files (29 writes result) stay out of the repository
			# shellcheck disable=SC2086
			(cd "$work" && timeout -s KILL 10 $run $args >/dev/null 2>&1) || true
		done
	done
done
t1=$(now)
naive_s=$(elapsed "$t0" "$t1")

ratio=$(awk -v a="$naive_s" -v b="$racelab_s" 'BEGIN { printf "%.1f", a / b }')
printf 'racelab verify (6 checkers): %6.1f s\n' "$racelab_s"
printf 'naive loop:                  %6.1f s\n' "$naive_s"
printf 'speed-up: %sx (%s CPUs)\n' "$ratio" "$(nproc)"
# The physical limit: all the CPU racelab's runs needed, spread over every
# core. 1.0x would be every core busy from the first moment to the last.
printf 'CPU: %s s user + %s s system; wall time %sx the physical limit\n' "$user_s" "$sys_s" \
	"$racelab_limit"

# --- how soon a hang is named -----------------------------------------------
# tests/run/hang.c deadlocks as soon as both threads hold their first lock,
# and the livelock exercise livelocks from its first round: the time from
# the start to the moment the watch named the hang (exit.hang_after_ms) is
# the delay after the hang formed, plus a few ms of start-up.
hang_ms() {
	"$RACELAB" run --json --tool native --timeout 60 "$@" 2>/dev/null |
		sed -n 's/.*"hang_after_ms": \([0-9]*\).*/\1/p' | head -1
}
dl=$(hang_ms tests/run/hang.c)
echo "deadlock named ${dl} ms after the start (stall window 750 ms)"
if [ -d exercises/03-livelock-polite ]; then
	ll=$(hang_ms exercises/03-livelock-polite/*.c -- $(arg_of 03-livelock-polite))
	echo "livelock named ${ll} ms after the start (stall window 750 ms)"
fi
