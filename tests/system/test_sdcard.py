"""The SD card: files, loading VMs from it, and the avisor.cfg configuration file."""

import os
import re
import subprocess
import tempfile

import pytest

from conftest import BUILD, ROOT, SDCARD

GOOD_CONFIG = "echo echo.bin 0x80000 0x80000 16M\nlrtos lrtos.bin 0x80000 0x80000 32M\n"


@pytest.fixture
def hv_with_renamed_guest(boot):
    """The hypervisor with echo.bin also on the card under a long name with spaces."""
    guest = open(os.path.join(BUILD, "guests", "echo.bin"), "rb").read()
    con = boot(card_files={"My Echo Guest.bin": guest})
    con.expect_booted(timeout=30)
    return con


def boot_log(con):
    return open(con.log.name, encoding="utf-8").read()


def test_ls_lists_files_with_sizes(hv):
    out = hv.run("ls")
    assert re.search(r"^\s+\d+ (B|KB)\s+avisor\.cfg$", out, re.M), out
    assert re.search(r"^\s+\d+ B \s+README\.txt$", out, re.M), out
    assert re.search(r"^\s+1[0-9] KB\s+echo\.bin$", out, re.M), out
    assert re.search(r"^\s+\d+ KB\s+lrtos\.bin$", out, re.M), out
    assert re.search(r"<DIR>\s+tests/$", out, re.M), out
    out = hv.run("ls tests")
    for name in ("bad_store.bin", "bad_sysreg.bin", "irq_spin.bin", "vtimer.bin"):
        assert name in out, out
    assert "not found" in hv.run("ls nowhere")
    assert "usage: ls" in hv.run("ls a b")


def test_vmld_validates_each_argument(hv):
    assert "vmld: image 'nope.bin': not found" in hv.run("vmld nope.bin 0x80000 0x80000")
    assert "load address '0x8000x' is not a number" in hv.run("vmld echo.bin 0x8000x 0x80000")
    assert "entry address 'go' is not a number" in hv.run("vmld echo.bin 0x80000 go")
    assert "load address must be 4 KiB aligned" in hv.run("vmld echo.bin 0x80001 0x80000")
    assert "entry point must be" in hv.run("vmld echo.bin 0x80000 0x80002")
    assert "entry point must be" in hv.run("vmld echo.bin 0x80000 0x2000000")
    assert "load address is outside" in hv.run("vmld echo.bin 0x1000000 0x80000")
    assert "memory '3' must be an even number" in hv.run("vmld echo.bin 0x80000 0x80000 3")
    out = hv.run("vmld echo.bin 0x1ff000 0x1ff000 2")
    assert re.search(r"image 'echo.bin' \(\d+ bytes\) does not fit in the VM's memory", out), out
    assert "is a directory" in hv.run("vmld tests 0x80000 0x80000")
    assert "usage: vmld" in hv.run("vmld echo.bin")
    # Nothing was created by the failures.
    assert "echo-2" not in hv.run("vml")


def test_vmld_starts_a_vm_and_reports_size_and_speed(hv):
    vm, line = hv.vmld("echo.bin 0x80000 0x80000 4")
    m = re.search(r"vmld: VM 4 \(echo-2\) started: echo.bin, (\d+) bytes loaded at 0x80000 in "
                  r"\d+ ms \((\d+) KB/s\), entry 0x80000, 4 MiB RAM", line)
    assert vm == 4 and m, line
    assert int(m.group(1)) == os.path.getsize(os.path.join(BUILD, "guests", "echo.bin"))
    rows = hv.run("vml")
    assert re.search(r"4 echo-2\s+(running|waiting)\s+4M", rows), rows
    hv.attach(4)
    hv.expect_exact("echo: ready")
    hv.send("loaded from the card\r")
    hv.expect(r"loaded from the card\r*\n")


def test_bad_config_lines_are_reported_and_good_vms_start(boot):
    config = ("# a test configuration\n"
              "echo echo.bin 0x80000 0x80000 16M\n"
              "broken echo.bin 0x80000\n"
              "odd echo.bin 0x80000 0x80000 3M\n"
              "lrtos lrtos.bin 0x80000 0x80000 32M color=red\n"
              "missing nothere.bin 0x80000 0x80000 16M\n"
              "echo echo.bin 0x80000 0x80000 16M\n"
              "spin tests/irq_spin.bin 0x80000 0x80000 16M autostart=no\n"
              "big lrtos.bin 0x80000 0x80000 1008M\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_booted(timeout=30)
    log = boot_log(con)
    assert "avisor.cfg:3: expected: name image load entry memory" in log, log
    assert "avisor.cfg:4: memory must be a multiple of 2 MiB" in log, log
    assert "avisor.cfg:5: unknown option 'color'" in log, log
    assert "avisor.cfg:6: VM 'missing' not started: image 'nothere.bin': not found" in log, log
    assert "avisor.cfg:7: a VM named 'echo' is already defined" in log, log
    assert re.search(r"boot: VM 1 \(echo\) started: echo.bin", log), log
    assert re.search(r"boot: VM 2 \(spin\) created \(autostart=no\)", log), log
    assert re.search(r"avisor.cfg:9: VM 'big' not started: not enough free memory", log), log
    out = con.run("vml")
    assert re.search(r"1 echo\s+(running|waiting)", out), out
    assert re.search(r"2 spin\s+stopped", out) and "not started" in out, out
    con.attach(1)
    con.expect_exact("echo: ready")


def test_no_config_file(boot):
    con = boot(card_delete=["avisor.cfg"])
    con.expect_exact("boot: cannot read avisor.cfg from the SD card (not found): no VMs started")
    con.expect_prompt()
    assert "(no VMs)" in con.run("vml")
    assert "echo.bin" in con.run("ls")


def test_no_sd_card_at_all(boot):
    con = boot(sdcard=None)
    con.expect(r"boot: SD card: .*no SD card.*: no VMs started")
    con.expect_prompt()
    assert "(no VMs)" in con.run("vml")
    out = con.run("ls")
    assert "ls: SD card" in out and "no SD card" in out, out
    assert "vmld: SD card" in con.run("vmld echo.bin 0x80000 0x80000")


def test_config_with_garbage_bytes(boot):
    garbage = bytes(range(256)) * 8 + b"\necho echo.bin 0x80000 0x80000 16M\n"
    con = boot(card_files={"avisor.cfg": garbage})
    con.expect_booted(timeout=30)
    log = boot_log(con)
    assert re.search(r"avisor.cfg:1: (byte 0x00 at column 1 is not text|line is longer)", log), log
    assert re.search(r"boot: VM 1 \(echo\) started", log), log


def test_partitioned_card_boots(boot, tmp_path):
    # A card laid out like a real Pi's: an MBR with one FAT32 partition at 1 MiB.
    image = tmp_path / "partitioned.img"
    files = ["avisor.cfg=%s" % os.path.join(BUILD, "test-avisor.cfg"),
             "echo.bin=%s" % os.path.join(BUILD, "guests", "echo.bin"),
             "lrtos.bin=%s" % os.path.join(BUILD, "guests", "lrtos.bin")]
    subprocess.run([os.path.join(ROOT, "scripts", "mksdcard.sh"), "--partitioned", str(image),
                    "64"] + files, check=True, capture_output=True)
    con = boot(sdcard=str(image))
    con.expect(r"boot: VM 1 \(echo\) started", timeout=15)
    con.expect(r"boot: VM 2 \(lrtos\) started")
    con.expect_prompt()


def test_vmld_of_a_guest_copied_under_a_new_name(hv_with_renamed_guest):
    hv = hv_with_renamed_guest
    out = hv.run("ls")
    assert re.search(r"\d+ KB\s+My Echo Guest\.bin$", out, re.M), out
    vm, _ = hv.vmld('"My Echo Guest.bin" 0x80000 0x80000')
    hv.attach(vm)
    hv.expect_exact("echo: ready")
    hv.send("renamed guest\r")
    hv.expect(r"renamed guest\r*\n")


def test_corrupted_fat_boots_to_the_shell_with_an_error(boot, tmp_path):
    image = tmp_path / "corrupt.img"
    data = bytearray(open(SDCARD, "rb").read())
    # BPB_BytsPerSec (offset 11) = 0: no FAT32 volume can say that.
    data[11:13] = b"\x00\x00"
    image.write_bytes(bytes(data))
    con = boot(sdcard=str(image), private_sdcard=False)
    con.expect(r"boot: SD card has no usable FAT32 volume: [^\r\n]+: no VMs started", timeout=15)
    con.expect_prompt()
    assert "(no VMs)" in con.run("vml")
    assert "no usable FAT32 volume" in con.run("ls")
    assert "aVisor" in con.run("version")
