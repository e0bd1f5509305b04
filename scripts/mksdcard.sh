#!/bin/sh
# Usage: mksdcard.sh [--partitioned] OUTPUT SIZE_MIB [CARD_PATH=HOST_FILE ...]
# Makes a FAT32 image of SIZE_MIB MiB (QEMU's SD card needs a power of two)
# with mkfs.fat and copies each HOST_FILE to CARD_PATH with mtools (no root,
# no mounts); directories in CARD_PATH are created.
# --partitioned: an MBR with one FAT32 (LBA) partition from 1 MiB to the end,
# as the Raspberry Pi's boot ROM expects; without it the whole image is one
# FAT32 volume ("superfloppy"), which is what QEMU boots with.
set -eu
partitioned=0
if [ "$1" = "--partitioned" ]; then
	partitioned=1
	shift
fi
out=$1
size_mib=$2
shift 2
tmp="$out.tmp"
rm -f "$tmp"
if [ $partitioned -eq 1 ]; then
	start=2048 # sectors: the partition starts at 1 MiB
	sectors=$((size_mib * 2048 - start))
	truncate -s "${size_mib}M" "$tmp"
	# -h: the boot sector's hidden-sectors field says where the partition
	# starts; some firmware and tools use it to find the volume.
	mkfs.fat -F 32 -n AVISOR --offset $start -h $start "$tmp" $((sectors / 2)) >/dev/null
	python3 "$(dirname "$0")/write-mbr.py" "$tmp" $start $sectors
	img="$tmp@@$((start * 512))"
else
	mkfs.fat -F 32 -n AVISOR -C "$tmp" $((size_mib * 1024)) >/dev/null
	img="$tmp"
fi
count=0
for spec in "$@"; do
	dest=${spec%%=*}
	src=${spec#*=}
	dir=$(dirname "$dest")
	if [ "$dir" != "." ]; then
		mmd -i "$img" -D s "::$dir" 2>/dev/null || true
	fi
	mcopy -i "$img" -o "$src" "::$dest"
	count=$((count + 1))
done
mv "$tmp" "$out"
layout=$([ $partitioned -eq 1 ] && echo "MBR + FAT32 partition" || echo "FAT32")
echo "built $out ($size_mib MiB, $layout, $count files)"
