#!/bin/sh
# Installs the Debian packages aVisor needs to build, run and test.
# Only what is missing is installed. As root it runs apt-get itself;
# otherwise it prints the exact command to run and fails.
set -eu

PACKAGES="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
mtools dosfstools device-tree-compiler python3 python3-pytest python3-pexpect libcmocka-dev \
pkg-config clang clang-format cppcheck gdb-multiarch"

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ]; then
	exit 0
fi

echo "setup: missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "setup: run this as root, then try again:"
	echo "    apt-get update && apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends $missing
