#!/bin/sh
# The student handout: the committed lab (HEAD) without solutions/ and
# without lab.ini's hidden cases, as build/racelab-student.tar.gz. git
# archive packs what is committed, never the working tree, so an
# instructor's local edits and built files stay out.
set -eu
cd "$(dirname "$0")/.."
out=build/racelab-student.tar.gz
mkdir -p build
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git archive --format=tar --prefix=racelab/ HEAD -- . ':(exclude)solutions' | tar -x -C "$tmp"

# A [case NAME] section with `hidden = yes` is the instructor's: it and
# the file it feeds on stdin leave the handout (docs/lab-ini.md).
for ini in "$tmp"/racelab/exercises/*/lab.ini; do
	[ -f "$ini" ] || continue
	dir=$(dirname "$ini")
	awk -v dropped="$tmp/dropped" '
		function flush() {
			if (!hidden) printf "%s", buf
			else if (input != "") print input > dropped
			buf = ""; hidden = 0; input = ""
		}
		/^[ \t]*\[/ { flush(); incase = ($0 ~ /^[ \t]*\[[ \t]*case[ \t]/) }
		{ buf = buf $0 "\n" }
		incase && /^[ \t]*hidden[ \t]*[=:][ \t]*(yes|true|1)([ \t;#]|$)/ { hidden = 1 }
		incase && /^[ \t]*stdin[ \t]*[=:]/ {
			v = $0; sub(/^[^=:]*[=:][ \t]*/, "", v); sub(/[ \t]+[;#].*$/, "", v); sub(/[ \t]+$/, "", v)
			input = v
		}
		END { flush() }
	' "$ini" > "$ini.new"
	mv "$ini.new" "$ini"
	if [ -f "$tmp/dropped" ]; then
		while read -r f; do
			# still fed by a case the students see: keep it
			grep -Eq "^[[:space:]]*stdin[[:space:]]*[=:][[:space:]]*$f([[:space:];#]|\$)" "$ini" ||
				rm -f "$dir/$f"
		done < "$tmp/dropped"
		rm -f "$tmp/dropped"
	fi
done

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
