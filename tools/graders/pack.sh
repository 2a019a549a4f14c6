#!/bin/sh
# The package an online grader is given: the committed lab (HEAD) without
# solutions/, racelab's sources to build it, and the grader's entry point
# (docs/instructors.md). Unlike the student handout it keeps every
# lab.ini whole, hidden cases included: it is read by the grader only.
#
# Usage: tools/graders/pack.sh gradescope|prairielearn|autolab [DIR]
#   gradescope    DIR/racelab-gradescope.zip: setup.sh, run_autograder, racelab/
#   prairielearn  DIR/racelab-prairielearn/: serverFilesCourse/racelab/, one
#                 question per exercise in questions/racelab/, a Dockerfile
#   autolab       DIR/racelab-autolab/: autograde-Makefile, autograde.tar
# DIR defaults to build/. GRADE_FLAGS: flags every grading passes to
# racelab grade (e.g. "--repeat 5"); GRADE_PKGS: the Debian packages the
# grader's image needs (the Makefile's list); PL_IMAGE: the Docker image
# PrairieLearn questions name; RACELAB: the racelab that reads each
# lab.ini for the questions (default build/racelab). Needs jq.
set -eu
grader=${1:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mkdir -p "${2:-$here/build}" && cd "${2:-$here/build}" && pwd)
: "${GRADE_FLAGS:=}" "${GRADE_PKGS:?GRADE_PKGS: the packages to install (make $grader sets it)}"
: "${PL_IMAGE:=racelab/grader}" "${RACELAB:=$here/build/racelab}"
case $grader in
gradescope | prairielearn | autolab) ;;
*)
	echo "usage: pack.sh gradescope|prairielearn|autolab [DIR]" >&2
	exit 2
	;;
esac
cd "$here"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The lab as committed: what racelab needs to build and to grade.
lab=$tmp/racelab
git archive --format=tar --prefix=racelab/ HEAD -- Makefile harness include exercises tools |
	tar -x -C "$tmp"
printf '%s\n' "$GRADE_PKGS" >"$lab/tools/graders/packages"
printf '%s\n' "$GRADE_FLAGS" >"$lab/grade.flags"
rev=$(git rev-parse --short HEAD)

# Each exercise's title and files as racelab reads its lab.ini (racelab
# list); fails when lab.ini does not give them.
exercise_key() {
	jq -er --arg ex "$1" --arg key "$2" \
		'.exercises[] | select(.exercise == $ex) | .[$key] | if type == "array" then join(", ") else . end' \
		"$tmp/list.json"
}

# A question's uuid is PrairieLearn's name for it: the same exercise keeps the same one.
uuid_of() {
	printf 'racelab question %s' "$1" | md5sum |
		sed 's/^\(.\{8\}\)\(.\{4\}\)\(.\{4\}\)\(.\{4\}\)\(.\{12\}\).*/\1-\2-\3-\4-\5/'
}

case $grader in
gradescope)
	cp "$lab/tools/graders/gradescope/setup.sh" "$lab/tools/graders/gradescope/run_autograder" "$tmp/"
	chmod 755 "$tmp/setup.sh" "$tmp/run_autograder"
	rm -f "$out/racelab-gradescope.zip"
	# setup.sh and run_autograder at the zip's root, not in a folder: Gradescope looks there.
	(cd "$tmp" && zip -qr -X "$out/racelab-gradescope.zip" setup.sh run_autograder racelab)
	echo "wrote $out/racelab-gradescope.zip (the lab of $rev, with hidden cases)"
	;;
prairielearn)
	dest=$out/racelab-prairielearn
	rm -rf "$dest"
	mkdir -p "$dest/serverFilesCourse" "$dest/questions/racelab"
	mv "$lab" "$dest/serverFilesCourse/racelab"
	lab=$dest/serverFilesCourse/racelab
	(cd "$lab" && "$RACELAB" list --json) >"$tmp/list.json"
	for ini in "$lab"/exercises/*/lab.ini; do
		ex=$(basename "$(dirname "$ini")")
		q=$dest/questions/racelab/$ex
		mkdir -p "$q/tests"
		echo "$ex" >"$q/tests/exercise"
		files=$(exercise_key "$ex" sources)
		title=$(exercise_key "$ex" title)
		jq -n --arg uuid "$(uuid_of "$ex")" --arg title "$ex: $title" \
			--arg image "$PL_IMAGE" '{
			uuid: $uuid, title: $title, topic: "Concurrency", tags: ["racelab"],
			type: "v3", singleVariant: true, gradingMethod: "External",
			externalGradingOptions: {
				enabled: true, image: $image, serverFilesCourse: ["racelab/"],
				entrypoint: "/grade/serverFilesCourse/racelab/tools/graders/prairielearn/run.sh",
				timeout: 600
			}
		}' >"$q/info.json"
		cat >"$q/question.html" <<-HTML
		<pl-question-panel>
		  <p>Exercise <code>$ex</code> of racelab: fix the program its README describes, then
		  upload the files you changed. racelab builds and runs them under every checker.</p>
		</pl-question-panel>
		<pl-file-upload file-names="$files"></pl-file-upload>
		<pl-submission-panel>
		  <pl-external-grader-results></pl-external-grader-results>
		  <pl-file-preview></pl-file-preview>
		</pl-submission-panel>
		HTML
	done
	# The grading image: the packages racelab needs; racelab itself is built at each grading.
	cat >"$dest/Dockerfile" <<-DOCKER
	FROM ubuntu:22.04
	COPY serverFilesCourse/racelab/tools/deps.sh serverFilesCourse/racelab/tools/graders/packages /tmp/racelab/
	RUN apt-get update && sh /tmp/racelab/deps.sh \$(cat /tmp/racelab/packages) && rm -rf /var/lib/apt/lists/* /tmp/racelab
	DOCKER
	echo "wrote $dest/ (the lab of $rev, with hidden cases; image $PL_IMAGE)"
	;;
autolab)
	dest=$out/racelab-autolab
	rm -rf "$dest"
	mkdir -p "$dest"
	cp "$lab/tools/graders/autolab/autograde-Makefile" "$dest/"
	tar -cf "$dest/autograde.tar" -C "$tmp" --sort=name --owner=0 --group=0 --numeric-owner racelab
	echo "wrote $dest/ (autograde-Makefile, autograde.tar: the lab of $rev, with hidden cases)"
	;;
esac
