# Sourced by the benchmarks, from the repository root: racelab to
# measure, a private directory $work removed at exit, and a clock.
RACELAB=${RACELAB:-build/racelab}
[ -x "$RACELAB" ] || { echo "bench: build racelab first (make)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
