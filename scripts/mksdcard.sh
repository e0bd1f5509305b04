#!/bin/sh
# Usage: mksdcard.sh [--partitioned] [--rootfs EXT4_IMAGE] OUTPUT SIZE_MIB [CARD_PATH=HOST_FILE ...]
# Makes a FAT32 image of SIZE_MIB MiB (QEMU's SD card needs a power of two)
# with mkfs.fat and copies each HOST_FILE to CARD_PATH with mtools (no root,
# no mounts); directories in CARD_PATH are created.
# --partitioned: an MBR with one FAT32 (LBA) partition from 1 MiB to the end,
# as the Raspberry Pi's boot ROM expects; without it the whole image is one
# FAT32 volume ("superfloppy").
# --rootfs EXT4_IMAGE (implies --partitioned): partition 2, type 0x83, holds
# EXT4_IMAGE (made by mkrootfs.sh) at the end of the card; the FAT32
# partition gets the space from 1 MiB up to it. The Linux VM's disk
# (disk=sd:2, docs/guests.md).
set -eu
partitioned=0
rootfs=""
while [ $# -gt 0 ]; do
	case "$1" in
	--partitioned) partitioned=1; shift ;;
	--rootfs) partitioned=1; rootfs=$2; shift 2 ;;
	*) break ;;
	esac
done
out=$1
size_mib=$2
shift 2
tmp="$out.tmp"
rm -f "$tmp"
if [ $partitioned -eq 1 ]; then
	start=2048 # sectors: the partition starts at 1 MiB
	root_sectors=0
	if [ -n "$rootfs" ]; then
		root_sectors=$(($(stat -c %s "$rootfs") / 512))
	fi
	sectors=$((size_mib * 2048 - start - root_sectors))
	truncate -s "${size_mib}M" "$tmp"
	# -h: the boot sector's hidden-sectors field says where the partition
	# starts; some firmware and tools use it to find the volume.
	# With a partition after it, mkfs.fat warns that the file is larger than
	# the volume: its output is shown only if it fails.
	mkfs.fat -F 32 -n AVISOR --offset $start -h $start "$tmp" $((sectors / 2)) >"$tmp.log" 2>&1 ||
		{ cat "$tmp.log" >&2; exit 1; }
	rm -f "$tmp.log"
	if [ -n "$rootfs" ]; then
		root_start=$((start + sectors))
		dd if="$rootfs" of="$tmp" bs=512 seek=$root_start conv=notrunc,sparse status=none
		python3 "$(dirname "$0")/write-mbr.py" "$tmp" $start $sectors $root_start $root_sectors 83
	else
		python3 "$(dirname "$0")/write-mbr.py" "$tmp" $start $sectors
	fi
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
[ -n "$rootfs" ] && layout="$layout + ext4 partition 2 ($((root_sectors / 2048)) MiB)"
echo "built $out ($size_mib MiB, $layout, $count files)"
