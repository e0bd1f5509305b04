#!/bin/sh
# Usage: linux-image.sh VMLINUZ OUT
# Debian's arm64 /boot/vmlinuz is the kernel's Image, gzip-compressed in some
# releases and not in others (6.1 on bookworm ships it uncompressed). The
# arm64 boot protocol needs the plain Image (no decompressor of its own), so
# decompress it if it is gzip, then check the Image header: magic "ARM\x64"
# at offset 56 (Documentation/arm64/booting.rst). Prints text_offset and
# image_size, which decide where the kernel may be loaded.
set -eu
in=$1
out=$2
if [ "$(od -An -tx1 -N2 "$in" | tr -d ' ')" = "1f8b" ]; then
	gzip -dc "$in" >"$out.tmp"
	how="decompressed"
else
	cp "$in" "$out.tmp"
	how="copied"
fi
if [ "$(od -An -c -j56 -N3 "$out.tmp" | tr -d ' ')" != "ARM" ]; then
	rm -f "$out.tmp"
	echo "linux-image: $in is not an arm64 kernel Image (no ARM\\x64 magic at offset 56)" >&2
	exit 1
fi
le64() { od -An -tu8 -j"$1" -N8 "$out.tmp" | tr -d ' '; }
text_offset=$(le64 8)
image_size=$(le64 16)
mv "$out.tmp" "$out"
printf 'linux-image: %s %s: %s bytes, text_offset 0x%x, image_size 0x%x\n' "$how" "$in" \
	"$(wc -c <"$out")" "$text_offset" "$image_size"
