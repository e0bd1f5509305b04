"""Debian's unmodified U-Boot (rpi_arm64 build) runs as VM 3 beside echo and lrtos."""

import re

UBOOT_VM = 3
PROMPT = "U-Boot> "
# What U-Boot says because this VM has no SD card, USB or network (they are
# disabled in its device tree, docs/guests.md); anything else that looks like
# an error is a failure.
EXPECTED_COMPLAINTS = ("** Bad device specification mmc 0 **",)


def uboot_prompt(hv):
    """Attaches to U-Boot, stops its autoboot countdown, and waits for its prompt."""
    hv.attach(UBOOT_VM)
    hv.expect(r"U-Boot 2023\.01[^\r\n]*", timeout=20)
    banner = hv.match.group(0)
    hv.expect_exact("Hit any key to stop autoboot", timeout=20)
    early = hv.before
    hv.send(" ")
    hv.expect_exact(PROMPT, timeout=10)
    return banner, early


def uboot_run(hv, command, timeout=10):
    hv.send(command + "\r")
    hv.expect_exact(PROMPT, timeout=timeout)
    return hv.before.replace("\r", "")


def test_uboot_boots_to_its_prompt_on_a_pi3(hv):
    banner, early = uboot_prompt(hv)
    assert "2023.01" in banner
    assert "RPI 3 Model B (0xa02082)" in early, early
    assert re.search(r"DRAM:\s+128 MiB", early), early
    assert "devicetree: board" in early  # it uses the device tree the VM was given
    for line in early.splitlines():
        if line.strip() in EXPECTED_COMPLAINTS:
            continue
        assert not re.search(r"mbox|mailbox|error|fail|timeout|abort", line, re.I), line


def test_uboot_commands_work(hv):
    uboot_prompt(hv)
    assert "U-Boot 2023.01" in uboot_run(hv, "version")
    out = uboot_run(hv, "bdinfo")
    assert re.search(r"DRAM bank\s+= 0x0+\b", out) and "0x0000000008000000" in out, out
    out = uboot_run(hv, "printenv")
    assert "board_name=3 Model B" in out and "board_revision=0xA02082" in out, out
    out = uboot_run(hv, "md 0x0 4")
    assert re.search(r"00000000: [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8} [0-9a-f]{8}", out), out
    out = uboot_run(hv, "help")
    assert "bdinfo" in out and "printenv" in out
    # The other VMs kept running meanwhile.
    hv.send("@1")
    hv.expect(r"attached to VM 1 \(echo\)")
    hv.send("echo still here\r")
    hv.expect(r"echo still here\r*\n")
    hv.send("@2")
    out = hv.read_for(1.0)
    assert re.search(r"[1-5a-e]", out), out[-300:]


def test_uboot_cannot_read_beyond_its_ram(hv):
    uboot_prompt(hv)
    # 0x10000000 is beyond its 128 MiB: on the host it is another VM's memory or nothing.
    hv.send("md 0x10000000 4\r")
    hv.expect(r"\[aVisor\] VM 3 \(uboot\): read outside its RAM at IPA 0x10000000; "
              r"external abort injected")
    hv.expect_exact('"Synchronous Abort" handler, esr 0x96000010')
    out = hv.before
    assert not re.search(r"10000000: [0-9a-f]{8}", out), out
    # U-Boot resets after its abort handler: the VM restarts from its files.
    hv.expect(r"\[aVisor\] VM 3 \(uboot\): reset by the guest, restarting", timeout=20)
    hv.expect(r"U-Boot 2023\.01", timeout=20)
    hv.expect_exact("Hit any key to stop autoboot", timeout=20)
    hv.send(" ")
    hv.expect_exact(PROMPT)


def test_uboot_reset_restarts_the_vm(hv):
    uboot_prompt(hv)
    hv.send("reset\r")
    hv.expect_exact("resetting ...")
    hv.expect(r"\[aVisor\] VM 3 \(uboot\): reset by the guest, restarting", timeout=20)
    hv.expect(r"U-Boot 2023\.01", timeout=20)
    hv.expect_exact("RPI 3 Model B")
    hv.expect_exact("Hit any key to stop autoboot", timeout=20)
    hv.send(" ")
    hv.expect_exact(PROMPT)
    hv.send("@0")
    hv.expect_prompt()
    out = hv.run("vmi 3")
    assert "restarts 1" in out and re.search(r"VM 3 \(uboot\): (running|waiting)\n", out), out
