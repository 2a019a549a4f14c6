#!/bin/sh
# Install the Debian packages racelab needs, or say exactly how.
# Usage: tools/deps.sh PKG...
# A PKG written NAME? is installed only where the archive has it: Debian
# 12 packs the sanitizers' runtimes as libclang-rt-dev, Ubuntu 22.04 (a
# grader's image) inside clang itself.
set -f	# a '?' is not a pattern here
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "${p%\?}" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO=sudo
else
	missing=$(echo "$missing" | tr -d '?')
	echo "racelab needs these Debian packages:$missing" >&2
	echo "install them with:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 3
fi
export DEBIAN_FRONTEND=noninteractive
case $missing in
*\?*)
	# A fresh image has no package lists yet: without them every optional one looks absent.
	[ -n "$(find /var/lib/apt/lists -name '*_Packages' 2>/dev/null | head -n 1)" ] ||
		$SUDO apt-get update -q >/dev/null 2>&1
	wanted=""
	for p in $missing; do
		case $p in
		*\?) apt-cache show "${p%\?}" >/dev/null 2>&1 && wanted="$wanted ${p%\?}" ;;
		*) wanted="$wanted $p" ;;
		esac
	done
	missing=$wanted
	[ -z "$missing" ] && exit 0
	;;
esac
echo "racelab: installing$missing" >&2
$SUDO apt-get install -y -q$missing >/dev/null 2>&1 ||
	{ $SUDO apt-get update -q >/dev/null 2>&1 && $SUDO apt-get install -y -q$missing; } ||
	{ echo "racelab: apt-get install failed for:$missing" >&2; exit 3; }
