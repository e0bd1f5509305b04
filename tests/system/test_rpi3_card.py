"""The card for a real Raspberry Pi 3: build/rpi3/sdcard.img (make PLATFORM=rpi3 sdcard).

`make system-test` builds it. These tests check its layout the way the Pi's
boot ROM and firmware read it (an MBR with the FAT32 partition at LBA
2048, then the Linux disk, ext4), check the file systems (fsck.fat, e2fsck), mdir,
and boot it in QEMU as it is: the kernel8.img taken from the card, with the
card as the SD card.

What QEMU cannot show: QEMU's -kernel stands in for the Pi's GPU firmware
(bootcode.bin, start.elf reading config.txt, its armstub), so the firmware
files are checked for presence only. The rpi3 kernel8.img is the same code
as the qemu one (PLATFORM only chooses the build folder and the card's
layout and files); the mini UART's baud divisor it writes for a 250 MHz core
clock is ignored by QEMU. So the boot here reaches the prompt for real.
"""

import os
import re
import struct
import subprocess

import pytest

from conftest import BUILD, PROMPT, ROOT

RPI3_CARD = os.path.join(BUILD, "rpi3", "sdcard.img")
SECTOR = 512
LOAD_TIMEOUT = 120  # the hypervisor loads Linux's 33 MB before its prompt
PI_FILES = ["bootcode.bin", "start.elf", "fixup.dat", "config.txt", "kernel8.img"]


@pytest.fixture(scope="module")
def card():
    if not os.path.exists(RPI3_CARD):
        pytest.fail("%s is missing: run make PLATFORM=rpi3 sdcard" % RPI3_CARD)
    return RPI3_CARD


def partition(card):
    """(boot flag, type, first sector, sector count) of the MBR's first entry."""
    with open(card, "rb") as f:
        mbr = f.read(SECTOR)
    assert mbr[510:512] == b"\x55\xaa", "no MBR signature"
    flag, ptype = mbr[446], mbr[450]
    start, count = struct.unpack_from("<II", mbr, 454)
    return flag, ptype, start, count


def boot_sector(card):
    _, _, start, _ = partition(card)
    with open(card, "rb") as f:
        f.seek(start * SECTOR)
        return f.read(SECTOR)


def mtools_image(card):
    """The partition as mtools addresses it: IMAGE@@OFFSET."""
    return "%s@@%d" % (card, partition(card)[2] * SECTOR)


def test_mbr_has_a_bootable_fat32_partition_at_1_mib_and_the_linux_disk_after_it(card):
    flag, ptype, start, count = partition(card)
    assert (flag, ptype, start) == (0x80, 0x0C, 2048)
    with open(card, "rb") as f:
        mbr = f.read(SECTOR)
    flag2, type2 = mbr[462], mbr[466]
    start2, count2 = struct.unpack_from("<II", mbr, 470)
    assert (flag2, type2, start2) == (0x00, 0x83, start + count)
    assert count2 == 64 * 2048  # the Linux VM's 64 MiB root (disk=sd:2)
    assert (start2 + count2) * SECTOR == os.path.getsize(card)
    assert mbr[478:510] == bytes(32)  # entries 3 and 4 empty


def test_linux_disk_is_a_clean_ext4_file_system(card, tmp_path):
    with open(card, "rb") as f:
        mbr = f.read(SECTOR)
        start2, count2 = struct.unpack_from("<II", mbr, 470)
        f.seek(start2 * SECTOR)
        part = tmp_path / "root.ext4"
        part.write_bytes(f.read(count2 * SECTOR))
    result = subprocess.run(["e2fsck", "-fn", str(part)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_boot_sector_hidden_sectors_is_the_partition_start(card):
    _, _, start, count = partition(card)
    bs = boot_sector(card)
    assert bs[510:512] == b"\x55\xaa"
    assert bs[82:90] == b"FAT32   "
    # BPB_HiddSec (offset 28): the sectors before the volume; BPB_TotSec32 (32).
    hidden, total = struct.unpack_from("<II", bs, 28)
    assert hidden == start
    assert total == count


def test_fsck_fat_finds_nothing_to_repair(card, tmp_path):
    # fsck.fat reads a bare file system: give it the partition.
    _, _, start, count = partition(card)
    part = tmp_path / "partition.img"
    with open(card, "rb") as src, open(part, "wb") as dst:
        src.seek(start * SECTOR)
        dst.write(src.read(count * SECTOR))
    result = subprocess.run(["fsck.fat", "-n", str(part)], capture_output=True, text=True)
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    # Only the version line and the summary: no warning, no difference.
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 2 and re.search(r"\d+ files, \d+/\d+ clusters", lines[1]), out


def test_mdir_lists_the_files_the_pi_boots_from(card):
    out = subprocess.run(["mdir", "-b", "-i", mtools_image(card), "::/"], check=True,
                         capture_output=True, text=True).stdout
    names = [os.path.basename(line) for line in out.split()]
    for name in PI_FILES + ["avisor.cfg", "echo.bin", "lrtos.bin", "u-boot.bin"]:
        assert name in names, out
    out = subprocess.run(["mdir", "-b", "-i", mtools_image(card), "::/linux"], check=True,
                         capture_output=True, text=True).stdout
    assert {"Image", "initrd.gz", "linux.dtb"} <= {os.path.basename(p) for p in out.split()}, out


def test_firmware_and_config_on_the_card(card, tmp_path):
    for name in PI_FILES:
        subprocess.run(["mcopy", "-n", "-i", mtools_image(card), "::" + name,
                        str(tmp_path / name)], check=True, capture_output=True)
    assert (tmp_path / "start.elf").read_bytes()[:4] == b"\x7fELF"  # the VideoCore's ELF
    assert os.path.getsize(tmp_path / "bootcode.bin") > 16384
    assert os.path.getsize(tmp_path / "fixup.dat") > 1024
    config = (tmp_path / "config.txt").read_text()
    assert config == open(os.path.join(ROOT, "config", "rpi3-config.txt")).read()
    for line in ("arm_64bit=1", "kernel=kernel8.img", "kernel_address=0x80000",
                 "enable_uart=1", "core_freq=250"):
        assert line in config.splitlines(), config
    kernel = (tmp_path / "kernel8.img").read_bytes()
    assert kernel == open(os.path.join(BUILD, "rpi3", "kernel8.img"), "rb").read()


def test_card_boots_in_qemu_as_it_is(card, boot, tmp_path):
    kernel = tmp_path / "kernel8.img"
    subprocess.run(["mcopy", "-n", "-i", mtools_image(card), "::kernel8.img", str(kernel)],
                   check=True, capture_output=True)
    con = boot(kernel=str(kernel), sdcard=card, timeout=30)
    con.expect(r"entered at EL2, running at EL2", timeout=15)
    for vm, name in ((1, "echo"), (2, "lrtos"), (3, "uboot"), (4, "linux")):
        con.expect(r"boot: VM %d \(%s\) started" % (vm, name), timeout=LOAD_TIMEOUT)
    con.expect_exact(PROMPT, timeout=30)
    out = con.run("ls")
    for name in PI_FILES:
        assert re.search(r"\s%s$" % re.escape(name), out, re.M), out
    con.attach(1)
    con.expect_exact("echo: ready")
    con.send("on the Pi's card\r")
    con.expect(r"on the Pi's card\r*\n")
