#!/usr/bin/env python3
"""Usage: write-mbr.py IMAGE START_SECTOR SECTOR_COUNT

Writes a DOS partition table (MBR) into the first sector of IMAGE with one
partition: type 0x0C (FAT32 with LBA addressing), from START_SECTOR for
SECTOR_COUNT 512-byte sectors, marked bootable. Only the table and the
0x55AA signature are written; the rest of sector 0 is left as it is.
"""
import struct
import sys


def chs_unused():
    # Cards are addressed by LBA; CHS fields are set to the "too big" marker.
    return bytes([0xFE, 0xFF, 0xFF])


def main():
    image, start, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    entry = (bytes([0x80]) + chs_unused() + bytes([0x0C]) + chs_unused()
             + struct.pack("<II", start, count))
    with open(image, "r+b") as f:
        f.seek(446)
        f.write(entry + bytes(16 * 3))
        f.write(b"\x55\xaa")


if __name__ == "__main__":
    main()
