"""Virtual machines: echo and lrtos side by side, console multiplexing, hostile guests."""

import random
import re
import string
import time


def boot_vms(hv):
    """The hypervisor's boot log says which VMs started (it precedes the first prompt)."""
    log = open(hv.log.name, encoding="utf-8").read()
    assert re.search(r"boot: VM 1 \(echo\) started", log), log
    assert re.search(r"boot: VM 2 \(lrtos\) started", log), log


def vml_rows(hv):
    out = hv.run("vml")
    rows = {}
    for line in out.splitlines():
        m = re.match(r"[ *]\s*(\d+) (\S+)\s+(\S+)\s+(\d+) MiB\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)"
                     r"\s+(\d+)\s+(\d+)\s+(\d+)", line)
        if m:
            rows[int(m.group(1))] = {
                "name": m.group(2), "state": m.group(3), "mem": int(m.group(4)),
                "cpu_ms": int(m.group(5)), "exits": int(m.group(6)),
                "mmio_rd": int(m.group(7)), "mmio_wr": int(m.group(8)), "hvc": int(m.group(9)),
                "wfx": int(m.group(10)), "sysreg": int(m.group(11)), "virq": int(m.group(12)),
            }
    return rows, out


def attach_echo(hv):
    hv.attach(1)
    hv.expect_exact("echo: ready")


def test_both_guests_run_and_counters_grow(hv):
    boot_vms(hv)
    first, out = vml_rows(hv)
    assert first[1]["name"] == "echo" and first[2]["name"] == "lrtos", out
    assert first[1]["mem"] == 16 and first[2]["mem"] == 32
    hv.read_for(1.5)
    second, out = vml_rows(hv)
    # lrtos runs a timer-driven scheduler: it keeps trapping, taking interrupts and time.
    assert second[2]["exits"] > first[2]["exits"], out
    assert second[2]["mmio_wr"] > first[2]["mmio_wr"], out
    assert second[2]["virq"] > first[2]["virq"], out
    assert second[2]["cpu_ms"] >= first[2]["cpu_ms"], out
    # echo waits for input in WFI.
    assert second[1]["wfx"] >= 1, out
    assert second[1]["state"] in ("waiting", "running"), out


def test_attach_type_and_detach(hv):
    attach_echo(hv)
    hv.send("hello, vm\r")
    hv.expect(r"hello, vm\r*\n")
    hv.send("@0")
    hv.expect_exact("[hypervisor shell]")
    hv.expect_prompt()
    out = hv.run("version")
    assert "aVisor" in out


def test_at_escapes(hv):
    attach_echo(hv)
    hv.send("@l")
    hv.expect(r"ID NAME")
    hv.expect(r"\*\s*1 echo")
    hv.send("@@x\r")
    hv.expect(r"@x\r*\n")
    hv.send("@9")
    hv.expect_exact("[no VM 9")
    hv.send("a@bc\r")  # '@' followed by an ordinary byte reaches the guest as typed
    hv.expect(r"a@bc\r*\n")
    hv.send("@2")
    hv.expect(r"attached to VM 2 \(lrtos\)")
    hv.expect(r"[1-5a-e ]{5}")
    hv.send("@1")
    hv.expect(r"attached to VM 1 \(echo\)")
    hv.send("@0")
    hv.expect_prompt()


def test_bad_vm_ids(hv):
    assert "no VM with id 7" in hv.run("vmc 7")
    assert "'x' is not a VM id" in hv.run("vmc x")
    assert "usage: vmc <id>" in hv.run("vmc")


def test_burst_paste_into_echo_is_byte_exact(hv):
    attach_echo(hv)
    rng = random.Random(1234)
    alphabet = string.ascii_letters + string.digits + " .,;:-_+=!?#$%^&*()[]{}<>/|~"
    lines = ["".join(rng.choice(alphabet.replace("@", "")) for _ in range(63)) for _ in range(64)]
    payload = "\r".join(lines) + "\r"
    assert len(payload) == 4096
    hv.send(payload)
    for line in lines:
        hv.expect(re.escape(line) + r"\r*\n", timeout=20)


def test_lrtos_processes_interleave(hv):
    hv.attach(2)
    out = hv.read_for(3.0)
    # Each process prints its sequence in order, one character at a time.
    assert "12345" in "".join(c for c in out if c in "12345"), out[-500:]
    assert "abcde" in "".join(c for c in out if c in "abcde"), out[-500:]
    # The scheduler interleaves them: digits and letters alternate in runs.
    runs = re.findall(r"[1-5]+|[a-e]+", out)
    switches = sum(1 for a, b in zip(runs, runs[1:]) if a[0].isdigit() != b[0].isdigit())
    assert switches >= 4, out[-500:]


def test_output_while_detached_is_shown_on_attach(hv):
    hv.read_for(1.5)  # lrtos prints while the shell is attached
    hv.sendline("vmc 2")
    hv.expect(r"attached to VM 2 \(lrtos\)")
    # The replayed log starts with lrtos's boot banner, printed long before we attached.
    hv.expect_exact("lrtos: a tiny OS", timeout=5)


def echo_still_works(hv, text):
    hv.sendline("vmc 1")
    hv.expect(r"attached to VM 1 \(echo\)")
    hv.send(text + "\r")
    hv.expect(re.escape(text) + r"\r*\n")
    hv.send("@0")
    hv.expect_prompt()


def test_store_outside_ram_is_an_abort_for_that_vm_only(hv):
    hv.sendline("vmld tests/bad_store.bin 0x80000 0x80000")
    hv.expect(r"\[aVisor\] VM 4 \(bad_store\): write outside its RAM at IPA 0x20000000; "
              r"external abort injected \(EC 0x24 data abort from a lower EL — translation fault, "
              r"level \d; ESR 0x[0-9a-f]+ ELR 0x8[0-9a-f]+ FAR 0x20000000\)")
    hv.expect_prompt()
    echo_still_works(hv, "still echoing after bad_store")
    hv.sendline("vmc 4")
    hv.expect_exact("bad_store: storing to 0x20000000")
    # The guest's own handler saw a synchronous external abort (EC 0x25, DFSC 0x10, WnR).
    hv.expect_exact("ESR_EL1=0x96000050 FAR_EL1=0x0000000020000000")
    out = hv.read_for(0.5)
    assert "isolation is broken" not in out
    hv.send("@0")
    hv.expect_prompt()
    rows, out = vml_rows(hv)
    assert rows[1]["state"] != "stopped" and rows[2]["state"] != "stopped", out


def loaded_guest_stops_alone(hv, guest, report):
    """vmld's the hostile test guest as VM 4, waits for the one-line report of its stop,
    and checks that only it stopped and echo still answers."""
    hv.sendline("vmld tests/%s.bin 0x80000 0x80000" % guest)
    hv.expect(r"\[aVisor\] VM 4 \(%s\) stopped: %s" % (guest, report))
    hv.expect_prompt()
    rows, out = vml_rows(hv)
    assert rows[4]["state"] == "stopped", out
    assert rows[1]["state"] != "stopped" and rows[2]["state"] != "stopped", out
    echo_still_works(hv, "still echoing after " + guest)


def test_device_access_without_syndrome_stops_only_that_vm(hv):
    loaded_guest_stops_alone(hv, "bad_mmio",
                             r"access without a valid syndrome at device IPA 0x3f003004 "
                             r"cannot be emulated \(EC 0x24 data abort from a lower EL")


def test_malformed_device_access_is_reported_with_its_size_and_stops_only_that_vm(hv):
    """A halfword store to a word-only device register: the report names the access,
    decoded again from FAR_EL2/HPFAR_EL2 after the model refused it."""
    loaded_guest_stops_alone(hv, "bad_width",
                             r"malformed 2-byte write of device register at IPA 0x3f003010")


def test_unemulated_sysreg_is_undefined_to_the_guest(hv):
    hv.sendline("vmld tests/bad_sysreg.bin 0x80000 0x80000")
    hv.expect(r"\[aVisor\] VM 4 \(bad_sysreg\): undefined instruction injected at ELR 0x8[0-9a-f]+ "
              r"\(EC 0x18 MSR/MRS/system instruction trapped: MRS S3_3_C14_C2_1\)")
    hv.expect_prompt()
    hv.sendline("vmc 4")
    hv.expect_exact("bad_sysreg: reading CNTP_CTL_EL0")
    # The guest's own EL1 handler got an "unknown reason" exception: ESR_EL1.EC = 0, IL = 1.
    hv.expect_exact("ESR_EL1=0x02000000")
    hv.send("@0")
    hv.expect_prompt()
    echo_still_works(hv, "still echoing after bad_sysreg")


def test_spinning_with_interrupts_masked_is_preempted(hv):
    hv.sendline("vmld tests/irq_spin.bin 0x80000 0x80000")
    hv.expect(r"vmld: VM 4 \(irq_spin\) started")
    hv.expect_prompt()
    before, _ = vml_rows(hv)
    hv.read_for(1.0)
    after, out = vml_rows(hv)
    # The spinner gets CPU time, and so does lrtos: the spinner is preempted.
    assert after[4]["state"] == "running", out
    assert after[4]["cpu_ms"] > before[4]["cpu_ms"], out
    assert after[2]["cpu_ms"] > before[2]["cpu_ms"], out
    assert after[2]["exits"] > before[2]["exits"], out
    echo_still_works(hv, "still echoing next to irq_spin")
    hv.attach(2)
    out = hv.read_for(1.5)
    assert re.search(r"[1-5]", out) and re.search(r"[a-e]", out), out[-300:]


def test_guest_uses_the_virtual_timer_directly(hv):
    hv.sendline("vmld tests/vtimer.bin 0x80000 0x80000")
    hv.expect(r"vmld: VM 4 \(vtimer\) started")
    hv.attach(4)
    hv.expect(r"vtimer: CNTFRQ (\d+) Hz")
    # A line about every ten ticks of 100 ms: the ticks keep pace with virtual time.
    for _ in range(2):
        hv.expect(r"vtimer: (\d+) ticks after (\d+) ms of virtual time", timeout=15)
        ticks, ms = int(hv.match.group(1)), int(hv.match.group(2))
        assert ticks >= 10 and 85 <= ms / ticks <= 120, hv.match.group(0)
    hv.send("@0")
    hv.expect_prompt()
    # Between ticks it waits in WFI: it takes (almost) no CPU time.
    rows, out = vml_rows(hv)
    # Two ticks can be taken after one wake-up when the guest is behind: count loosely.
    assert rows[4]["wfx"] >= 10 and rows[4]["virq"] >= 10, out
    assert rows[4]["cpu_ms"] < 300, out


def test_registers_x19_to_x29_survive_the_trap_fast_path(hv):
    """MMIO and MRS through x19-x30, and x19-x29 live across HVC, MMIO, MRS and WFE,
    while lrtos and echo share the core (interrupts, vCPU switches)."""
    hv.sendline("vmld tests/high_regs.bin 0x80000 0x80000")
    hv.expect(r"vmld: VM 4 \(high_regs\) started")
    hv.attach(4)
    for _ in range(3):
        hv.expect(r"high_regs: (ok|FAILED) after (\d+) rounds", timeout=20)
        assert hv.match.group(1) == "ok", hv.before[-600:]
    assert "FAIL" not in hv.before, hv.before[-600:]
    hv.send("@0")
    hv.expect_prompt()


def test_vmi_shows_one_vm_in_detail(hv):
    out = hv.run("vmi 2")
    assert re.search(r"VM 2 \(lrtos\): (running|waiting)\n", out), out
    assert re.search(r"memory 32 MiB: IPA 0x0-0x1ffffff -> PA 0x[0-9a-f]{8}-0x[0-9a-f]{8}, VMID 2",
                     out), out
    assert re.search(r"exits \d+: \d+ interrupts, \d+ MMIO reads", out), out
    # lrtos is alone on core 1: its registers are there, not read from the shell's core
    # (the ones saved when it started would be stale). echo is on the shell's core 0.
    assert re.search(r"vCPU 0 on core 1 \(dedicated\): (runnable|waiting \(WFI\)), "
                     r"CPU time \d+ ms, registers live on core 1\n", out), out
    echo = hv.run("vmi 1")
    assert re.search(r"vCPU 0 on core 0 \(dedicated\): (runnable|waiting \(WFI\)), "
                     r"CPU time \d+ ms, PC 0x[0-9a-f]+, PSTATE 0x[0-9a-f]+\n", echo), echo
    assert "PC 0x80000," not in echo, echo  # the live frame, not the entry it started at
    assert "no VM with id 7" in hv.run("vmi 7")
    assert "9 is out of range" in hv.run("vmi 9")
    assert "not a VM" in hv.run("vmi 0")
    hv.sendline("vmld tests/bad_mmio.bin 0x80000 0x80000")
    hv.expect("stopped")
    hv.expect_prompt()
    out = hv.run("vmi 4")
    assert "VM 4 (bad_mmio): stopped" in out and "without a valid syndrome" in out, out


def test_timer_match_reaches_a_guest_spinning_alone(boot):
    """A compare write is enough for the hypervisor to wake up for the match.

    The only VM arms system timer compare 3 and spins with IRQs on, never
    trapping: without anything else to make the scheduler look again, the
    hypervisor's alarm must already cover the match.
    """
    con = boot(card_files={"avisor.cfg": "spin tests/timer_spin.bin 0x80000 0x80000 16M\n"})
    con.expect_booted(timeout=30)
    con.attach(1)
    con.expect(r"timer_spin: (\d+) matches in (\d+) ms", timeout=10)
    assert con.match.group(1) == "5"
    assert 450 <= int(con.match.group(2)) <= 1500, con.match.group(0)


def test_virtual_timer_reaches_a_guest_that_never_traps(boot):
    """The virtual timer's re-check: a guest lowers its timer line without a trap.

    The only VM moves CNTV_CVAL_EL0 on in its IRQ handler after reading its
    interrupt source, and spins in between without a trap: the hypervisor,
    which masked the physical interrupt when it fired, must notice by its
    re-check alarm that the line fell, or the second tick never comes.
    """
    con = boot(card_files={"avisor.cfg": "spin tests/vtimer_spin.bin 0x80000 0x80000 16M\n"})
    con.expect_booted(timeout=30)
    con.attach(1)
    con.expect(r"vtimer_spin: (\d+) ticks in (\d+) ms", timeout=15)
    assert con.match.group(1) == "10", con.match.group(0)
    assert 190 <= int(con.match.group(2)) <= 600, con.match.group(0)


def test_a_trap_after_the_timer_handler_unmasks_the_virtual_timer(boot):
    """After its first ten ticks the vtimer_spin guest reads the system timer's
    counter in a loop (a trap each time). The first trap after its handler finds the
    timer's line low and unmasks the interrupt: one exit a tick, and no re-check
    alarm, which would be a second exit every tick."""
    con = boot(card_files={"avisor.cfg": "spin tests/vtimer_spin.bin 0x80000 0x80000 16M\n"})
    con.expect_booted(timeout=30)
    con.attach(1)
    con.expect(r"vtimer_spin: \d+ ticks, trapping", timeout=15)
    con.send("@0")
    con.expect_prompt()
    irq_exits = lambda text: int(re.search(r"exits \d+: (\d+) interrupts", text).group(1))
    virqs = lambda text: int(re.search(r"virtual interrupts delivered (\d+)", text).group(1))
    first = con.run("vmi 1")
    time.sleep(2)
    info = con.run("vmi 1")
    ticks = virqs(info) - virqs(first)
    assert ticks >= 50, (first, info)  # 50 ticks a second
    # Its own UART's transmit deadlines add a few: one line a second.
    assert irq_exits(info) - irq_exits(first) <= ticks + 20, (first, info)
