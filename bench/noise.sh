#!/bin/sh
# Benchmark of the noise checker (docs/noise.md), in two parts:
#  1. Finding: each program of bench/noise/ (a rare interleaving that
#     fails an assertion or deadlocks) and tests/run/sleep-order.c, run
#     ten times plainly (racelab run --tool native), then under crude
#     jitter around lock/unlock alone (bench/crude-jitter.c, seeds 1..20),
#     then once under noise with the default seeds: how many plain runs
#     failed, and which seed first found the bug.
#  2. Cost: racelab verify on a few exercises, 20 native runs each
#     (--repeat 20) against one noise result (20 seeds), same invocation.
#
# Usage: bench/noise.sh [EX...]   (from the repository root; `make bench`)
set -eu
cd "$(dirname "$0")/.."
. bench/common.sh

field() { sed -n "s/^ *\"$1\": *\\([^,]*\\),*\$/\\1/p" | head -1; }

# The baseline: crude jitter around lock and unlock alone (bench/crude-jitter.c,
# an LD_PRELOAD of its own), on the program built plainly, seeds 1..20 until
# one fails (an abort, or a hang cut by a 10 s timeout).
${CC:-cc} -O2 -fPIC -shared -o "$work/crude.so" bench/crude-jitter.c -ldl
crude() {
	${CC:-cc} -g -O0 -pthread -o "$work/prog" "$1" || return 1
	for s in $(seq 1 20); do
		if ! CRUDE_JITTER=$s LD_PRELOAD="$work/crude.so" timeout -s KILL 10 "$work/prog" \
			>/dev/null 2>&1; then
			echo "found at seed $s"
			return 0
		fi
	done
	echo "not found"
}

echo "| program | plain runs that failed | crude jitter (20 seeds) | noise (20 seeds) |"
echo "|---|---|---|---|"
for prog in bench/noise/*.c tests/run/sleep-order.c; do
	fails=0
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$RACELAB" run --tool native "$prog" >/dev/null 2>&1 || fails=$((fails + 1))
	done
	out=$("$RACELAB" run --json --tool noise "$prog" 2>/dev/null || true)
	status=$(echo "$out" | field status | tr -d '"')
	seed=$(echo "$out" | field seed)
	if [ "$status" = fail ]; then found="found at seed $seed"; else found="not found"; fi
	echo "| $(basename "$prog") | $fails of 10 | $(crude "$prog") | $found |"
done

exercises=${*:-01 17 26 34}
t0=$(now)
"$RACELAB" verify --tool native --repeat 20 $exercises >/dev/null 2>&1 || true
t1=$(now)
"$RACELAB" verify --tool noise $exercises >/dev/null 2>&1 || true
t2=$(now)
echo
echo "| verify $exercises | time |"
echo "|---|---|"
echo "| native, --repeat 20 | $(elapsed "$t0" "$t1") s |"
echo "| noise, 20 seeds | $(elapsed "$t1" "$t2") s |"
