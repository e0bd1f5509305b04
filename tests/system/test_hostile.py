"""Hostile guests (issue 6): each runs next to echo, lrtos and U-Boot.

For every one of them the hypervisor keeps running (no crash report, the
shell answers), reports the guilty VM in one line where there is something
to report, the other VMs keep running, and echo still echoes byte-exact
afterwards. The guests live in tests/guests/ and are loaded from the SD
card with vmld; the first one loaded gets VM id 4.
"""

import random
import re
import string
import time

from conftest import normalize
from test_vms import vml_rows

EOL = r"\r*\n"
LINE = r"[^\r\n]*"  # the rest of one line: a report must fit on it
SHELL_ANSWERS_WITHIN = 2.0  # seconds


def load(hv, image, mib=None, name=None):
    """vmld tests/<image>.bin as VM 4 (or the next free id); returns the id.

    name: a pattern for the VM's name, if it is not the image's."""
    name = name or re.escape(image)
    cmd = "vmld tests/%s.bin 0x80000 0x80000" % image + (" %d" % mib if mib else "")
    hv.sendline(cmd)
    hv.expect(r"vmld: VM (\d+) \(%s\) started" % name)
    return int(hv.match.group(1))


def attach_and_wait(hv, vm_id, last_line, timeout=10):
    """Attaches to a VM and returns all it printed up to and including last_line."""
    hv.attach(vm_id)
    hv.expect_exact(last_line, timeout=timeout)
    return normalize(hv.before) + last_line


def detach(hv):
    hv.send("@0")
    hv.expect_exact("[hypervisor shell]")
    hv.expect_prompt()


def vmi(hv, vm_id):
    out = hv.run("vmi %d" % vm_id)
    assert "VM %d (" % vm_id in out, out
    return out


def vmi_number(out, pattern):
    m = re.search(pattern, out)
    assert m, "no %r in:\n%s" % (pattern, out)
    return [int(g) for g in m.groups()]


def timed_run(hv, command):
    start = time.monotonic()
    out = hv.run(command, timeout=10)
    elapsed = time.monotonic() - start
    assert elapsed < SHELL_ANSWERS_WITHIN, "'%s' took %.1f s" % (command, elapsed)
    return out


def echo_byte_exact(hv, seed):
    """Three random lines (every printable character but the '@' escape) come back exact."""
    rng = random.Random(seed)
    alphabet = (string.ascii_letters + string.digits + string.punctuation + " ").replace("@", "")
    hv.attach(1)
    for _ in range(3):
        text = "".join(rng.choice(alphabet) for _ in range(120))
        hv.send(text + "\r")
        hv.expect(re.escape(text) + EOL)
    detach(hv)


def assert_healthy(hv, guilty, seed):
    """No crash, the boot VMs still run, echo echoes byte-exact."""
    rows, out = vml_rows(hv)
    for vm_id in (1, 2, 3):
        assert rows[vm_id]["state"] != "stopped", out
    assert rows[guilty]["state"] != "stopped", out
    echo_byte_exact(hv, seed)
    log = open(hv.log.name, encoding="utf-8").read()
    assert "aVisor crash" not in log
    assert "aVisor" in hv.run("version")


# --- SMC and hypercalls ---------------------------------------------------------------------

CALL = re.compile(r"smc_hvc: (.+): x0=(-?\d+) \(want (-?\d+)\), x4-x28 (\w+)")


def test_smc_and_bad_hypercalls_are_answered_and_the_guest_goes_on(hv):
    vm = load(hv, "smc_hvc")
    out = attach_and_wait(hv, vm, "smc_hvc: done")
    calls = [(m.group(1), int(m.group(2)), m.group(4)) for m in CALL.finditer(out)]
    assert len(calls) == 30, out
    # x0 comes back as documented, and no other register than x0-x3 changed.
    assert all(kept == "kept" for _, _, kept in calls), out
    results = {what: x0 for what, x0, _ in calls}
    smcs = [w for w in results if w.startswith("smc ")]
    assert len(smcs) == 4, out
    # PSCI answers over SMC as over HVC: version 1.0; CPU_ON for a vCPU
    # this one-vCPU VM does not have is INVALID_PARAMETERS.
    assert results["smc #0 PSCI_VERSION"] == 0x10000, out
    assert results["hvc #0 PSCI_VERSION"] == 0x10000, out
    assert results["smc #0 PSCI_CPU_ON"] == -2, out
    assert results["smc #0 garbage"] == -1 and results["smc #0x1234 garbage"] == -1, out
    unknown = [w for w in results if w.startswith("hvc #0 x0=") or w.startswith("hvc #0 garbage")]
    assert len(unknown) == 11 and all(results[w] == -1 for w in unknown), out
    assert results["hvc #1 VERSION"] == -1 and results["hvc #0xffff CONSOLE_WRITE"] == -1, out
    bad_writes = [w for w in results if w.startswith("console_write") and "good" not in w]
    assert len(bad_writes) == 10 and all(results[w] == -2 for w in bad_writes), out
    assert results["console_write good buffer"] == len("smc_hvc: console_write works\r\n")
    assert "smc_hvc: console_write works\n" in out
    # Afterwards the ABI still works.
    assert results["hvc #0 VERSION"] == 0x10000, out
    assert "smc_hvc: VM_ID: VM %d, vCPU 0" % vm in out, out
    assert "smc_hvc: 30 of 30 results as expected" in out, out
    detach(hv)
    info = vmi(hv, vm)
    hvc, smc = vmi_number(info, r"(\d+) HVC, (\d+) SMC")
    assert smc == 4 and hvc == 26 + 1, info  # 26 calls above, and VM_ID
    assert vmi_number(info, r"undefined instructions injected (\d+)") == [0], info
    assert vmi_number(info, r"external aborts injected (\d+)") == [0], info
    assert_healthy(hv, vm, seed=1)


# --- instruction fetch from nowhere -----------------------------------------------------------


def test_wild_jump_gets_an_instruction_abort_reported_in_one_line(hv):
    vm = load(hv, "wild_jump")
    for target in ("0x30000000", "0x3f003000", "0x1000000000"):
        hv.expect(r"\[aVisor\] VM %d \(wild_jump\): instruction fetch from IPA %s outside its "
                  r"RAM; external abort injected \(EC 0x20 instruction abort from a lower EL"
                  r"%s; ESR 0x[0-9a-f]+ ELR %s FAR %s\)\r*\n" % (vm, target, LINE, target, target))
    hv.expect_prompt()
    out = attach_and_wait(hv, vm, "wild_jump: done")
    # The guest's own handler got a synchronous external abort on instruction fetch
    # (EC 0x21, IFSC 0x10) with the PC it jumped to, and went on.
    for target in ("0x30000000", "0x3f003000", "0x1000000000"):
        assert ("at ELR %s: ESR_EL1=0x86000010 FAR_EL1=%s (synchronous external abort)"
                % (target, target)) in out, out
        assert "wild_jump: back from %s" % target in out, out
    assert "wild_jump: 3 of 3 jumps ended in an instruction abort" in out, out
    detach(hv)
    info = vmi(hv, vm)
    assert vmi_number(info, r"external aborts injected (\d+)") == [3], info
    assert_healthy(hv, vm, seed=2)


# --- all of its RAM, and more ---------------------------------------------------------------


def test_ram_toucher_sees_exactly_its_ram_and_nothing_beyond(hv):
    first = load(hv, "ram_toucher", mib=16)
    hv.expect(r"\[aVisor\] VM %d \(ram_toucher\): read outside its RAM at IPA 0x1000000; "
              r"external abort injected \(EC 0x24 data abort from a lower EL%s; "
              r"ESR 0x[0-9a-f]+ ELR 0x[0-9a-f]+ FAR 0x1000000\)\r*\n" % (first, LINE))
    hv.expect_prompt()
    second = load(hv, "ram_toucher", mib=48, name=r"ram_toucher\S*")
    hv.expect(r"\[aVisor\] VM %d \(ram_toucher\S*\): read outside its RAM at IPA 0x3000000; "
              r"external abort injected" % second)
    hv.expect_prompt()
    for vm, mib in ((first, 16), (second, 48)):
        out = attach_and_wait(hv, vm, "ram_toucher: done")
        assert ("ram_toucher: first fault at 0x%x (ESR_EL1=0x96000010 FAR_EL1=0x%x)"
                % (mib << 20, mib << 20)) in out, out
        assert "ram_toucher: touched %d MiB (%d pages), 0 read back wrong" % (
            mib, mib * 256) in out, out
        assert "ram_toucher: second pass: 0 pages lost their pattern" in out, out
        assert "ram_toucher: 7 of 7 accesses beyond its RAM faulted" in out, out
        assert "went through" not in out, out
        detach(hv)
        info = vmi(hv, vm)
        assert "memory %d MiB" % mib in info, info
        assert vmi_number(info, r"external aborts injected (\d+)") == [8], info
    # The other VMs' memory was not touched: lrtos's processes still run.
    hv.attach(2)
    out = hv.read_for(1.5)
    assert re.search(r"[1-5]", out) and re.search(r"[a-e]", out), out[-300:]
    detach(hv)
    assert_healthy(hv, first, seed=3)


# --- printing forever -------------------------------------------------------------------------


def test_printer_does_not_starve_the_shell_and_loses_no_line_once_attached(hv):
    vm = load(hv, "printer")
    hv.expect_prompt()
    for _ in range(4):
        hv.read_for(0.3)
        rows, out = vml_rows(hv)
        assert rows[vm]["state"] == "running", out
        timed_run(hv, "vml")
        assert "aVisor" in timed_run(hv, "version")
    echo_byte_exact(hv, seed=4)
    # Its log fills up (how soon depends on how fast the host is) and then stays bounded.
    deadline = time.monotonic() + 20
    while True:
        info = vmi(hv, vm)
        kept, dropped = vmi_number(info, r"console: (\d+) bytes of output kept \((\d+) dropped\)")
        assert kept <= 16384, info
        if dropped > 0 or time.monotonic() > deadline:
            break
        hv.read_for(0.5)
    assert kept == 16384 and dropped > 0, info
    # Attaching shows the marker, then the newest 16 KiB, then the live output.
    hv.attach(vm)
    hv.expect(r"\[\.\.\. (\d+) bytes of earlier output dropped \.\.\.\]" + EOL)
    assert int(hv.match.group(1)) > 0
    lines = normalize(hv.read_for(1.5)).split("\n")[:-1]  # the last one may be cut
    if not re.fullmatch(r"printer: \d+", lines[0]):
        lines = lines[1:]  # the log's oldest line lost its start
    counters = []
    for line in lines:
        m = re.fullmatch(r"printer: (\d+)", line)
        assert m, "a garbled line after %d good ones: %r" % (len(counters), line)
        counters.append(int(m.group(1)))
    assert len(counters) > 500, len(counters)
    gaps = [(a, b) for a, b in zip(counters, counters[1:]) if b != a + 1]
    assert not gaps, "lines missing or out of order: %s" % gaps[:5]
    detach(hv)
    timed_run(hv, "vml")
    assert_healthy(hv, vm, seed=5)


# --- hammering device registers ---------------------------------------------------------------

HAMMER = re.compile(r"mmio_hammer: round (\d+), CLO (\d+), (\d+) accesses, (\d+) unknown reads "
                    r"non-zero, CLO backwards (\d+) times")


def test_mmio_hammer_keeps_the_system_responsive(hv):
    vm = load(hv, "mmio_hammer")
    hv.expect_prompt()
    before = vmi(hv, vm)
    for _ in range(3):
        hv.read_for(0.3)
        timed_run(hv, "vml")
        timed_run(hv, "version")
    after = vmi(hv, vm)
    counts = r"(\d+) MMIO reads, (\d+) MMIO writes"
    unknown = r"device accesses that hit no register: (\d+) reads, (\d+) writes"
    for pattern in (counts, unknown):
        old, new = vmi_number(before, pattern), vmi_number(after, pattern)
        assert new[0] > old[0] and new[1] > old[1], (before, after)
    assert vmi_number(after, unknown)[0] > 1000, after
    echo_byte_exact(hv, seed=6)
    hv.attach(vm)
    seen = []
    for _ in range(3):
        hv.expect(HAMMER, timeout=10)
        seen.append([int(g) for g in hv.match.groups()])
    rounds = [s[0] for s in seen]
    assert rounds == sorted(rounds) and rounds[0] < rounds[-1], seen
    # Unknown addresses read as 0 and the system timer never runs backwards.
    assert all(s[3] == 0 and s[4] == 0 for s in seen), seen
    detach(hv)
    assert_healthy(hv, vm, seed=7)


# --- corrupt mailbox property buffers ---------------------------------------------------------


def test_corrupt_mailbox_buffers_are_refused(hv):
    mib = 24
    vm = load(hv, "bad_mailbox", mib=mib)
    out = attach_and_wait(hv, vm, "bad_mailbox: done")
    size = mib << 20
    for what in ("good request", "good request again, uncached alias"):
        assert re.search(r"bad_mailbox: %s: answer 0x[0-9a-f]{8} code 0x80000000\n" % what, out)
        assert ("bad_mailbox: %s: tag 0x80000008 base 0x0 size 0x%x" % (what, size)) in out, out
    answers = {m.group(1): (m.group(2), m.group(3) or "") for m in re.finditer(
        r"bad_mailbox: ([^:\n]+): answer (none|0x[0-9a-f]{8})(?: code (0x[0-9a-f]{8}))?\n", out)}
    fine = ("good request", "good request again, uncached alias", "unknown tag",
            "1 MiB of unknown tags")
    bad = {what: answer for what, answer in answers.items() if what not in fine}
    assert len(bad) == 16, answers
    for what, (_, code) in bad.items():
        # A buffer the guest can read shows the error code; one outside its RAM cannot be
        # answered in (the mailbox may still hand the message back).
        assert code in ("", "0x80000001"), (what, code, out)
    outside = sorted(what for what, (_, code) in bad.items() if not code)
    assert outside == ["buffer at 0xfffffff0", "buffer at the end of RAM",
                       "buffer in the device window", "buffer outside its RAM"], outside
    assert bad["buffer crossing the end of RAM"] == ("0x%08x" % (size - 16 + 8), "0x80000001")
    # An unknown tag is skipped without failing the buffer; 1 MiB of them is walked.
    assert answers["unknown tag"][1] == "0x80000000", answers
    assert "bad_mailbox: unknown tag: tag code 0x00000000" in out, out
    assert answers["1 MiB of unknown tags"] == ("0x00400008", "0x80000000"), answers
    # Mailbox 0 holds 8 answers; requests beyond that are dropped, not queued forever.
    assert "bad_mailbox: 12 requests without reading: 8 answers" in out, out
    detach(hv)
    info = vmi(hv, vm)
    assert "memory %d MiB" % mib in info, info
    assert vmi_number(info, r"external aborts injected (\d+)") == [0], info
    assert_healthy(hv, vm, seed=8)
