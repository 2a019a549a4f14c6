#!/bin/sh
# make check: the unit tests and `racelab verify` of the whole catalogue
# side by side. Each alone leaves part of a 2-CPU machine idle (runs that
# sleep, wait out a stall window or need the machine to themselves); side
# by side they take about 15 % less time, and a verdict that held only on a
# quiet machine shows here (docs/bench.md, docs/decisions.md).
#
# Usage: check.sh UNIT JOBS RACELAB VERIFY-ARG...
#
# The unit tests' report (failures and their count) is kept and shown after
# verify's, which is printed as it goes. The exit status is 0 when both
# passed, else the first failure's (unit tests first).
set -u
if [ $# -lt 3 ]; then
	echo "usage: check.sh UNIT JOBS RACELAB VERIFY-ARG..." >&2
	exit 2
fi
unit=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") jobs=$2 racelab=$3
shift 3
log=$(mktemp "${TMPDIR:-/tmp}/racelab-unit.XXXXXX") || exit 2
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT TERM

echo "unit tests: running beside verify; their report follows verify's"
(cd tests && exec "$unit" --jobs "$jobs" --short-filename) >"$log" 2>&1 &
upid=$!
"$racelab" "$@"
vrc=$?
wait "$upid"
urc=$?
echo
echo "unit tests:"
cat "$log"
[ "$urc" -ne 0 ] && exit "$urc"
exit "$vrc"
