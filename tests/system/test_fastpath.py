"""The traps answered in assembly (vectors.S: ID register reads, the VERSION and VM_ID
hypercalls) against the C they stand for: the shell's `fastpath off` sends every trap
through C, and the fast_paths guest must see exactly the same either way."""

import re

GUEST = "fp tests/fast_paths.bin 0x80000 0x80000 16M\n"
DONE = r"fast_paths: (FAILED|registers ok), \d+ failures"


def run_guest(con):
    """Attaches to VM 1, returns everything its run printed, and goes back to the shell."""
    con.attach(1)
    con.expect(DONE, timeout=30)
    out = con.before + con.match.group(0)
    con.send("@0")
    con.expect_prompt()
    return out[out.rindex("fast_paths: start"):].replace("\r", "")


def trap_counts(con):
    """VM 1's HVC and SYSREG trap counters (vml)."""
    header, row = [line for line in con.run("vml").splitlines() if line.strip()][:2]
    columns = dict(zip(header.split(), row.split()))
    return columns["HVC"], columns["SYSREG"]


def test_assembly_answers_match_their_c_reference(boot):
    con = boot(card_files={"avisor.cfg": GUEST})
    con.expect_booted(timeout=30)
    assert "fastpath: on" in con.run("fastpath")
    fast = run_guest(con)
    fast_counts = trap_counts(con)
    assert "registers ok, 0 failures" in fast, fast
    assert "VERSION 0x10000" in fast and "VM_ID vm 1 vcpu 0" in fast, fast

    assert "fastpath: off" in con.run("fastpath off")
    con.run("vmrestart 1")
    con.expect(r"VM 1 \(fp\) reloaded from tests/fast_paths.bin and started", timeout=30)
    con.expect_prompt()
    slow = run_guest(con)
    assert slow == fast
    assert trap_counts(con) == fast_counts

    assert "fastpath: on" in con.run("fastpath on")
    out = con.run("fastpath sideways")
    assert re.search(r"usage: fastpath \[on\|off\]\s+\(not 'sideways'\)", out), out
