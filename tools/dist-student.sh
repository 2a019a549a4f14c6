#!/bin/sh
# The student handout: the lab without solutions/, as build/racelab-student.tar.gz.
# Only tracked files go in, so nothing built or private leaks out.
set -eu
cd "$(dirname "$0")/.."
out=build/racelab-student.tar.gz
mkdir -p build
git ls-files -z | grep -zv '^solutions/' |
	tar --null --files-from=- --transform 's,^,racelab/,' -czf "$out"
if tar -tzf "$out" | grep -q '^racelab/solutions/'; then
	echo "dist-student: solutions leaked into $out" >&2
	exit 1
fi
echo "wrote $out ($(tar -tzf "$out" | wc -l) files, no solutions/)"
