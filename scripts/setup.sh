#!/bin/sh
# Installs the Debian packages aVisor needs to build, run and test.
# Only what is missing is installed. As root it runs apt-get itself;
# otherwise it prints the exact command to run and fails.
set -eu

# libtsan2 is GCC 12's ThreadSanitizer runtime (for the unit tests in
# UNIT_TSAN_TESTS). gcc already pulls it in through libgcc-12-dev; it is
# listed so that setup checks for it by name.
PACKAGES="make gcc libc6-dev gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm \
mtools dosfstools e2fsprogs device-tree-compiler cpio python3 python3-pytest python3-pexpect libcmocka-dev \
pkg-config clang libclang-rt-14-dev clang-format cppcheck gdb-multiarch gnuplot-nox libtsan2"

# Guests from Debian's arm64 packages (U-Boot, the kernel's device trees,
# busybox) are downloaded with apt-get, which needs the arm64 architecture.
need_arm64=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
	need_arm64=1
fi

missing=""
for pkg in $PACKAGES; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	case "$status" in
	"install ok installed") ;;
	*) missing="$missing $pkg" ;;
	esac
done

if [ -z "$missing" ] && [ $need_arm64 -eq 0 ]; then
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "setup: missing:${missing:+ Debian packages$missing}$([ $need_arm64 -eq 1 ] && echo ' the arm64 package architecture')"
	echo "setup: run this as root, then try again:"
	[ $need_arm64 -eq 1 ] && echo "    dpkg --add-architecture arm64"
	echo "    apt-get update${missing:+ && apt-get install -y$missing}"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ $need_arm64 -eq 1 ]; then
	echo "setup: enabling the arm64 package architecture (for guest software)"
	dpkg --add-architecture arm64
fi
apt-get update
if [ -n "$missing" ]; then
	echo "setup: installing:$missing"
	apt-get install -y --no-install-recommends $missing
fi
