#!/bin/sh
# The student handout: the committed lab (HEAD) without solutions/, as
# build/racelab-student.tar.gz. git archive packs what is committed, never
# the working tree, so an instructor's local edits and built files stay out.
set -eu
cd "$(dirname "$0")/.."
out=build/racelab-student.tar.gz
mkdir -p build
git archive --format=tar.gz --prefix=racelab/ -o "$out" HEAD -- . ':(exclude)solutions'
if tar -tzf "$out" | grep -q '^racelab/solutions/'; then
	echo "dist-student: solutions leaked into $out" >&2
	exit 1
fi
echo "wrote $out ($(tar -tzf "$out" | grep -vc '/$') files from $(git rev-parse --short HEAD), no solutions/)"
