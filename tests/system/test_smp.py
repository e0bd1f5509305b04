"""Two vCPUs in one VM: PSCI, inter-processor interrupts, per-vCPU timers.

The smp test guest (tests/guests/smp.c) is started from avisor.cfg with
vcpus=2 next to echo; it prints one line per step and powers itself off
with PSCI SYSTEM_OFF at the end.
"""

import re

CONFIG = """echo echo.bin 0x80000 0x80000 16M
smp  tests/smp.bin 0x80000 0x80000 16M vcpus=2
"""


def boot_smp(boot):
    con = boot(card_files={"avisor.cfg": CONFIG})
    con.expect_booted(timeout=30)
    return con


def test_second_vcpu_starts_with_psci_and_ipis_and_timers_work(boot):
    con = boot_smp(boot)
    con.attach(2)
    con.expect_exact("smp: done, SYSTEM_OFF", timeout=20)
    out = con.before
    assert "smp: PSCI version 0x10000" in out, out
    # Errors as PSCI defines them: INVALID_PARAMETERS, INVALID_ADDRESS; cpu1 starts off.
    assert "smp: CPU_ON cpu4 -> -2" in out, out
    assert "smp: CPU_ON outside RAM -> -9" in out, out
    assert "smp: AFFINITY_INFO cpu1 -> 1" in out, out
    # The first CPU_ON succeeds; the second finds it ALREADY_ON.
    assert "smp: CPU_ON cpu1 -> 0, again -> -4" in out, out
    # cpu1 runs with its own MPIDR (Aff0 = 1), CPU_ON's context id in x0, MMU off.
    assert "smp: cpu1 up: MPIDR 0x80000001, context 0x5ec0d001, MMU off" in out, out
    assert "smp: cpu0 got an IPI from cpu1 (mailbox 0x2)" in out, out
    assert "smp: cpu1 got an IPI from cpu0 (mailbox 0x1)" in out, out
    m = re.search(r"smp: cpu1 counted 5 timer ticks in (\d+) ms", out)
    assert m and 40 <= int(m.group(1)) <= 200, out
    # CPU_OFF does not return; AFFINITY_INFO then says off; CPU_ON starts it afresh.
    assert "CPU_OFF returned" not in out, out
    assert out.count("smp: cpu1 is off") == 2, out
    assert "smp: cpu1 up: MPIDR 0x80000001, context 0x5ec0d002, MMU off" in out, out
    assert "smp: CPU_ON cpu1 -> 0\n" in out.replace("\r", ""), out
    m = re.search(r"smp: cpu0 counted 5 timer ticks in (\d+) ms", out)
    assert m, out
    # SYSTEM_OFF powers the VM off: it is stopped, the others run on.
    con.expect(r"VM 2 \(smp\) stopped: powered off by the guest", timeout=5)
    con.send("@0")
    con.expect_prompt()
    out = con.run("vml")
    assert re.search(r"^\s*2 smp\s+stopped", out, re.M), out
    assert re.search(r"^[ *]\s*1 echo\s+(running|waiting)", out, re.M), out
    con.attach(1)
    con.send("ping\r")
    con.expect_exact("ping")


def test_vmi_shows_both_vcpus(boot):
    con = boot_smp(boot)
    out = con.run("vmi 2")
    assert re.search(r"vCPU 0", out) and re.search(r"vCPU 1", out), out
