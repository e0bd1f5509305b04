"""All four cores (issue 15): placement, lifecycle and containment across cores.

The hypervisor runs guests on cores 0-3; cpus=LIST (config and vmld) says
where a VM's vCPUs run, and each stays on the core it was placed on. These
tests boot the test card (echo on core 0, lrtos on core 1, U-Boot on core
2) and load more VMs on chosen cores with vmld.
"""

import re
import time

import pytest

from conftest import normalize
from test_hostile import assert_healthy, attach_and_wait, detach
from test_lifecycle import free_mib
from test_smp import test_second_vcpu_starts_with_psci_and_ipis_and_timers_work as smp_checks


def vmld(hv, args):
    vm, out = hv.vmld(args)
    return vm


def cpu_ms(hv, vm):
    """The VM's CPU time in ms, from vmi."""
    out = hv.run("vmi %d" % vm)
    times = [int(t) for t in re.findall(r"CPU time (\d+) ms", out)]
    assert times, out
    return sum(times), out


def test_banner_says_four_cores_and_vml_shows_where_vms_run(boot):
    con = boot()
    con.expect_exact("cores: 4 online", timeout=10)
    con.expect_booted(timeout=60)
    out = normalize(con.run("vml"))
    assert re.search(r"^\s+ID NAME .* CORES$", out, re.M), out
    # The test card's placement (config/avisor.cfg): echo 0, lrtos 1, U-Boot 2.
    for vm, name, core in ((1, "echo", "0"), (2, "lrtos", "1"), (3, "uboot", "2")):
        assert re.search(r"^[ *]\s*%d %s .* %s$" % (vm, name, core), out, re.M), out
    out = normalize(con.run("sched"))
    assert "4 of 4 cores online" in out, out
    for core in range(4):
        assert re.search(r"^core %d: " % core, out, re.M), out


def test_cpus_option_places_each_vcpu_and_says_what_is_wrong(hv):
    vm = vmld(hv, "tests/irq_spin.bin 0x80000 0x80000 6 cpus=3")
    out = normalize(hv.run("vmi %d" % vm))
    assert "cores cpus=3" in out, out
    assert "vCPU 0 on core 3 (dedicated)" in out, out
    assert re.search(r"^\s*%d irq_spin .* 3$" % vm, normalize(hv.run("vml")), re.M)
    for bad, words in (("cpus=4", "cpus=4: core 4 does not exist (cores are 0-3)"),
                       ("cpus=3-1", "cpus=3-1: range 3-1 runs backwards"),
                       ("cpus=1;2", "cpus=1;2: unexpected ';'"),
                       ("cpus=", "cpus=: '': expected a core number")):
        out = normalize(hv.run("vmld tests/irq_spin.bin 0x80000 0x80000 6 %s" % bad))
        assert words in out, (bad, out)


def test_vcpus_of_one_vm_spread_over_the_cores_it_may_use(hv):
    vm = vmld(hv, "tests/smp.bin 0x80000 0x80000 16 vcpus=2 cpus=1,3")
    out = normalize(hv.run("vmi %d" % vm))
    # Core 1 has lrtos already: vCPU 0 goes to the emptier core 3, vCPU 1 to the other.
    assert "vCPU 0 on core 3" in out and "vCPU 1 on core 1" in out, out


def test_stop_start_restart_kill_of_a_vm_on_another_core(hv):
    start_free, _ = free_mib(hv)
    vm = vmld(hv, "tests/irq_spin.bin 0x80000 0x80000 6 cpus=3")
    time.sleep(0.5)
    first, _ = cpu_ms(hv, vm)
    time.sleep(0.5)
    running, _ = cpu_ms(hv, vm)
    assert running > first, "irq_spin on core 3 does not run"
    hv.run("vmstop %d" % vm)
    stopped, out = cpu_ms(hv, vm)
    assert "stopped by the user" in out, out
    time.sleep(0.5)
    later, out = cpu_ms(hv, vm)
    # Core 3 left the guest when the command ran: its CPU time stands still.
    assert later == stopped, out
    hv.run("vmstart %d" % vm)
    time.sleep(0.5)
    resumed, out = cpu_ms(hv, vm)
    assert resumed > later, out
    hv.sendline("vmrestart %d" % vm)
    hv.expect(r"VM %d \(irq_spin\) reloaded from tests/irq_spin.bin and started" % vm,
              timeout=30)
    hv.expect_prompt()
    out = hv.run("vmkill %d" % vm)
    assert "6 MiB of memory freed" in out, out
    end_free, out = free_mib(hv)
    assert end_free == start_free, out
    assert_healthy_without(hv, seed=5)


def assert_healthy_without(hv, seed):
    """The boot VMs run and echo is byte-exact (no extra guilty VM to check)."""
    assert_healthy(hv, 1, seed)


def test_hundred_create_destroy_cycles_over_all_cores_return_all_memory(hv):
    start, _ = free_mib(hv)
    for i in range(100):
        vm = vmld(hv, "tests/irq_spin.bin 0x80000 0x80000 6 cpus=%d" % (i % 4))
        out = hv.run("vmkill %d" % vm)
        assert "6 MiB of memory freed" in out, (i, out)
    end, out = free_mib(hv)
    assert end == start, out
    assert_healthy_without(hv, seed=6)


@pytest.mark.parametrize("core", [0, 1, 2, 3])
def test_hostile_guests_are_contained_on_every_core(hv, core):
    """The guests of test_hostile, placed on one core: reported, contained, others go on."""
    vm = vmld(hv, "tests/wild_jump.bin 0x80000 0x80000 cpus=%d" % core)
    out = attach_and_wait(hv, vm, "wild_jump: done")
    assert "wild_jump: 3 of 3 jumps ended in an instruction abort" in out, out
    detach(hv)
    hv.run("vmkill %d" % vm)
    vm = vmld(hv, "tests/smc_hvc.bin 0x80000 0x80000 cpus=%d" % core)
    out = attach_and_wait(hv, vm, "smc_hvc: done")
    assert "smc_hvc: 30 of 30 results as expected" in out, out
    detach(hv)
    hv.run("vmkill %d" % vm)
    vms = {image: vmld(hv, "tests/%s.bin 0x80000 0x80000 cpus=%d" % (image, core))
           for image in ("mmio_hammer", "irq_spin", "bad_sysreg", "timer_spin")}
    vm = vmld(hv, "tests/bad_store.bin 0x80000 0x80000 cpus=%d" % core)
    # Their reports are out (on a shared core the first turn may take a while) before
    # echo is checked: one inside the echoed text would not be echo's fault.
    wait_for_count(hv, vms["bad_sysreg"], r"undefined instructions injected (\d+)")
    wait_for_count(hv, vm, r"external aborts injected (\d+)")
    assert_healthy(hv, vm, seed=core)


def wait_for_count(hv, vm, pattern, timeout=15):
    """Polls vmi until the counter `pattern` names is at least 1."""
    deadline = time.monotonic() + timeout
    while True:
        out = hv.run("vmi %d" % vm)
        m = re.search(pattern, out)
        assert m, out
        if int(m.group(1)) >= 1:
            hv.run("version")  # the report, printed just after the count, is out
            return
        assert time.monotonic() < deadline, out
        time.sleep(0.1)


SMP_ACROSS_CORES = ("echo echo.bin 0x80000 0x80000 16M cpus=0\n"
                    "smp  tests/smp.bin 0x80000 0x80000 16M vcpus=2 cpus=1-2\n")


def test_smp_guest_with_vcpus_on_two_cores(boot):
    """tests/guests/smp.c with its vCPUs on cores 1 and 2: PSCI, IPIs and timers across cores."""
    config = SMP_ACROSS_CORES

    def boot_smp_across_cores(boot_again=None):
        con = boot(card_files={"avisor.cfg": config})
        con.expect_booted(timeout=30)
        return con

    con = boot_smp_across_cores()
    out = normalize(con.run("vmi 2"))
    assert "vCPU 0 on core 1" in out and "vCPU 1 on core 2" in out, out
    con.close()
    smp_checks(lambda **kw: boot(card_files={"avisor.cfg": config}))


def wait_until_powered_off(con, restarts, timeout=15):
    """Polls vmi until VM 2's run number `restarts` has ended with its SYSTEM_OFF."""
    deadline = time.monotonic() + timeout
    while True:
        out = con.run("vmi 2")
        if "stopped: powered off by the guest" in out and "restarts %d," % restarts in out:
            return
        assert time.monotonic() < deadline, out
        time.sleep(0.1)


def test_smp_guest_across_two_cores_completes_every_restart(boot):
    """tests/smp.bin (vCPUs on cores 1 and 2) restarted 30 times: every run goes through
    CPU_ON, IPIs both ways, timers and CPU_OFF to its SYSTEM_OFF. A wake-up lost anywhere
    (the guest's own wait, the mailbox model, the kick, the scheduler) stalls a run."""
    con = boot(card_files={"avisor.cfg": SMP_ACROSS_CORES})
    con.expect_booted(timeout=30)
    wait_until_powered_off(con, 0)
    for run in range(1, 31):
        out = con.run("vmrestart 2")
        assert "VM 2 (smp) loading tests/smp.bin" in out, out
        wait_until_powered_off(con, run)


def core_kicks(con, core):
    out = normalize(con.run("sched"))
    m = re.search(r"^core %d: (dedicated, )?.*, (\d+) kicks" % core, out, re.M)
    assert m, out
    return bool(m.group(1)), int(m.group(2)), out


def test_a_vm_alone_on_a_core_is_not_disturbed_by_the_others(boot):
    """A partition: the vtimer guest alone on core 3 while cores 0-2 run a guest that
    spins with interrupts masked, one that hammers a device, one that prints. Nothing
    the others do reaches core 3 (no kick), and the only exits its VM takes are its
    own doing: its timer interrupt, the re-check that unmasks it, its UART's transmit
    deadlines (no scheduler tick, which would be 100 a second)."""
    config = ("vt      tests/vtimer.bin      0x80000 0x80000 6M cpus=3\n"
              "spin    tests/irq_spin.bin    0x80000 0x80000 6M cpus=0\n"
              "hammer  tests/mmio_hammer.bin 0x80000 0x80000 6M cpus=1\n"
              "printer tests/printer.bin     0x80000 0x80000 6M cpus=2\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_booted(timeout=60)
    dedicated, before, out = core_kicks(con, 3)
    assert dedicated, out
    first = normalize(con.run("vmi 1"))
    time.sleep(3)
    _, after, out = core_kicks(con, 3)
    assert after == before, out
    info = normalize(con.run("vmi 1"))
    irq_exits = lambda text: int(re.search(r"exits \d+: (\d+) interrupts", text).group(1))
    virqs = lambda text: int(re.search(r"virtual interrupts delivered (\d+)", text).group(1))
    ticks = virqs(info) - virqs(first)
    assert ticks >= 20, info  # 10 ticks a second for 3 s
    assert irq_exits(info) - irq_exits(first) <= 2 * ticks + 60, (first, info)
