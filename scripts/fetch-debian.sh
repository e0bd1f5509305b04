#!/bin/sh
# Usage: fetch-debian.sh CACHE_DIR [firmware]
# Fetches the third-party software aVisor uses, as Debian ships it, into
# CACHE_DIR (never committed): the .deb files in CACHE_DIR/debs and their
# contents in CACHE_DIR/<package>/. A package already unpacked is kept.
#
# Without a second argument, the guests (arm64, from the system's apt sources):
#   u-boot-rpi          Das U-Boot for the Raspberry Pi (we use rpi_3)
#   linux-image-arm64   Debian's kernel, for bcm2837-rpi-3-b.dtb (and Linux)
#   busybox-static      a static busybox for a Linux initramfs
# Needs the arm64 architecture enabled in dpkg (scripts/setup.sh does it).
#
# With "firmware": raspi-firmware, the Raspberry Pi's boot firmware
# (bootcode.bin, start.elf, fixup.dat), for a card that boots a real Pi 3.
# It is in Debian's non-free-firmware component, which the system's sources
# may not list, so apt reads a private sources list and keeps its package
# lists in CACHE_DIR/apt: the system's apt configuration is not changed.
set -eu
cache=$1
what=${2:-guests}
mkdir -p "$cache/debs"
cd "$cache/debs"

# fetch PACKAGE[:ARCH] [apt-get options...]: download and unpack one package.
fetch() {
	spec=$1
	shift
	pkg=${spec%%:*}
	if [ -d "../$pkg" ]; then
		return 0
	fi
	rm -f "${pkg}"_*.deb
	# apt-get download writes as the _apt user when it can; our folder may be root's.
	apt-get "$@" download -o APT::Sandbox::User=root "$spec" >/dev/null
	deb=$(ls "${pkg}"_*.deb | head -n 1)
	rm -rf "../$pkg.tmp"
	dpkg-deb -x "$deb" "../$pkg.tmp"
	mv "../$pkg.tmp" "../$pkg"
	echo "fetched $deb"
}

if [ "$what" = firmware ]; then
	apt_dir=$(cd .. && pwd)/apt
	# The running Debian release (bookworm, trixie, ...), for the suite.
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	if [ -z "$codename" ]; then
		echo "fetch-debian: /etc/os-release names no Debian release (VERSION_CODENAME)" >&2
		exit 1
	fi
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/sources.list.d"
	echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]" \
		"http://deb.debian.org/debian $codename non-free-firmware" >"$apt_dir/sources.list"
	set -- -o Dir::Etc::sourcelist="$apt_dir/sources.list" \
		-o Dir::Etc::sourceparts="$apt_dir/sources.list.d" \
		-o Dir::State::Lists="$apt_dir/lists" -o Dir::Cache="$apt_dir/cache" \
		-o APT::Sandbox::User=root
	if [ ! -d ../raspi-firmware ]; then
		apt-get "$@" -q update >/dev/null
	fi
	fetch raspi-firmware "$@"
	exit 0
fi

# The kernel metapackage names the current versioned image package.
kernel=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null |
	sed -n 's/.*Depends: \(linux-image-[0-9][^:]*\).*/\1/p' | head -n 1)
if [ -z "$kernel" ]; then
	echo "fetch-debian: cannot resolve linux-image-arm64:arm64 — is the arm64 architecture" >&2
	echo "enabled? (as root: dpkg --add-architecture arm64 && apt-get update)" >&2
	exit 1
fi

for pkg in u-boot-rpi "$kernel" busybox-static; do
	fetch "$pkg:arm64"
done
# Stable names for the Makefile, whatever the versions.
ln -sfn "$kernel" ../linux-image
