"""The hypervisor boots on QEMU raspi3b, says who it is, and reports crashes."""

import re
import time


def test_banner_names_version_el_and_memory_map(boot):
    con = boot()
    start = time.monotonic()
    con.expect(r"aVisor (\d+\.\d+\.\d+) \(([^)]+)\)")
    assert con.match.group(1).count(".") == 2
    con.expect(r"entered at EL2, running at EL2")
    con.expect_exact("memory map (physical):")
    con.expect(r"0x00080000-0x[0-9a-f]{8} +\d+ KiB  hypervisor text")
    con.expect(r"0x01000000-0x3bffffff +944 MiB  free for virtual machines")
    con.expect(r"0x3f000000-0x3fffffff +16 MiB  peripherals")
    con.expect(r"0x40000000-0x4003ffff +256 KiB  local peripherals")
    con.expect_exact("Ctrl-A X quits")
    con.expect_prompt()
    assert time.monotonic() - start < 5, "banner and prompt must appear within 5 seconds"


def test_firmware_answers_board_revision(hv):
    # QEMU raspi3b's firmware model reports the Pi 3 Model B revision code.
    out = hv.run("version")
    assert re.search(r"aVisor \d+\.\d+\.\d+", out)
    hv.sendline("mem")
    hv.expect(r"0x00000000-0x0007ffff +512 KiB  firmware")
    hv.expect_prompt()


def test_uptime_and_interrupts_advance(hv):
    def uptime():
        out = hv.run("uptime")
        m = re.search(r"up (\d+)\.(\d{3}) s; (\d+) interrupts", out)
        assert m, out
        return int(m.group(1)) * 1000 + int(m.group(2)), int(m.group(3))

    ms1, irq1 = uptime()
    time.sleep(1.0)
    ms2, irq2 = uptime()
    # The system timer runs at 1 MHz; allow for a slow or busy host.
    assert 900 <= ms2 - ms1 <= 5000, (ms1, ms2)
    # The guests' timers and the scheduler's alarm keep interrupting.
    assert irq2 > irq1


def test_crash_report_decodes_the_exception_and_halts(hv):
    hv.sendline("crash")
    hv.expect_exact("*** aVisor crash on core 0: synchronous exception in the hypervisor (EL2)")
    hv.expect(r"EC 0x25: data abort at the same EL — translation fault, level 2, write")
    hv.expect(r"ESR_EL2 0x9[0-9a-f]{7}  ELR_EL2 0x0000000000[0-9a-f]{6}  "
              r"FAR_EL2 0x00000000dead0000  SPSR_EL2 0x[0-9a-f]{8}")
    for reg in ("x0 ", "x15", "x30", "sp "):
        hv.expect_exact(reg)
    hv.expect_exact("*** system halted")
    # Halted means halted: the shell does not answer any more.
    hv.sendline("help")
    assert "list the commands" not in hv.read_for(1.0)
