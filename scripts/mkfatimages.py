#!/usr/bin/env python3
"""Usage: mkfatimages.py OUTDIR

Makes the FAT32 images that the FAT32 reader's unit tests read and its
fuzzer starts from, with mkfs.fat and mtools only (no root, no mounts).
Each IMAGE.img comes with IMAGE.manifest, what was put in it, one line each:

    d PATH                  a directory
    f SIZE CRC32 PATH       a file: size in bytes, zlib CRC-32 in hex

PATH is written as the reader shows names: characters outside printable
ASCII read as '?'. File contents are pseudo-random bytes seeded by the path.

  super.img     no partition table ("superfloppy"), 4 KiB clusters, the full
                tree (see add_full_tree); a sparse 260 MiB file, since mtools
                insists on at least 65525 clusters for FAT32
  mbr.img       MBR with partition 1 (type 0x0C) at block 2048, 512-byte
                clusters, the full tree
  mbrfake.img   made with mkfs.fat --mbr: the partition table is inside the
                volume's own boot sector and the partition starts at block 0
  compact.img   mbr.img's volume rewritten with a FAT just big enough for the
                clusters in use (fewer than 65525 clusters: FAT32 by its BPB
                layout, as Linux reads it), so it is small
  compact4k.img super.img compacted the same way
  small.img     a few 8.3-named files, compacted the same way (tens of KiB):
                the base of the corruption tests and a fuzzing seed
  smallmbr.img  small.img behind an MBR, partition 1 (type 0x0C) at block 63
  fat16.img     a FAT16 volume, which the reader must refuse
"""
import os
import random
import struct
import subprocess
import sys
import tempfile
import zlib

SECTOR = 512
MIB = 1 << 20

# Boot sector fields (byte offsets), named as in Microsoft's FAT specification.
BPB_SECPERCLUS = 13
BPB_RSVDSECCNT = 14
BPB_NUMFATS = 16
BPB_TOTSEC16 = 19
BPB_HIDDSEC = 28
BPB_TOTSEC32 = 32
BPB_FATSZ32 = 36
BPB_FSINFO = 48
BPB_BKBOOTSEC = 50
FSI_FREE_COUNT = 488
FSI_NXT_FREE = 492

MTOOLS_ENV = dict(os.environ, MTOOLS_SKIP_CHECK="1", LC_ALL="C.UTF-8")


def shown_path(path):
    """The path as the reader shows its names."""
    return "/".join("".join(c if 0x20 <= ord(c) < 0x7F else "?" for c in name)
                    for name in path.split("/"))


def content(path, size):
    return random.Random(zlib.crc32(path.encode())).randbytes(size)


def run(*args):
    subprocess.run(args, check=True, env=MTOOLS_ENV, stdout=subprocess.DEVNULL)


def mkfs(image, size_kib, *options, offset=0):
    """Creates image (sparse) and a FAT volume of size_kib KiB at sector offset."""
    with open(image, "wb") as f:
        f.truncate(offset * SECTOR + size_kib * 1024)
    run("mkfs.fat", *options, "--invariant", f"--offset={offset}", "-h", str(offset),
        image, str(size_kib))


def write_mbr(image, partitions):
    """Writes an MBR partition table: (type, start, blocks) per partition."""
    table = b""
    for ptype, start, blocks in partitions:
        # Addressed by LBA; the CHS fields hold the "beyond CHS" marker.
        table += bytes([0x00, 0xFE, 0xFF, 0xFF, ptype, 0xFE, 0xFF, 0xFF])
        table += struct.pack("<II", start, blocks)
    table += bytes(16 * (4 - len(partitions)))
    with open(image, "r+b") as f:
        f.seek(446)
        f.write(table + b"\x55\xaa")


class Volume:
    """A FAT volume in an image file, at a byte offset, filled with mtools."""

    def __init__(self, image, offset, staging):
        self.image = image
        self.offset = offset
        self.target = f"{image}@@{offset}" if offset else image
        self.staging = staging
        self.manifest = []

    def boot_sector(self):
        with open(self.image, "rb") as f:
            f.seek(self.offset)
            return f.read(SECTOR)

    def cluster_size(self):
        return self.boot_sector()[BPB_SECPERCLUS] * SECTOR

    def mkdir(self, path):
        run("mmd", "-i", self.target, "::" + path)
        self.manifest.append(f"d {shown_path(path)}")

    def add_files(self, directory, files):
        """Copies files [(name, size)] into directory with one mcopy."""
        local = []
        for name, size in files:
            path = f"{directory.rstrip('/')}/{name}"
            data = content(path, size)
            host = os.path.join(self.staging, name)
            with open(host, "wb") as f:
                f.write(data)
            local.append(host)
            self.manifest.append(f"f {size} {zlib.crc32(data):08x} {shown_path(path)}")
        run("mcopy", "-i", self.target, *local, "::" + directory)
        for host in local:
            os.remove(host)

    def delete(self, path):
        run("mdel", "-i", self.target, "::" + path)
        self.manifest = [line for line in self.manifest
                         if not line.endswith(" " + shown_path(path))]

    def forget_next_free(self):
        """Clears FSI_Nxt_Free, so mtools fills the first free clusters (the holes)."""
        fsinfo = struct.unpack_from("<H", self.boot_sector(), BPB_FSINFO)[0]
        with open(self.image, "r+b") as f:
            f.seek(self.offset + fsinfo * SECTOR + FSI_NXT_FREE)
            f.write(struct.pack("<I", 0xFFFFFFFF))

    def write_manifest(self, path):
        with open(path, "w", encoding="ascii") as f:
            f.write("\n".join(self.manifest) + "\n")


def add_basic_tree(vol):
    vol.add_files("/", [("README.TXT", 100), ("lower.txt", 50), ("Mixed Case Name.Data", 3000),
                        ("empty.bin", 0)])
    vol.mkdir("/docs")
    vol.add_files("/docs", [("a long file name in a subdirectory.md", 700)])


def add_full_tree(vol):
    """Many files, long names, nesting, cluster-boundary sizes, fragmentation."""
    c = vol.cluster_size()
    # First, while the root is empty: mtools grows a directory by one cluster
    # at most, and this name needs 21 entries (with 512-byte clusters they
    # cross a cluster boundary, which the reader must follow).
    vol.add_files("/", [("L" * 251 + ".txt", 10)])
    add_basic_tree(vol)
    vol.add_files("/", [("archive.tar.gz", 777), ("Caf\u00e9 au lait.txt", 12)])
    vol.mkdir("/emptydir")
    vol.mkdir("/sizes")
    sizes = {1, 511, 512, 513, c - 1, c, c + 1, 2 * c - 1, 2 * c, 2 * c + 1, 10 * c + 7}
    vol.add_files("/sizes", [(f"size-{n}.bin", n) for n in sorted(sizes)])
    # 300 entries with long names: about 38 KiB of directory, several clusters.
    vol.mkdir("/many")
    vol.add_files("/many", [(f"entry number {i:03d} with a long name.txt", i * 97 % 2000)
                            for i in range(300)])
    for d in ("/a", "/a/b", "/a/b/c", "/a/b/c/d", "/a/b/c/d/e"):
        vol.mkdir(d)
    vol.add_files("/a/b/c/d/e", [("deep file.txt", 1234)])
    vol.add_files("/a", [("sibling.txt", 99)])
    vol.add_files("/a/b", [("another.bin", 5000)])
    vol.add_files("/", [("big.bin", 300 * 1024)])
    # Fragmentation: one-cluster files, every other one deleted, then a file
    # that fills the holes before it continues at the end.
    vol.mkdir("/frag")
    vol.add_files("/frag", [(f"pad-{i:02d}.bin", c) for i in range(64)])
    for i in range(0, 64, 2):
        vol.delete(f"/frag/pad-{i:02d}.bin")
    vol.forget_next_free()
    vol.add_files("/frag", [("fragmented.bin", 40 * c + 123)])


def add_small_tree(vol):
    """8.3 names (easy to find and patch in the corruption tests)."""
    vol.add_files("/", [("LOOP.BIN", 8 * vol.cluster_size()), ("SMALL.TXT", 100),
                        ("EMPTY.TXT", 0), ("Long File Name.txt", 20)])
    vol.mkdir("/SUB")
    vol.add_files("/SUB", [("INNER.TXT", 600)])


def compact(src, src_offset, dst, slack=64):
    """Rewrites the volume at src_offset with a FAT covering only the clusters in use."""
    with open(src, "rb") as f:
        f.seek(src_offset)
        bs = f.read(SECTOR)
        per_cluster = bs[BPB_SECPERCLUS]
        reserved, = struct.unpack_from("<H", bs, BPB_RSVDSECCNT)
        fats = bs[BPB_NUMFATS]
        fat_size, = struct.unpack_from("<I", bs, BPB_FATSZ32)
        f.seek(src_offset)
        head = bytearray(f.read(reserved * SECTOR))
        fat = f.read(fat_size * SECTOR)
        entries = struct.unpack_from(f"<{len(fat) // 4}I", fat)
        last_used = max(n for n in range(2, len(entries)) if entries[n] & 0x0FFFFFFF)
        clusters = last_used - 1 + slack
        new_fat_size = -(-(clusters + 2) * 4 // SECTOR)
        data_start = reserved + fats * new_fat_size
        total = data_start + clusters * per_cluster
        f.seek(src_offset + (reserved + fats * fat_size) * SECTOR)
        data = f.read((last_used - 1) * per_cluster * SECTOR)

    backup, = struct.unpack_from("<H", head, BPB_BKBOOTSEC)
    for sector in {0, backup}:
        base = sector * SECTOR
        struct.pack_into("<H", head, base + BPB_TOTSEC16, 0)
        struct.pack_into("<I", head, base + BPB_HIDDSEC, 0)
        struct.pack_into("<I", head, base + BPB_TOTSEC32, total)
        struct.pack_into("<I", head, base + BPB_FATSZ32, new_fat_size)
    fsinfo, = struct.unpack_from("<H", head, BPB_FSINFO)
    struct.pack_into("<II", head, fsinfo * SECTOR + FSI_FREE_COUNT, 0xFFFFFFFF, 0xFFFFFFFF)

    image = bytearray(total * SECTOR)
    image[:len(head)] = head
    for i in range(fats):
        start = (reserved + i * new_fat_size) * SECTOR
        image[start:start + (clusters + 2) * 4] = fat[:(clusters + 2) * 4]
    image[data_start * SECTOR:data_start * SECTOR + len(data)] = data
    with open(dst, "wb") as f:
        f.write(image)


def build(outdir, staging):
    def path(name):
        return os.path.join(outdir, name)

    super_img = path("super.img")
    mkfs(super_img, 260 * 1024, "-F", "32", "-s", "8", "-n", "AVISORTEST")
    vol = Volume(super_img, 0, staging)
    add_full_tree(vol)
    vol.write_manifest(path("super.manifest"))
    compact(super_img, 0, path("compact4k.img"))
    vol.write_manifest(path("compact4k.manifest"))

    mbr_img = path("mbr.img")
    start, blocks = 2048, 40 * MIB // SECTOR
    mkfs(mbr_img, blocks // 2, "-F", "32", "-s", "1", "-n", "MBRTEST", offset=start)
    write_mbr(mbr_img, [(0x0C, start, blocks)])
    vol = Volume(mbr_img, start * SECTOR, staging)
    add_full_tree(vol)
    vol.write_manifest(path("mbr.manifest"))
    compact(mbr_img, start * SECTOR, path("compact.img"))
    vol.write_manifest(path("compact.manifest"))

    fake_img = path("mbrfake.img")
    mkfs(fake_img, 72 * 1024, "-F", "32", "-s", "2", "--mbr=y")
    vol = Volume(fake_img, 0, staging)
    add_basic_tree(vol)
    vol.write_manifest(path("mbrfake.manifest"))

    work = path("small-work.img")
    mkfs(work, 40 * 1024, "-F", "32", "-s", "1", "-n", "SMALL")
    vol = Volume(work, 0, staging)
    add_small_tree(vol)
    compact(work, 0, path("small.img"))
    os.remove(work)
    vol.write_manifest(path("small.manifest"))

    small_mbr = path("smallmbr.img")
    with open(path("small.img"), "rb") as f:
        small = f.read()
    with open(small_mbr, "wb") as f:
        f.write(bytes(63 * SECTOR) + small)
    write_mbr(small_mbr, [(0x0C, 63, len(small) // SECTOR)])
    vol.write_manifest(path("smallmbr.manifest"))

    mkfs(path("fat16.img"), 8 * 1024, "-F", "16", "-s", "1")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        build(outdir, staging)


if __name__ == "__main__":
    main()
