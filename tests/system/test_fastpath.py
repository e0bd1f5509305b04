"""The traps answered in assembly (vectors.S: ID register reads, the VERSION and VM_ID
hypercalls) against the C they stand for: the shell's `fastpath off` sends every trap
through C, on every core, and the fast_paths guest must see exactly the same either way,
on core 0 and on a secondary core. The guest also checks its registers across the
interrupt fast paths (the virtual timer's, its re-check's, a dedicated core's alarm)."""

import re

GUESTS = ("fp0 tests/fast_paths.bin 0x80000 0x80000 16M cpus=0\n"
          "fp3 tests/fast_paths.bin 0x80000 0x80000 16M cpus=3\n")
DONE = r"fast_paths: (FAILED|registers ok), \d+ failures"


def run_guest(con, vm):
    """Attaches to the VM, returns everything its run printed, and goes back to the shell."""
    con.attach(vm)
    con.expect(DONE, timeout=30)
    out = con.before + con.match.group(0)
    con.send("@0")
    con.expect_prompt()
    return out[out.rindex("fast_paths: start"):].replace("\r", "")


def trap_counts(con):
    """Each VM's HVC and SYSREG trap counters (vml)."""
    lines = [line.split() for line in con.run("vml").splitlines() if line.strip()]
    header = lines[0]
    return [(row[header.index("HVC") + 1], row[header.index("SYSREG") + 1]) for row in lines[1:]]


def run_both(con):
    return [run_guest(con, vm) for vm in (1, 2)], trap_counts(con)


def test_assembly_answers_match_their_c_reference(boot):
    con = boot(card_files={"avisor.cfg": GUESTS})
    con.expect_booted(timeout=30)
    assert "fastpath: on" in con.run("fastpath")
    fast, fast_counts = run_both(con)
    for vm, out in ((1, fast[0]), (2, fast[1])):
        assert "registers ok, 0 failures" in out, out
        assert "VERSION 0x10000" in out and "VM_ID vm %d vcpu 0" % vm in out, out
        # Its registers survived the interrupt fast paths run under it while it spun.
        assert "spinning: virtual timer pending, system timer 1 pending" in out, out

    assert "fastpath: off" in con.run("fastpath off")
    for vm in (1, 2):
        con.run("vmrestart %d" % vm)
        con.expect(r"VM %d \(fp\d\) reloaded from tests/fast_paths.bin and started" % vm,
                   timeout=30)
        con.expect_prompt()
    slow, slow_counts = run_both(con)
    assert slow == fast
    assert slow_counts == fast_counts
    assert all(int(hvc) >= 4 and int(sysreg) >= 32 + 56 for hvc, sysreg in fast_counts), fast_counts

    assert "fastpath: on" in con.run("fastpath on")
    out = con.run("fastpath sideways")
    assert re.search(r"usage: fastpath \[on\|off\]\s+\(not 'sideways'\)", out), out
