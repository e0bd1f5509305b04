"""The SD card image's layout, for the scripts and tests that change it with mtools.

build/sdcard.img has an MBR: partition 1 is the FAT32 volume, partition 2
the Linux VM's ext4 disk; build/test-sdcard.img is one FAT32 volume from
block 0 ("superfloppy"). mtools reaches a volume inside an image as
IMAGE@@BYTE_OFFSET.
"""
import struct

SECTOR = 512


def partition(image, number):
    """(first sector, sectors, type) of MBR partition `number` (1-4) of a card image."""
    with open(image, "rb") as f:
        block0 = f.read(SECTOR)
    entry = block0[446 + 16 * (number - 1):446 + 16 * number]
    start, count = struct.unpack("<II", entry[8:16])
    return start, count, entry[4]


def fat_volume(image):
    """The card's FAT32 volume as mtools names it: IMAGE, or IMAGE@@OFFSET on an MBR card."""
    with open(image, "rb") as f:
        first = f.read(1)
    if first in (b"\xeb", b"\xe9"):  # a boot sector's jump: the volume starts at block 0
        return image
    return "%s@@%d" % (image, partition(image, 1)[0] * SECTOR)
