# Sourced by the benchmarks, from the repository root: racelab to
# measure (an absolute path: some run it from other folders), a private
# directory $work removed at exit, a clock, and the one way a figure is
# taken.
RACELAB=${RACELAB:-build/racelab}
[ -x "$RACELAB" ] || { echo "bench: build racelab first (make)" >&2; exit 2; }
RACELAB=$(cd "$(dirname "$RACELAB")" && pwd)/$(basename "$RACELAB")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# measured CMD...: run CMD (its exit status ignored: a failed verdict is
# a figure too) and set wall (seconds), user_s and sys_s (the CPU of CMD
# and of every process it waited for, GNU time).
measured() {
	t0=$(now)
	/usr/bin/time -f '%U %S' -o "$work/cpu" "$@" || true
	wall=$(elapsed "$t0" "$(now)")
	read -r user_s sys_s <"$work/cpu"
}

# The last measured command's wall time against the physical limit: all
# its CPU spread over every core (1.00: every core busy throughout).
limit_ratio() {
	awk -v w="$wall" -v u="$user_s" -v s="$sys_s" -v n="$(nproc)" \
		'BEGIN { printf "%.2f", w / ((u + s) / n) }'
}
