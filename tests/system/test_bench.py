"""The benchmark guest (guests/bench) in its quick run (key 'q': 64 times
fewer iterations), natively and under aVisor, without -icount: it must
complete, and its compute and memory kernels must leave the same checksum
in both places. Also the VM switch run with two bench VMs (keys 'p' and 'Y'),
the IPI ping-pong guest, the dedicated-core plugin run and the boot line make
bench reads. No timing is checked: make bench
measures, under -icount (docs/benchmarks.md).
"""

import os
import re

from conftest import BUILD, PROMPT

BENCH = os.path.join(BUILD, "guests", "bench.bin")
BENCH_VM = "bench.bin 0x80000 0x80000 16M\n"
RESULT = re.compile(r"bench: (\w+) (\d+\.\d+) \(")
CHECKSUM = re.compile(r"bench: checksum (0x[0-9a-f]{16})")
# Every result line of the quick run (hvc only under aVisor).
ROWS = {"mmio_read", "mmio_write", "id_register", "uart_char", "wfi_wakeup", "irq_systimer",
        "irq_systimer_max", "irq_vtimer", "irq_vtimer_max", "compute", "memory"}


def quick_run(con):
    """Starts the quick run and returns (results by name, checksum)."""
    con.expect_exact("bench: press a key to start", timeout=15)
    con.send("q")
    con.expect_exact("bench: done", timeout=120)
    text = con.before
    checksum = CHECKSUM.search(text)
    assert checksum, text
    return {m.group(1) for m in RESULT.finditer(text)}, checksum.group(1)


def test_bench_quick_run_matches_native_checksum(boot):
    native_rows, native_sum = quick_run(boot(kernel=BENCH, sdcard=None))
    assert native_rows == ROWS

    hv = boot(card_files={"avisor.cfg": "bench " + BENCH_VM})
    hv.expect_booted(timeout=30)
    hv.attach(1)
    virt_rows, virt_sum = quick_run(hv)
    assert virt_rows == ROWS | {"hvc"}
    assert virt_sum == native_sum


def test_bench_vm_switch_keeps_fpsimd_state(boot):
    # Both on core 0: the switches between them are what is tested.
    both = BENCH_VM.replace("16M", "16M cpus=0")
    hv = boot(card_files={"avisor.cfg": "bench-a " + both + "bench-b " + both})
    hv.expect_booted(timeout=30)
    hv.attach(2)
    hv.expect_exact("bench: press a key to start", timeout=15)
    hv.send("p")
    hv.expect_exact("bench: yielding forever")
    hv.send("@0")
    hv.expect_prompt()
    hv.attach(1)
    hv.expect_exact("bench: press a key to start", timeout=15)
    hv.send("Y")
    hv.expect(r"bench: vm_switch \d+\.\d+ \(\d+ ticks / 128 switches\)", timeout=60)
    hv.expect(r"bench: fpsimd across switches (intact|CORRUPTED)")
    assert hv.match.group(1) == "intact"
    hv.expect_exact("bench: done")


def test_ipi_round_trip_bounces_between_two_cores(boot):
    """make bench's IPI row: tests/ipi_pingpong.bin with its two vCPUs on cores 1 and 2
    bounces a local-mailbox IPI 16 + 256 times and prints the round trip; then each core
    shows the vCPU placed there and the mailbox exits it took."""
    hv = boot(card_files={"avisor.cfg": "ipi tests/ipi_pingpong.bin 0x80000 0x80000 16M "
                                        "vcpus=2 cpus=1,2\n"})
    hv.expect_booted(timeout=30)
    hv.attach(1)
    hv.expect(r"bench: ipi_round_trip (\d+)\.\d+ \(\d+ ticks / 256 round trips\)", timeout=60)
    assert int(hv.match.group(1)) > 0
    hv.expect_exact("bench: done")
    hv.send("@0")
    hv.expect_prompt()
    out = hv.run("vmi 1")
    assert "vCPU 0 on core 1" in out and "vCPU 1 on core 2" in out, out
    # Four mailbox writes a round trip: the set, and the clear and set or clear of each handler.
    writes = int(re.search(r"(\d+) MMIO writes", out).group(1))
    assert writes >= 4 * 272, out


def test_boot_line_reports_uptime_before_prompt(boot):
    con = boot()
    con.expect(r"boot: VMs started (\d+) us after power-on", timeout=15)
    assert int(con.match.group(1)) > 0
    con.expect_exact(PROMPT)


def test_core_path_plugin_times_every_interrupt_of_a_dedicated_core():
    """make bench's dedicated-core rows: the QEMU plugin scripts/qemu-plugins/core_path.c,
    built and loaded as make bench does, sees each of the bench guest's 1024 virtual timer
    interrupts on core 0 (run_core_path fails below 1000); with the other cores idle, the
    same path every time: the hypervisor's vector to the guest's, a few hundred
    instructions. With cores 1-3 running a guest that spins with interrupts masked, one
    that hammers a device and one that prints, nothing of theirs reaches core 0: every
    path is that same one (within a few guest instructions QEMU runs before it delivers
    the virtual interrupt), or that one plus answers to core 0's own virtual-timer
    re-check alarm, every answer the same few hundred instructions, when QEMU's round
    robin kept core 0 waiting past the alarm (1 ms) inside the window, once or more
    (more often the busier the host; on a Pi the window lasts well under a
    microsecond). No kick, no lock spin, no scheduler slow path."""
    import bench  # scripts/bench.py (conftest puts scripts/ on the path)

    idle = bench.run_core_path(BUILD, loaded=False)
    plain = max(idle)
    assert min(idle) == plain, sorted(set(idle))
    assert 100 < plain < 2000, plain
    loaded = bench.run_core_path(BUILD, loaded=True)
    few = bench.CORE_PATH_FEW
    longer = sorted(p - plain for p in loaded if p > plain + few)
    assert all(p >= plain for p in loaded), (plain, sorted(set(loaded)))
    if longer:
        # The shortest longer path is one re-check answer; every other is a whole number of them.
        recheck = longer[0]
        assert 150 <= recheck <= 350, (plain, sorted(set(longer)))
        strays = [d for d in longer
                  if abs(d - round(d / recheck) * recheck) > few * round(d / recheck)]
        assert not strays, (plain, recheck, sorted(set(strays)))
