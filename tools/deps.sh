#!/bin/sh
# Install the Debian packages racelab needs, or say exactly how.
# Usage: tools/deps.sh PKG...
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO=sudo
else
	echo "racelab needs these Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 3
fi
echo "racelab: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q$missing >/dev/null 2>&1 ||
	{ $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q$missing; } ||
	{ echo "racelab: apt-get install failed for:$missing" >&2; exit 3; }
