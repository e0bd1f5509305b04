"""Isolation: nothing of one VM's CPU state reaches another (issue 14).

regs_writer fills every register a guest can write, arms breakpoints and
watchpoints on code and memory regs_reader uses, and programs the PMU to
count at EL2, forever; regs_reader, started after it, reports each
register at boot, after being descheduled while busy and while waiting in
WFI, then unmasks its debug exceptions (tests/guests/regs_reader.c).
"""

import re

from test_wakeups import ICOUNT

CONFIG = (
    "echo    echo.bin               0x80000 0x80000 16M cpus=0\n"
    "writer  tests/regs_writer.bin  0x80000 0x80000 16M cpus=0\n"
)


def test_no_register_leaks_between_vms(boot):
    con = boot(card_files={"avisor.cfg": CONFIG}, extra=ICOUNT)
    con.expect_prompt(timeout=15)
    con.attach(2)
    con.expect(r"writer: PMU (TRAPPED|counted \d+ cycles[^\n]*)")
    pmu = con.match.group(1)
    con.expect(r"writer: \d+ registers and V0-V31 armed")
    con.send("@0")
    con.expect_prompt()
    # On the writer's core: registers can only leak between vCPUs that share one.
    con.sendline("vmld tests/regs_reader.bin 0x80000 0x80000 cpus=0")
    con.expect(r"vmld: VM 3 \(regs_reader\) started")
    con.expect_prompt()
    con.attach(3)
    con.expect("reader: done", timeout=120)
    report = con.before.replace("\r", "")
    lines = re.findall(r"^reader: .*$", report, re.M)
    # The guest that asked the PMU to count the hypervisor counted nothing.
    assert pmu.startswith("TRAPPED"), pmu
    verdicts = [l for l in lines if re.search(r" (boot|busy|wait|pmu) ", l)]
    assert len(verdicts) > 150, lines
    bad = [l for l in verdicts if not re.search(r" (OK|TRAPPED)\b", l)]
    assert not bad, "\n".join(bad)
    assert all(" TRAPPED" in l for l in lines if " pmu " in l)
    assert "reader: ID_AA64DFR0_EL1.PMUVer 0" in lines
    assert "reader: debug exceptions from the writer's points: 0" in lines
    assert "reader: own breakpoint taken 1 times" in lines
    late = re.search(r"reader: sleeps of 100 ms late by (\d+) us at most", report)
    assert late and int(late.group(1)) <= 20000, late
    con.send("@0")
    con.expect_prompt()
    assert re.search(r"^\s*2 writer\s+running", con.run("vml"), re.M)
