"""VM disks (disk=sd:N): the virtio-blk device against a hostile driver, and the option's errors.

These boot the full card (build/sdcard.img: partition 1 FAT32, partition 2
the Linux VM's ext4 disk) with an avisor.cfg of echo and lrtos only, so no
Linux is loaded. tests/guests/bad_virtio.c drives the device by hand with
malformed queues and requests (its header lists them); the hypervisor, echo
and lrtos must keep running, every bad request must fail or break the queue
(never read or write elsewhere), and no byte of the card outside partition 2
may change: the card copy is compared before and after.
"""

import os
import re
import shutil

import pytest

from cardimage import partition
from conftest import FULL_SDCARD, edit_card
from test_hostile import attach_and_wait, detach

CONFIG = "echo echo.bin 0x80000 0x80000 16M\nlrtos lrtos.bin 0x80000 0x80000 32M\n"
SECTOR = 512
IOERR, UNSUPP, UNTOUCHED = 1, 2, 255
NEEDS_RESET = 0x40


@pytest.fixture
def card(tmp_path):
    """A private copy of the full card with echo and lrtos only."""
    if not os.path.exists(FULL_SDCARD):
        pytest.fail("%s is missing: run make first" % FULL_SDCARD)
    path = str(tmp_path / "sdcard.img")
    shutil.copyfile(FULL_SDCARD, path)
    edit_card(path, {"avisor.cfg": CONFIG}, (), [])
    return path


def outside_partition(path, number):
    """Every byte of the card image except partition `number`'s."""
    start, count, _ = partition(path, number)
    with open(path, "rb") as f:
        data = f.read()
    return data[:start * SECTOR] + data[(start + count) * SECTOR:]


def cases(out):
    """{case: (request status, used length, device status)} from bad_virtio's lines."""
    found = {}
    for m in re.finditer(r"bad_virtio: ([^:\n]+): status (\d+) used (\d+) dev 0x([0-9a-f]+)", out):
        found[m.group(1)] = (int(m.group(2)), int(m.group(3)), int(m.group(4), 16))
    return found


def test_hostile_virtio_driver_touches_nothing_outside_its_partition(boot, card):
    before = outside_partition(card, 2)
    hv = boot(sdcard=card, private_sdcard=False)
    hv.expect_booted(timeout=30)
    hv.sendline("vmld tests/bad_virtio.bin 0x80000 0x80000 16M disk=sd:2")
    hv.expect(r"vmld: VM (\d+) \(bad_virtio\) started")
    vm = int(hv.match.group(1))
    out = attach_and_wait(hv, vm, "bad_virtio: done", timeout=60)
    detach(hv)
    start, count, _ = partition(card, 2)
    assert "bad_virtio: magic 0x74726976 version 2 device 2 queue max 128" in out, out
    assert "bad_virtio: capacity %d features high 0x1" % count in out, out
    assert "bad_virtio: notify before ready: used idx 0 dev 0x0" in out, out
    assert "bad_virtio: features without VERSION_1: dev 0x3" in out, out  # FEATURES_OK refused
    assert "bad_virtio: superblock magic 0xef53" in out, out
    assert re.search(r"queue size 100: dev 0x4f ready 0", out), out
    got = cases(out)
    assert got["notify before DRIVER_OK"][0] == UNTOUCHED, got
    for good in ("good read after reset", "good read after the loop",
                 "good read after bad indexes", "good read at the end",
                 "write the last sector", "read the last sector", "get id", "length 0"):
        assert got[good][0] == 0 and not got[good][2] & NEEDS_RESET, (good, got)
    for bad in ("sector past the end", "two sectors over the end", "sector 2^63",
                "write past the end", "buffer outside RAM", "buffer in the device window",
                "write from the device window", "length 4 GiB - 1", "length 300",
                "short header"):
        assert got[bad][:2] == (IOERR, 1) and not got[bad][2] & NEEDS_RESET, (bad, got)
    assert got["unknown type"][:2] == (UNSUPP, 1), got
    assert got["no status byte"][:2] == (UNTOUCHED, 0), got
    for broken in ("descriptor loop", "next index 200", "head index 9",
                   "available index jumps by 100", "indirect descriptor"):
        assert got[broken][0] == UNTOUCHED and got[broken][2] & NEEDS_RESET, (broken, got)
    assert "bad_virtio: last sector as written" in out, out
    assert "bad_virtio: id 'avisor-sd2'" in out, out
    info = hv.run("vmi %d" % vm)
    assert re.search(r"disk sd:2 \(virtio-blk at 0x3fe00000, IRQ 60\): 64 MiB, SD blocks "
                     r"%d-%d" % (start, start + count - 1), info), info
    assert re.search(r"disk requests: \d+ reads .* 1 writes \(512 B\), 0 flushes, 10 errors, "
                     r"1 unsupported, 0 SD errors", info), info
    # The hypervisor and the other VMs go on; echo still echoes.
    vml = hv.run("vml")
    for name in ("echo", "lrtos", "bad_virtio"):
        assert re.search(r"^[ *]\s*\d+ %s\s+(running|waiting)" % name, vml, re.M), vml
    hv.attach(1)
    hv.send("disk-ok\r")
    hv.expect_exact("disk-ok")
    hv.close()
    after = outside_partition(card, 2)
    assert after == before, "bytes outside partition 2 changed"


def test_disk_option_errors_name_the_value(boot, card):
    hv = boot(sdcard=card, private_sdcard=False)
    hv.expect_booted(timeout=30)
    hv.vmld("echo.bin 0x80000 0x80000 16M disk=sd:2")
    out = hv.run("vmld echo.bin 0x80000 0x80000 16M disk=sd:2")
    assert "disk sd:2 is already the disk of VM 3 (echo-2), writable" in out, out
    out = hv.run("vmld echo.bin 0x80000 0x80000 16M disk=sd:2:ro")
    assert "disk sd:2 is already the disk of VM 3 (echo-2), writable" in out, out
    assert "the hypervisor's FAT32 volume" in hv.run("vmld echo.bin 80000 80000 disk=sd:1")
    assert "disk sd:3: no such partition" in hv.run("vmld echo.bin 80000 80000 disk=sd:3")
    out = hv.run("vmld echo.bin 80000 80000 disk=/dev/sda")
    assert "disk=/dev/sda: must be sd:N (partition N, 1-4, of the SD card)" in out, out
    # Read-only disks may be shared.
    hv.run("vmkill 3")
    hv.vmld("echo.bin 0x80000 0x80000 16M disk=sd:2:ro")
    hv.vmld("echo.bin 0x80000 0x80000 16M disk=sd:2:ro")
    assert "disk sd:2 read-only" in hv.run("vmi 4")


def test_card_errors_fail_the_requests_and_the_hypervisor_goes_on(boot, card):
    """The card pulled (QEMU's monitor): each request is an I/O error for that VM only."""
    hv = boot(sdcard=card, private_sdcard=False)
    hv.expect_booted(timeout=30)
    vm, _ = hv.vmld("bench.bin 0x80000 0x80000 16M disk=sd:2")
    hv.attach(vm)
    hv.expect_exact("bench: press a key to start")
    hv.send("\x01c")
    hv.expect_exact("(qemu)")
    hv.send("eject -f sd0\r")
    hv.expect_exact("(qemu)")
    hv.send("\x01c")
    hv.send("D")  # the quick run: a few requests, each failing after the driver's timeouts
    hv.expect(r"bench: last status (\d+)", timeout=60)
    assert hv.match.group(1) == "1"  # VIRTIO_BLK_S_IOERR
    detach(hv)
    info = hv.run("vmi %d" % vm)
    m = re.search(r"disk requests: 0 reads .*, 0 writes .*, (\d+) errors, 0 unsupported, "
                  r"(\d+) SD errors", info)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, info
    assert "up " in hv.run("uptime")
    hv.attach(1)
    hv.send("still-here\r")
    hv.expect_exact("still-here")
