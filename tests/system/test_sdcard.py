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


def size_text(size):
    """A size as the hypervisor prints every size (hv/lib/printf.c fmt_size)."""
    units = ["B", "KiB", "MiB", "GiB"]
    unit = 0
    while unit + 1 < len(units) and size >= 1024 ** (unit + 1):
        unit += 1
    whole, rest = divmod(size, 1024 ** unit)
    if rest == 0:
        return "%d %s" % (whole, units[unit])
    return "%d.%d %s" % (whole, rest * 10 // 1024 ** unit, units[unit])


def test_ls_lists_files_with_sizes(hv):
    out = hv.run("ls")
    echo_size = os.path.getsize(os.path.join(BUILD, "guests", "echo.bin"))
    assert re.search(r"^\s+\d+(\.\d)? (B|KiB)  avisor\.cfg$", out, re.M), out
    assert re.search(r"^\s+\d+ B  README\.txt$", out, re.M), out
    assert re.search(r"^\s+%s  echo\.bin$" % re.escape(size_text(echo_size)), out, re.M), out
    assert re.search(r"^\s+\d+\.\d KiB  lrtos\.bin$", out, re.M), out
    assert re.search(r"<DIR>  tests/$", out, re.M), out
    # One column: sizes and <DIR> end where the names start.
    name_columns = {len(line) - len(line.split("  ")[-1]) for line in out.splitlines() if line}
    assert len(name_columns) == 1, out
    out = hv.run("ls tests")
    for name in ("bad_store.bin", "bad_sysreg.bin", "irq_spin.bin", "vtimer.bin"):
        assert name in out, out
    assert "not found" in hv.run("ls nowhere")
    assert "usage: ls" in hv.run("ls a b")


def test_vmld_validates_each_argument(hv):
    assert "vmld: image 'nope.bin': not found" in hv.run("vmld nope.bin 0x80000 0x80000")
    assert "load address '0x8000x' is not a hex address" in hv.run("vmld echo.bin 0x8000x 80000")
    assert "entry 'go' is not a hex address" in hv.run("vmld echo.bin 0x80000 go")
    # Each value as given and as read: addresses are hex, 0x optional.
    assert "vmld: load address 80001 (0x80001) must be 4 KiB aligned" in hv.run(
        "vmld echo.bin 80001 80000")
    assert "vmld: load address 0x80001 must be 4 KiB aligned" in hv.run(
        "vmld echo.bin 0x80001 0x80000")
    assert "entry 80002 (0x80002) must be 4-byte aligned" in hv.run("vmld echo.bin 80000 80002")
    assert "entry 0x2000000 is outside the VM's memory (16 MiB)" in hv.run(
        "vmld echo.bin 0x80000 0x2000000")
    assert "load address 1000000 (0x1000000) is outside" in hv.run("vmld echo.bin 1000000 80000")
    assert "memory 3 (3 MiB) must be a multiple of 2 MiB" in hv.run("vmld echo.bin 80000 80000 3")
    assert "vcpus=9: must be from 1 to 4" in hv.run("vmld echo.bin 80000 80000 vcpus=9")
    assert "unknown option 'color'" in hv.run("vmld echo.bin 80000 80000 color=red")
    out = hv.run("vmld echo.bin 0x1ff000 0x1ff000 2")
    assert re.search(r"image 'echo.bin' \(\d+ bytes\) does not fit in the VM's memory", out), out
    assert "is a directory" in hv.run("vmld tests 0x80000 0x80000")
    assert "usage: vmld" in hv.run("vmld echo.bin")
    # Nothing was created by the failures.
    assert "echo-2" not in hv.run("vml")


def test_vmld_starts_a_vm_and_reports_size_and_speed(hv):
    vm, line = hv.vmld("echo.bin 0x80000 0x80000 4")
    size = os.path.getsize(os.path.join(BUILD, "guests", "echo.bin"))
    m = re.search(r"vmld: VM 4 \(echo-2\) started: echo.bin, %s loaded at 0x80000 in "
                  r"\d+ ms \([\d.]+ (B|KiB|MiB)/s\), entry 0x80000, 4 MiB RAM"
                  % re.escape(size_text(size)), line)
    assert vm == 4 and m, line
    rows = hv.run("vml")
    assert re.search(r"4 echo-2\s+(running|waiting)\s+4 MiB", rows), rows
    hv.attach(4)
    hv.expect_exact("echo: ready")
    hv.send("loaded from the card\r")
    hv.expect(r"loaded from the card\r*\n")


def test_vmld_takes_the_original_avisors_command_line(hv):
    """calinyara/avisor: `vmld freertos.bin 80000 80000`, hex without 0x, as U-Boot reads it."""
    vm, line = hv.vmld("echo.bin 80000 80000")
    assert vm == 4 and re.search(r"vmld: VM 4 \(echo-2\) started: echo.bin, .* loaded at "
                                 r"0x80000 .*entry 0x80000, 16 MiB RAM", line), line
    hv.attach(4)
    hv.expect_exact("echo: ready")
    hv.send("hex without 0x\r")
    hv.expect(r"hex without 0x\r*\n")
    hv.send("@0")
    hv.expect_prompt()
    out = hv.run("vmi 4")
    assert "loaded at 0x80000, entry 0x80000" in out, out


def test_vmld_takes_the_options_of_a_config_line(hv):
    vm, line = hv.vmld("tests/smp.bin 80000 80000 8M vcpus=2 slice=5 autostart=no")
    assert vm == 4 and "vmld: VM 4 (smp) created (autostart=no)" in line, line
    info = hv.run("vmi 4")
    assert "time slice 5 ms" in info and "vCPU 1 on core" in info and "memory 8 MiB" in info, info
    assert "vmstart: VM 4 (smp) started" in hv.run("vmstart 4")


def test_bad_config_lines_are_reported_and_good_vms_start(boot):
    config = ("# a test configuration\n"
              "echo echo.bin 0x80000 0x80000 16M\n"
              "broken echo.bin 0x80000\n"
              "odd echo.bin 0x80000 0x80000 3M\n"
              "lrtos lrtos.bin 0x80000 0x80000 32M color=red\n"
              "missing nothere.bin 0x80000 0x80000 16M\n"
              "echo echo.bin 0x80000 0x80000 16M\n"
              "spin tests/irq_spin.bin 0x80000 0x80000 16M autostart=no\n"
              "big lrtos.bin 0x80000 0x80000 1008M\n"
              "bare echo.bin 80000 80000\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_booted(timeout=30)
    log = boot_log(con)
    assert "avisor.cfg:3: expected: name image load entry [memory]" in log, log
    assert "avisor.cfg:4: memory 3M (3 MiB) must be a multiple of 2 MiB" in log, log
    assert "avisor.cfg:5: unknown option 'color'" in log, log
    assert "avisor.cfg:6: VM 'missing' not started: image 'nothere.bin': not found" in log, log
    assert "avisor.cfg:7: a VM named 'echo' is already defined" in log, log
    assert re.search(r"boot: VM 1 \(echo\) started: echo.bin", log), log
    assert re.search(r"boot: VM 2 \(spin\) created \(autostart=no\)", log), log
    assert re.search(r"avisor.cfg:9: VM 'big' not started: not enough free memory", log), log
    # The original aVisor's hex without 0x, and memory left to its default.
    assert re.search(r"boot: VM 3 \(bare\) started: echo.bin, .* at 0x80000, 16 MiB RAM", log), log
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
    assert re.search(r"\d+\.\d KiB  My Echo Guest\.bin$", out, re.M), out
    # A VM name has what a config line's name may have: the spaces become '_'.
    vm, line = hv.vmld('"My Echo Guest.bin" 0x80000 0x80000')
    assert "(My_Echo_Guest) started" in line, line
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
