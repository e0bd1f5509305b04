#!/bin/sh
# Usage: mkrootfs.sh DIR OUTPUT SIZE_MIB
# Makes an ext4 file system image of SIZE_MIB MiB holding DIR, without root
# privileges or mounts: mke2fs -d copies the tree in (e2fsprogs), then
# debugfs gives every inode owner root (uid 0, gid 0), whoever built it —
# the Linux guest runs as root. Fixed UUID, hash seed and time: the same
# tree gives the same image. The inode tables and the journal are written
# now (no lazy_itable_init), or the kernel's ext4lazyinit thread would
# write megabytes of zeros on the guest's first boot. Used as partition 2 of the card (mksdcard.sh).
set -eu
dir=$1
out=$2
size_mib=$3
tmp="$out.tmp"
rm -f "$tmp" "$tmp.cmds"
export E2FSPROGS_FAKE_TIME=1700000000
mke2fs -q -F -t ext4 -L avisor-root -U 6176e8f0-0000-4000-8000-000000000016 \
	-E hash_seed=6176e8f0-0000-4000-8000-000000000016,root_owner=0:0,lazy_itable_init=0,lazy_journal_init=0 \
	-d "$dir" "$tmp" "${size_mib}M"
(cd "$dir" && find . -mindepth 1) | sed 's|^\.||' | while read -r path; do
	echo "set_inode_field \"$path\" uid 0"
	echo "set_inode_field \"$path\" gid 0"
done >"$tmp.cmds"
debugfs -w -f "$tmp.cmds" "$tmp" >/dev/null 2>&1
rm -f "$tmp.cmds"
e2fsck -fn "$tmp" >/dev/null 2>&1 || { e2fsck -fn "$tmp" >&2; exit 1; }
mv "$tmp" "$out"
echo "built $out ($size_mib MiB ext4, $(cd "$dir" && find . | wc -l) entries)"
