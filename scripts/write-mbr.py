#!/usr/bin/env python3
"""Usage: write-mbr.py IMAGE START_SECTOR SECTOR_COUNT [START SECTORS TYPE ...]

Writes a DOS partition table (MBR) into the first sector of IMAGE. The first
partition is type 0x0C (FAT32 with LBA addressing), from START_SECTOR for
SECTOR_COUNT 512-byte sectors, marked bootable; each further triple adds a
partition of TYPE (hex, e.g. 83 for Linux), up to four in all. Only the table
and the 0x55AA signature are written; the rest of sector 0 is left as it is.
"""
import struct
import sys


def chs_unused():
    # Cards are addressed by LBA; CHS fields are set to the "too big" marker.
    return bytes([0xFE, 0xFF, 0xFF])


def entry(boot, ptype, start, count):
    return (bytes([0x80 if boot else 0x00]) + chs_unused() + bytes([ptype]) + chs_unused()
            + struct.pack("<II", start, count))


def main():
    args = sys.argv[2:]
    if len(args) < 2 or (len(args) - 2) % 3 or len(args) > 11:
        sys.exit(__doc__)
    image = sys.argv[1]
    table = entry(True, 0x0C, int(args[0]), int(args[1]))
    for i in range(2, len(args), 3):
        table += entry(False, int(args[i + 2], 16), int(args[i]), int(args[i + 1]))
    with open(image, "r+b") as f:
        f.seek(446)
        f.write(table + bytes(64 - len(table)))
        f.write(b"\x55\xaa")


if __name__ == "__main__":
    main()
