#!/bin/sh
# The student handout: the committed lab (HEAD) without solutions/ and
# without lab.ini's hidden cases, as build/racelab-student.tar.gz. git
# archive packs what is committed, never the working tree, so an
# instructor's local edits and built files stay out.
set -eu
cd "$(dirname "$0")/.."
out=build/racelab-student.tar.gz
racelab=${RACELAB:-build/racelab}
[ -x "$racelab" ] || { echo "dist-student: build racelab first (make)" >&2; exit 2; }
racelab=$(cd "$(dirname "$racelab")" && pwd)/$(basename "$racelab")
mkdir -p build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git archive --format=tar --prefix=racelab/ HEAD -- . ':(exclude)solutions' | tar -x -C "$tmp"

# A [case NAME] section with `hidden = yes` is the instructor's: it and
# the file only it feeds on stdin leave the handout (docs/lab-ini.md).
# racelab finds them with the reader that runs them.
"$racelab" handout "$tmp/racelab"

tar -czf "$out" -C "$tmp" --sort=name --owner=0 --group=0 --numeric-owner racelab
if tar -tzf "$out" | grep -q '^racelab/solutions/'; then
	echo "dist-student: solutions leaked into $out" >&2
	exit 1
fi
if tar -xzOf "$out" --wildcards 'racelab/exercises/*/lab.ini' 2>/dev/null | grep -Eq '^[[:space:]]*hidden[[:space:]]*[=:][[:space:]]*(yes|true|1)'; then
	echo "dist-student: a hidden case leaked into $out" >&2
	exit 1
fi
echo "wrote $out ($(tar -tzf "$out" | grep -vc '/$') files from $(git rev-parse --short HEAD), no solutions/, no hidden cases)"
