#!/bin/sh
# Usage: fetch-debian.sh CACHE_DIR
# Fetches the third-party guest software aVisor runs, as Debian ships it for
# arm64, into CACHE_DIR (never committed): the .deb files in CACHE_DIR/debs
# and their contents in CACHE_DIR/<package>/.
#   u-boot-rpi          Das U-Boot for the Raspberry Pi (we use rpi_3)
#   linux-image-arm64   Debian's kernel, for bcm2837-rpi-3-b.dtb (and Linux)
#   busybox-static      a static busybox for a Linux initramfs
# Needs the arm64 architecture enabled in dpkg (scripts/setup.sh does it).
set -eu
cache=$1
mkdir -p "$cache/debs"
cd "$cache/debs"

# The kernel metapackage names the current versioned image package.
kernel=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/.*Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
if [ -z "$kernel" ]; then
	echo "fetch-debian: cannot resolve linux-image-arm64:arm64 — is the arm64 architecture" >&2
	echo "enabled? (as root: dpkg --add-architecture arm64 && apt-get update)" >&2
	exit 1
fi

for pkg in u-boot-rpi "$kernel" busybox-static; do
	if [ -d "../$pkg" ]; then
		continue
	fi
	rm -f "${pkg}"_*.deb
	# apt-get download writes as the _apt user when it can; our folder may be root's.
	apt-get download -o APT::Sandbox::User=root "$pkg:arm64" >/dev/null
	deb=$(ls "${pkg}"_*_arm64.deb | head -n 1)
	dpkg-deb -x "$deb" "../$pkg.tmp"
	mv "../$pkg.tmp" "../$pkg"
	echo "fetched $deb"
done
# Stable names for the Makefile, whatever the versions.
ln -sfn "$kernel" ../linux-image
