#!/bin/sh
# Usage: mksdcard.sh OUTPUT FILE...
# Makes a 64 MiB FAT32 image (the smallest power of two that FAT32 with
# 512-byte clusters fits comfortably) and copies FILE... into its root.
set -eu
out=$1
shift
size_kib=65536
tmp="$out.tmp"
rm -f "$tmp"
mkfs.fat -F 32 -n AVISOR -C "$tmp" "$size_kib" >/dev/null
for f in "$@"; do
	mcopy -i "$tmp" -o "$f" "::$(basename "$f")"
done
mv "$tmp" "$out"
echo "built $out ($(stat -c %s "$out") bytes, FAT32, $# file(s))"
