#!/bin/sh
# Benchmark: what the concurrency probe and the noise checker add to
# `racelab verify` on the whole catalogue, measured in one invocation so
# that the figures are ratios, not absolute times:
#   before  the six checkers of the naive loop (native, tsan, asan,
#           helgrind, drd, memcheck) on a copy of the catalogue whose
#           lab.ini files set no `concurrent`: no fix is probed
#   probe   the same six checkers on the catalogue as it is: every run of
#           a fix that lab.ini asks to stay concurrent waits for the native
#           run of the same check and is judged again on what it measured
#   all     `--tool all`: the probe and the noise checker (its default
#           seeds), what `make check` runs
# The build cache is warmed first (every flavor built), so each line
# times runs, not compiles.
#
# Usage: bench/cost.sh [EX...]   (from the repository root; `make bench`)
set -eu
cd "$(dirname "$0")/.."
. bench/common.sh
root=$(pwd)

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }

# The catalogue without `concurrent` (in [oracle], [program NAME] and
# [case NAME], plain or PROGRAM.concurrent): the same programs, the same
# binaries (the cache is keyed by the sources), no probe.
cp -r exercises solutions include "$work/"
sed -i '/^[[:space:]]*\([A-Za-z0-9_-]*\.\)\{0,1\}concurrent[[:space:]]*=/d' "$work"/exercises/*/lab.ini
mkdir -p build/bin "$work/build"
ln -s "$root/build/bin" "$work/build/bin"

six="--tool native --tool tsan --tool asan --tool helgrind --tool drd --tool memcheck"
verify() {
	dir=$1
	shift
	# shellcheck disable=SC2086
	(cd "$dir" && "$RACELAB" verify --no-color "$@" $exercises) >>"$work/verify.out" 2>&1 || true
}

exercises=$*
# Warm both caches: a build's key holds its paths (the copy's include/
# is another folder), so the copy compiles everything once too.
verify "$root" --tool native --tool tsan --tool asan
verify "$work" --tool native --tool tsan --tool asan
t0=$(now)
# shellcheck disable=SC2086
verify "$work" $six
t1=$(now)
# shellcheck disable=SC2086
verify "$root" $six
t2=$(now)
verify "$root" --tool all
t3=$(now)

before=$(elapsed "$t0" "$t1")
probe=$(elapsed "$t1" "$t2")
all=$(elapsed "$t2" "$t3")
echo "| verify ${exercises:-(the whole catalogue)} | time | against before |"
echo "|---|---|---|"
echo "| before: six checkers, no \`concurrent\` | $before s | 1.00x |"
echo "| six checkers, the probe | $probe s | $(ratio "$before" "$probe")x |"
echo "| \`--tool all\`: the probe and noise | $all s | $(ratio "$before" "$all")x |"
