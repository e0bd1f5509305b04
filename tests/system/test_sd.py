"""The SD host driver through the shell's `sd` command.

QEMU's raspi3b emulates the Arasan SD host controller and an SD card made
from the -drive image: the image build/test-sdcard.img (64 MiB) is a byte
addressed SDSC card, an image above 2 GiB an SDHC card (CSD 2.0, block
addressed). What `sd read` dumps is compared with the image file itself.
"""

import os
import re

from conftest import SDCARD

BLOCK = 512


def image_blocks(path, lba, count=1):
    with open(path, "rb") as f:
        f.seek(lba * BLOCK)
        return f.read(count * BLOCK)


def parse_dump(out):
    """{lba: bytes} from `sd read` output ("LBA 0xn:" then "off: 16 hex bytes  |ascii|" lines)."""
    blocks, lba = {}, None
    for line in out.splitlines():
        m = re.match(r"LBA 0x([0-9a-f]+):$", line)
        if m:
            lba = int(m.group(1), 16)
            blocks[lba] = bytearray()
            continue
        m = re.match(r"([0-9a-f]{3}):((?: [0-9a-f]{2}){16})  \|", line)
        if m and lba is not None:
            assert int(m.group(1), 16) == len(blocks[lba]), line
            blocks[lba] += bytes.fromhex(m.group(2))
    return {k: bytes(v) for k, v in blocks.items()}


def read_blocks(con, lba, count=1):
    out = con.run("sd read %x %d" % (lba, count))  # the LBA is hex, as every address
    blocks = parse_dump(out)
    assert sorted(blocks) == list(range(lba, lba + count)), out
    assert all(len(b) == BLOCK for b in blocks.values()), out
    return b"".join(blocks[n] for n in sorted(blocks)), out


def first_nonzero_run(path, start, count):
    """The first LBA >= start where `count` blocks hold some data (so a comparison means something)."""
    total = os.path.getsize(path) // BLOCK
    for lba in range(start, total - count, count):
        if any(image_blocks(path, lba, count)):
            return lba
    raise AssertionError("no data in %s after block %d" % (path, start))


def test_sd_describes_the_card_with_its_capacity(hv):
    blocks = os.path.getsize(SDCARD) // BLOCK
    out = hv.run("sd")
    assert "SDSC" in out, out
    assert "%d MiB (%d blocks)" % (blocks * BLOCK >> 20, blocks) in out, out
    assert "64 MiB" in out, out
    # QEMU's card identifies itself in its CID as manufacturer 0xaa, "XY", "QEMU!".
    assert "maker 0xaa OEM 'XY' product 'QEMU!'" in out, out
    assert re.search(r"4-bit bus at \d+ kHz", out), out
    assert "last error: none" in out, out


def test_sd_read_0_is_the_fat32_boot_sector(hv):
    data, _ = read_blocks(hv, 0)
    assert data[0x1FE:0x200] == b"\x55\xaa"
    assert data[3:11] == b"mkfs.fat"  # OEM name written by mkfs.fat
    assert data[0x52:0x5A] == b"FAT32   "  # BS_FilSysType
    assert data == image_blocks(SDCARD, 0)


def test_sd_multi_block_read_matches_the_image(hv):
    for start in (0, first_nonzero_run(SDCARD, 64, 8), first_nonzero_run(SDCARD, 2048, 8)):
        data, out = read_blocks(hv, start, 8)
        assert data == image_blocks(SDCARD, start, 8), "blocks %d-%d differ" % (start, start + 7)
        assert re.search(r"read 8 block\(s\) in \d+ us: [\d.]+ (B|KiB|MiB)/s", out), out


def test_sd_read_of_the_last_block_works_and_beyond_it_is_refused(hv):
    blocks = os.path.getsize(SDCARD) // BLOCK
    data, _ = read_blocks(hv, blocks - 1)
    assert data == image_blocks(SDCARD, blocks - 1)
    for request in ("%x" % blocks, "0x%x 2" % (blocks - 1), "0xffffffffffff 8"):
        out = hv.run("sd read " + request)
        assert "request beyond the end of the card (the card has %d blocks)" % blocks in out, out
        assert parse_dump(out) == {}, out
    assert "last error: request beyond the end of the card" in hv.run("sd")
    # The refusal left the driver working.
    data, _ = read_blocks(hv, 0, 2)
    assert data == image_blocks(SDCARD, 0, 2)


def test_sd_read_rejects_bad_arguments(hv):
    assert "usage: sd" in hv.run("sd write 0")
    assert "LBA 'zero' is not a hex number" in hv.run("sd read zero")
    assert "count '9' must be 1 to 8" in hv.run("sd read 0 9")
    assert "count '0' must be 1 to 8" in hv.run("sd read 0 0")


def test_without_a_card_the_hypervisor_boots_and_sd_says_so(boot):
    con = boot(sdcard=None)
    con.expect_booted(timeout=30)
    out = con.run("sd")
    assert "no usable SD card: no SD card" in out, out
    out = con.run("sd read 0")
    assert "no SD card" in out and "LBA 0x0:" not in out, out
    assert "aVisor" in con.run("version")


def test_an_sdhc_card_is_block_addressed(boot, tmp_path):
    """A 4 GiB (sparse) image: QEMU presents it as SDHC, addressed by block number."""
    path = str(tmp_path / "sdhc.img")
    size = 4 << 30
    markers = {5000000: b"beyond 2 GiB", size // BLOCK - 1: b"the last block"}
    with open(SDCARD, "rb") as src, open(path, "wb") as dst:
        dst.write(src.read())  # the usual FAT32 volume at the start
        for lba, text in markers.items():
            dst.seek(lba * BLOCK)
            dst.write(text.ljust(BLOCK, b"."))
        dst.truncate(size)
    con = boot(sdcard=path, private_sdcard=False)
    con.expect_booted(timeout=30)
    out = con.run("sd")
    assert "SDHC card, 4096 MiB (8388608 blocks)" in out, out
    for lba, text in markers.items():
        data, _ = read_blocks(con, lba)
        assert data == text.ljust(BLOCK, b".")
    data, _ = read_blocks(con, size // BLOCK - 8, 8)
    assert data == image_blocks(path, size // BLOCK - 8, 8)
    assert "beyond the end of the card" in con.run("sd read %x" % (size // BLOCK))


def qemu_monitor(con, command):
    """Runs a QEMU monitor command (Ctrl-A C switches between console and monitor)."""
    con.send("\x01c")
    con.expect_exact("(qemu)")
    con.send(command + "\r")
    con.expect_exact("(qemu)")
    con.send("\x01c")


def test_a_card_pulled_out_gives_an_error_not_a_hang(hv):
    qemu_monitor(hv, "eject -f sd0")
    out = hv.run("sd read 0 2")
    assert re.search(r"sd read: LBA 0x0, 2 block\(s\): \S.*\(the card has \d+ blocks\)", out), out
    assert parse_dump(out) == {}, out
    assert re.search(r"last error: .+ \(CMD18\), while reading", hv.run("sd")), out
    assert "aVisor" in hv.run("version")
