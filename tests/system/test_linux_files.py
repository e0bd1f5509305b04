"""Debian's unmodified arm64 kernel as VM 4, beside echo, lrtos and U-Boot.

These tests boot the full card (build/sdcard.img, with linux/Image,
linux/initrd.gz and linux/linux.dtb); every other test boots the card
without Linux. The initrd options of avisor.cfg are tested on that small
card, with the small guests standing in for the files.
"""

import re

import pytest

from conftest import FULL_SDCARD

LINUX_VM = 4
BOOT_TIMEOUT = 90   # loading 33 MB from the SD card, under a loaded host
SHELL_TIMEOUT = 300  # Linux to its shell, in QEMU's TCG, sharing one core with 3 VMs


def boot_log(con):
    return open(con.log.name, encoding="utf-8").read()


def boot_full_card(boot):
    con = boot(sdcard=FULL_SDCARD, timeout=30)
    con.expect_prompt(timeout=BOOT_TIMEOUT)
    return con


def test_linux_vm_is_created_with_kernel_dtb_and_initrd(boot):
    con = boot_full_card(boot)
    log = boot_log(con)
    assert re.search(r"boot: VM 4 \(linux\) started: linux/Image, \d+ KiB at 0x200000, "
                     r"256 MiB RAM", log), log
    for vm in (1, 2, 3):
        assert re.search(r"boot: VM %d \(\w+\) started" % vm, log), log
    out = con.run("vmi %d" % LINUX_VM)
    assert "image linux/Image, loaded at 0x200000, entry 0x200000" in out, out
    assert "device tree linux/linux.dtb at 0xfe00000 (passed in x0)" in out, out
    assert "initrd linux/initrd.gz at 0x4000000" in out, out


def test_linux_prints_its_early_messages(boot):
    con = boot_full_card(boot)
    con.attach(LINUX_VM)
    con.expect_exact("Booting Linux on physical CPU 0x0", timeout=60)
    con.expect_exact("Machine model: Raspberry Pi 3 Model B", timeout=30)
    # earlycon found the mini UART from /chosen/stdout-path (serial1).
    con.expect(r"earlycon: bcm2835aux0 at MMIO32 0x0+3f215040", timeout=30)
    # Its memory is the VM's 256 MiB (the device tree's /memory).
    con.expect(r"Faking a node at \[mem 0x0+-0x0+fffffff\]", timeout=30)
    con.expect_exact("psci: probing for conduit method from DT.", timeout=30)
    con.expect_exact("Kernel command line: console=ttyS1,115200 earlycon rdinit=/init",
                     timeout=30)


def test_linux_boots_to_an_interactive_busybox_shell(boot):
    con = boot_full_card(boot)
    con.attach(LINUX_VM)
    con.expect(r"psci: PSCIv(\d+)\.(\d+) detected", timeout=60)
    if con.match.group(1) == "65535":
        pytest.skip("the hypervisor does not answer PSCI_VERSION yet (Linux's SMP and "
                    "PSCI side of issue 8)")
    con.expect_exact("Trying to unpack rootfs image as initramfs", timeout=SHELL_TIMEOUT)
    con.expect(r"Freeing initrd memory: \d+K", timeout=SHELL_TIMEOUT)
    # The console driver's tty is ttyS1, as bootargs say (docs/guests.md).
    con.expect_exact("ttyS1 at MMIO 0x3f215040", timeout=SHELL_TIMEOUT)
    con.expect_exact("Run /init as init process", timeout=SHELL_TIMEOUT)
    con.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 2 CPUs", timeout=SHELL_TIMEOUT)
    con.sendline("")
    con.expect_exact("# ", timeout=60)
    con.sendline("echo $((6 * 7)); uname -m; grep -c ^processor /proc/cpuinfo")
    con.expect(r"42\r*\naarch64\r*\n2\r*\n", timeout=30)
    # Job control: the console is the shell's controlling terminal.
    con.sendline("sleep 300 &")
    con.sendline("jobs")
    con.expect(r"\[1\]\+?\s+Running\s+sleep 300", timeout=30)
    con.sendline("kill %1; echo killed")
    con.expect(r"killed\r*\n", timeout=30)
    # exit: /init starts a new shell.
    con.sendline("exit")
    con.expect_exact("init: the shell exited; starting a new one", timeout=30)


# --- initrd= and initrd_addr= on the small card -----------------------------

def test_initrd_is_loaded_and_shown(boot):
    con = boot(card_files={"avisor.cfg": "rd echo.bin 0x80000 0x80000 16M initrd=lrtos.bin "
                                          "initrd_addr=0x400000\n"})
    con.expect_prompt(timeout=15)
    assert re.search(r"boot: VM 1 \(rd\) started: echo.bin", boot_log(con))
    out = con.run("vmi 1")
    assert "initrd lrtos.bin at 0x400000" in out, out
    con.attach(1)
    con.expect_exact("echo: ready")


def test_bad_initrd_lines_are_reported(boot):
    config = ("nofile echo.bin 0x80000 0x80000 16M initrd=nope.gz initrd_addr=0x400000\n"
              "noaddr echo.bin 0x80000 0x80000 16M initrd=lrtos.bin\n"
              "onimage lrtos.bin 0x80000 0x80000 16M initrd=echo.bin initrd_addr=0x81000\n"
              "ondtb echo.bin 0x80000 0x80000 16M dtb=uboot.dtb dtb_addr=0x400000 "
              "initrd=lrtos.bin initrd_addr=0x3ff000\n"
              "toobig echo.bin 0x80000 0x80000 16M initrd=lrtos.bin initrd_addr=0xfff000\n"
              "outside echo.bin 0x80000 0x80000 16M initrd=lrtos.bin initrd_addr=0x1000000\n"
              "echo echo.bin 0x80000 0x80000 16M\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_prompt(timeout=15)
    log = boot_log(con)
    assert "avisor.cfg:1: VM 'nofile' not started: initrd 'nope.gz': not found" in log, log
    assert "avisor.cfg:2: initrd needs initrd_addr=ADDR" in log, log
    assert re.search(r"avisor.cfg:3: VM 'onimage' not started: initrd 'echo.bin' at "
                     r"initrd_addr 0x81000 \(\d+ bytes\) overlaps the image", log), log
    assert re.search(r"avisor.cfg:4: VM 'ondtb' not started: initrd 'lrtos.bin' at "
                     r"initrd_addr 0x3ff000 \(\d+ bytes\) overlaps the device tree", log), log
    assert re.search(r"avisor.cfg:5: VM 'toobig' not started: initrd 'lrtos.bin' \(\d+ bytes\) "
                     r"does not fit in the VM's memory at 0xfff000", log), log
    assert "avisor.cfg:6: initrd_addr is outside the VM's memory" in log, log
    out = con.run("vml")
    assert re.search(r"1 echo\s+(running|waiting)", out), out
