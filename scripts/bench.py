#!/usr/bin/env python3
"""make bench: run guests/bench natively and under aVisor, in QEMU with
-icount shift=0,align=off,sleep=off (virtual time advances one nanosecond per
executed instruction), and print per operation: native, aVisor, overhead, in
executed instructions; then the VM switch (two bench VMs yielding to each
other), one 4 KiB request to a virtio disk (the bench VM with disk=sd:2),
the boot time of the default configuration, in instructions and in
wall-clock seconds, and disk throughput in QEMU's wall-clock time: Linux's
dd with direct I/O on its root disk against the hypervisor's own reading of
a file from the card, and the virtual timer's interrupt path on a dedicated
core in that core's own instructions, with the other cores idle and loaded
(the QEMU plugin scripts/qemu-plugins/core_path.c). The table goes to build/bench.txt, the chart to
build/bench.png and build/bench.svg (gnuplot). docs/benchmarks.md explains
every number.

Usage: bench.py BUILD_DIR
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

from cardimage import fat_volume

ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
QEMU = ["qemu-system-aarch64", "-M", "raspi3b", "-nographic", "-serial", "null",
        "-serial", "mon:stdio", "-m", "1024"]
PROMPT = "avisor:/# "
LINE = re.compile(r"bench: (\w+) (\d+\.\d+) \(")
BOOT_LINE = re.compile(r"boot: VMs started (\d+) us after power-on")
BENCH_VM = "bench.bin 0x80000 0x80000 16M"
WALL_CLOCK_BOOTS = 3

# The issue 7 targets, in instructions (docs/benchmarks.md); the chart marks them.
TARGETS = {"hvc": 60, "mmio_read": 150, "mmio_write": 150, "id_register": 80,
           "uart_char": 300, "irq_systimer": 400, "irq_vtimer": 400, "vm_switch": 1500}


RAW = []  # every result line as the guests printed it, for build/bench.log


def parse(text, source):
    RAW.extend("%s: %s" % (source, line.strip()) for line in text.splitlines()
               if LINE.search(line) or "checksum" in line)
    return {m.group(1): float(m.group(2)) for m in LINE.finditer(text)}


def spawn(args, timeout=300):
    return pexpect.spawn(args[0], args[1:], encoding="utf-8", codec_errors="replace",
                         timeout=timeout)


def run_native(build):
    child = spawn(QEMU + ICOUNT + ["-kernel", os.path.join(build, "guests", "bench.bin")])
    try:
        child.expect_exact("bench: press a key to start")
        child.send(" ")
        child.expect_exact("bench: done")
        return parse(child.before, "native")
    finally:
        child.terminate(force=True)


class Card:
    """A private copy of the SD card image with another avisor.cfg."""

    def __init__(self, build, config, image="sdcard.img"):
        fd, self.path = tempfile.mkstemp(suffix=".img")
        os.close(fd)
        shutil.copyfile(os.path.join(build, image), self.path)
        if config is not None:
            with tempfile.NamedTemporaryFile("w", suffix=".cfg", delete=False) as cfg:
                cfg.write(config)
            subprocess.run(["mcopy", "-o", "-i", fat_volume(self.path), cfg.name, "::avisor.cfg"],
                           check=True)
            os.unlink(cfg.name)

    def __enter__(self):
        return self.path

    def __exit__(self, *exc):
        os.unlink(self.path)


def boot_hypervisor(build, card, icount=True):
    return spawn(QEMU + (ICOUNT if icount else []) + [
        "-kernel", os.path.join(build, "kernel8.img"),
        "-drive", "file=%s,if=sd,format=raw" % card])


def run_one_vm(config, build, key, end, source, image="sdcard.img", timeout=300):
    """Boots a card with `config`, attaches to VM 1, types `key`, waits for `end`; the match."""
    with Card(build, config, image=image) as card:
        child = boot_hypervisor(build, card)
        try:
            child.expect_exact(PROMPT)
            child.send("vmc 1\r")
            # Attached before the measurements start, and no input while they run.
            child.expect_exact("bench: press a key to start")
            child.send(key)
            child.expect(end, timeout=timeout)
            return parse(child.before, source), child.match
        finally:
            child.terminate(force=True)


def run_virtualized(build):
    return run_one_vm("bench %s\n" % BENCH_VM, build, " ", "bench: done", "aVisor")[0]


def run_vm_switch(build, core=0):
    """Two bench VMs: VM 2 yields forever (key 'p'), VM 1 times its yields (key 'y'). Both
    on `core`: a switch needs two VMs on one core."""
    with Card(build, "bench-a %s cpus=%d\nbench-b %s cpus=%d\n"
              % (BENCH_VM, core, BENCH_VM, core)) as card:
        child = boot_hypervisor(build, card)
        try:
            child.expect_exact(PROMPT)
            child.send("vmc 2\r")
            child.expect_exact("bench: press a key to start")
            child.send("p")
            child.expect_exact("bench: yielding forever")
            child.send("@0")
            child.expect_exact(PROMPT)
            child.send("vmc 1\r")
            child.expect_exact("bench: press a key to start")
            child.send("y")
            child.expect(r"bench: fpsimd across switches (intact|CORRUPTED)")
            if child.match.group(1) != "intact":
                sys.exit("bench: VM 1's FP/SIMD registers changed across VM switches")
            return parse(child.before, "aVisor, 2 VMs")
        finally:
            child.terminate(force=True)


def run_dedicated(build):
    """The bench VM alone on core 3 (cpus=3), the other cores idle: every row of the main
    run again on a secondary core, the latency rows (mean and maximum) among them.

    Not with the other cores loaded: under -icount QEMU runs the four cores in
    turn on one thread and guest time is the sum of all cores' instructions,
    so a latency would count what the other cores executed while core 3
    waited for its turn, and a loaded run takes hours (docs/benchmarks.md).
    That nothing of the other cores reaches a dedicated core is a system test
    (test_cores.py)."""
    rows, _ = run_one_vm("bench %s cpus=3\n" % BENCH_VM, build, " ", "bench: done",
                         "aVisor, core 3", image="test-sdcard.img", timeout=900)
    return rows


PLUGIN_SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "qemu-plugins",
                          "core_path.c")
LOADED_CORES = ("spin    tests/irq_spin.bin    0x80000 0x80000 6M cpus=1\n"
                "hammer  tests/mmio_hammer.bin 0x80000 0x80000 6M cpus=2\n"
                "printer tests/printer.bin     0x80000 0x80000 6M cpus=3\n")
# A loaded path within this many instructions of the idle one is the same path: QEMU
# lets the guest run a few more instructions before it delivers the virtual interrupt.
CORE_PATH_FEW = 10
EL2_IRQ_FROM_LOWER_EL = 0x480  # VBAR_EL2 offset: IRQ, lower EL using AArch64
EL1_IRQ_SPX = 0x280            # VBAR_EL1 offset: IRQ, current EL with SP_EL1


def symbol(elf, name):
    out = subprocess.run(["aarch64-linux-gnu-nm", elf], capture_output=True, text=True,
                         check=True).stdout
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[2] == name:
            return int(fields[0], 16)
    sys.exit("bench: no symbol %s in %s" % (name, elf))


def core_path_plugin(build):
    """Builds scripts/qemu-plugins/core_path.c into build/plugins (host cc, no QEMU header)."""
    lib = os.path.join(build, "plugins", "core_path.so")
    os.makedirs(os.path.dirname(lib), exist_ok=True)
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", "-o", lib,
                    PLUGIN_SRC], check=True)
    return lib


def run_core_path(build, loaded):
    """The virtual timer's interrupt path in the instructions of core 0 alone (the bench VM
    alone on it, key 'l'), counted by the core_path plugin from the hypervisor's IRQ
    vector to the guest's; with `loaded`, cores 1-3 run a guest spinning with interrupts
    masked, one hammering a device and one printing. Returns the 1024 timed interrupts'
    paths (the first, warm-up, interval is left out)."""
    start = symbol(os.path.join(build, "avisor.elf"), "el2_vectors") + EL2_IRQ_FROM_LOWER_EL
    end = symbol(os.path.join(build, "guests", "bench.elf"), "latency_vectors") + EL1_IRQ_SPX
    fd, out = tempfile.mkstemp(suffix=".txt")
    os.close(fd)
    plugin = ["-plugin", "file=%s,start=0x%x,end=0x%x,vcpu=0,out=%s"
              % (core_path_plugin(build), start, end, out)]
    config = "bench %s cpus=0\n" % BENCH_VM + (LOADED_CORES if loaded else "")
    try:
        with Card(build, config, image="test-sdcard.img") as card:
            child = spawn(QEMU + ICOUNT + plugin + [
                "-kernel", os.path.join(build, "kernel8.img"),
                "-drive", "file=%s,if=sd,format=raw" % card])
            try:
                # Every VM loaded first: core 0's loader would share its core.
                child.expect(r"boot: VMs started", timeout=120)
                child.expect_exact(PROMPT)
                child.send("vmc 1\r")
                child.expect_exact("bench: press a key to start")
                child.send("l")
                child.expect_exact("bench: done", timeout=900)
                RAW.extend("core 0 path, %s: %s" % ("loaded" if loaded else "idle", line.strip())
                           for line in child.before.splitlines() if LINE.search(line))
            finally:
                child.terminate(force=True)
        with open(out) as f:
            paths = [int(x) for x in f.read().split()][1:]
    finally:
        os.unlink(out)
    if len(paths) < 1000:
        sys.exit("bench: the core_path plugin saw %d interrupt paths, not 1024" % len(paths))
    return paths


def run_ipi(build, cores=(0, 1)):
    """The IPI round trip between two vCPUs of one VM on two cores (tests/ipi_pingpong.bin:
    vCPU 0 on the first core sets vCPU 1's local mailbox, vCPU 1 answers in its handler);
    instructions of both cores per round trip."""
    config = "ipi tests/ipi_pingpong.bin 0x80000 0x80000 16M vcpus=2 cpus=%d,%d\n" % cores
    with Card(build, config, image="test-sdcard.img") as card:
        child = boot_hypervisor(build, card)
        try:
            child.expect(r"boot: VMs started", timeout=120)
            child.expect_exact(PROMPT)
            child.send("vmc 1\r")
            child.expect_exact("bench: done", timeout=300)
            rows = parse(child.before, "aVisor, IPI on cores %d and %d" % cores)
        finally:
            child.terminate(force=True)
    if "ipi_round_trip" not in rows:
        sys.exit("bench: the IPI guest printed no round trip")
    return rows


def run_disk_request(build):
    """The bench VM with a disk: key 'd' times 4 KiB reads and writes (instructions)."""
    rows, match = run_one_vm("bench %s disk=sd:2\n" % BENCH_VM, build, "d",
                             r"bench: last status (\d+)", "aVisor, disk")
    if match.group(1) != "0":
        sys.exit("bench: the disk requests failed (status %s)" % match.group(1))
    return rows


LINUX_SHELL = "/ # "
# busybox's dd prints only record counts: the shell's `time` times it (guest
# time, which without -icount runs with the host's clock).
TIME_LINE = re.compile(r"real\s+(\d+)m\s*([\d.]+)s")
LOAD_LINE = re.compile(r"loaded at 0x[0-9a-f]+ in (\d+) ms \(([\d.]+) (KiB|MiB)/s\)")
DD_MIB = 16


def linux_line():
    with open(os.path.join(os.path.dirname(__file__), "..", "config", "avisor.cfg")) as f:
        for line in f:
            if line.split()[:1] == ["linux"]:
                return line
    sys.exit("bench: config/avisor.cfg has no linux line")


def linux_dd(child, command):
    """Runs a dd of DD_MIB MiB in Linux's shell; MB/s (10^6 bytes a second of wall clock)."""
    child.send("time " + command + "\r")
    child.expect(TIME_LINE, timeout=600)
    seconds = int(child.match.group(1)) * 60 + float(child.match.group(2))
    child.expect_exact(LINUX_SHELL)
    size = DD_MIB << 20
    RAW.append("linux: %s: %d bytes in %.2f s" % (command, size, seconds))
    return size / seconds / 1e6


def disk_throughput(build):
    """(dd write MB/s, dd read MB/s, the hypervisor's file read MB/s), without -icount."""
    with Card(build, linux_line()) as card:
        child = boot_hypervisor(build, card, icount=False)
        try:
            child.expect_exact(PROMPT, timeout=120)
            child.expect(BOOT_LINE, timeout=300)
            child.send("vmc 1\r")
            child.expect("aVisor Linux guest", timeout=600)
            child.expect_exact(LINUX_SHELL, timeout=120)
            write = linux_dd(child, "dd if=/dev/zero of=/root/dd.bench bs=1M count=%d "
                                    "oflag=direct conv=fsync" % DD_MIB)
            read = linux_dd(child, "dd if=/root/dd.bench of=/dev/null bs=1M count=%d iflag=direct"
                            % DD_MIB)
            child.send("rm /root/dd.bench; sync\r")
            child.expect_exact(LINUX_SHELL)
            # The hypervisor reading a file of the card (Linux's kernel) by itself.
            child.send("@0")
            child.expect_exact(PROMPT)
            child.send("vmld linux/Image 0x200000 0x200000 64M autostart=no\r")
            child.expect(LOAD_LINE, timeout=300)
            rate = float(child.match.group(2)) * (1 << (20 if child.match.group(3) == "MiB"
                                                           else 10)) / 1e6
            RAW.append("hypervisor: %s" % child.match.group(0))
            return write, read, rate
        finally:
            child.terminate(force=True)


RUN_INIT = re.compile(r"\[\s*(\d+\.\d+)\] Run /init")


def linux_boot_virtualized(build):
    """Linux alone with its config line (4 vCPUs on cores 0-3): guest seconds to Run /init."""
    with Card(build, linux_line()) as card:
        child = boot_hypervisor(build, card)
        try:
            child.expect_exact(PROMPT)
            child.send("vmc 1\r")
            child.expect(RUN_INIT, timeout=900)
            return float(child.match.group(1))
        finally:
            child.terminate(force=True)


def linux_boot_native(build):
    """The same kernel and initramfs on QEMU's raspi3b itself, its four CPUs, Pi 3 device tree."""
    dtbs = [os.path.join(d, f) for d, _, files in os.walk("cache") for f in files
            if f == "bcm2837-rpi-3-b.dtb"]
    child = spawn(QEMU + ICOUNT + [
        "-kernel", os.path.join(build, "linux", "Image"), "-dtb", dtbs[0],
        "-initrd", os.path.join(build, "linux", "initrd.gz"),
        "-append", "console=ttyS1,115200 earlycon rdinit=/init"], timeout=900)
    try:
        child.expect(RUN_INIT)
        return float(child.match.group(1))
    finally:
        child.terminate(force=True)


def boot_instructions(build):
    """Power-on to the prompt with the default avisor.cfg, in instructions (-icount)."""
    with Card(build, None) as card:
        child = boot_hypervisor(build, card)
        try:
            child.expect(BOOT_LINE)
            us = int(child.match.group(1))
            child.expect_exact(PROMPT)
            return us * 1000
        finally:
            child.terminate(force=True)


def boot_wall_clock(build):
    """Seconds from starting QEMU (no -icount) to every VM started, for a few boots.

    The first prompt comes earlier: the VMs load in the background after it, and
    the hypervisor reports BOOT_LINE when the last one starts."""
    seconds = []
    with Card(build, None) as card:
        for _ in range(WALL_CLOCK_BOOTS):
            start = time.monotonic()
            child = boot_hypervisor(build, card, icount=False)
            try:
                child.expect(BOOT_LINE)
                child.expect_exact(PROMPT)
                seconds.append(time.monotonic() - start)
            finally:
                child.terminate(force=True)
    return seconds


def fmt(value):
    return "-" if value is None else "%d" % round(value)


DISK_ROWS = ("blk_read_4k", "blk_write_4k")
# Rows left out of the chart: thousands of instructions would flatten it.
CHART_LEFT_OUT = DISK_ROWS + ("ipi_round_trip",)


def table(native, virt, boot_insns, boot_seconds, disk, smp):
    median = statistics.median(boot_seconds)
    each = ", ".join("%.2f" % s for s in boot_seconds)
    idle = smp["idle"]
    # The main run's VM is on core 0 (the first core with room); the same guest
    # alone on core 3 shows the paths on a secondary core.
    rows = ["%-14s %12s %12s %12s %12s" % ("operation", "native", "aVisor", "overhead",
                                            "on core 3"),
            "%-14s %12s %12s %12s %12s" % ("", "(instr/op)", "(instr/op)", "(instr/op)",
                                            "(instr/op)")]
    for name, v in virt.items():
        if name.endswith("_max"):
            continue
        n = native.get(name)
        rows.append("%-14s %12s %12s %12s %12s" % (
            name, fmt(n), fmt(v), fmt(None if n is None else round(v) - round(n)),
            fmt(idle.get(name))))
    if virt.get("ipi_round_trip"):
        rows += ["ipi_round_trip: two vCPUs of one VM on cores 0 and 1 (in the last column, cores 2",
                 "  and 3); both cores' instructions for one mailbox IPI there and back"]
    if virt.get("uart_char"):
        # -icount shift=0: one instruction per nanosecond of guest time.
        rows += ["",
                 "console output, mini UART polled (uart_char): %d instructions a character,"
                 % round(virt["uart_char"]),
                 "  %d characters per second of guest time (the line rate at 115200 baud: 11520)"
                 % round(1e9 / virt["uart_char"])]
    if disk:
        write, read, raw = disk
        rows += ["",
                 "disk throughput, QEMU's wall clock (no -icount; the host's speed, not a Pi's):",
                 "  Linux dd on its virtio disk, %d MiB, bs=1M, direct I/O: write %.2f MB/s, "
                 "read %.2f MB/s" % (DD_MIB, write, read),
                 "  the hypervisor reading linux/Image from the card (vmld): %.2f MB/s" % raw]
    rows += ["",
             "boot to the shell prompt, default avisor.cfg, all its VMs started:",
             "  %d instructions (QEMU -icount shift=0)" % boot_insns,
             "  %.2f s wall clock (QEMU without -icount, median of %d boots: %s)"
             % (median, WALL_CLOCK_BOOTS, each)]
    rows += ["",
             "timer interrupt latency of a VM alone on core 3, 1024 interrupts (instructions):",
             "%-14s %12s %12s" % ("", "mean", "max")]
    for name in ("irq_vtimer", "irq_systimer"):
        rows.append("%-14s %12s %12s" % (name, fmt(idle.get(name)),
                                          fmt(idle.get(name + "_max"))))
    rows += ["",
             "virtual timer interrupt path on a dedicated core 0, in core 0's own instructions",
             "(QEMU plugin core_path: the hypervisor's IRQ vector to the guest's, 1024 interrupts):",
             "%-30s %12s %12s" % ("", "mean", "max")]
    plain = max(smp["path_idle"])
    for name, label in (("path_idle", "cores 1-3 idle"), ("path_loaded", "cores 1-3 busy and hostile")):
        paths = smp[name]
        rows.append("%-30s %12.1f %12d" % (label, sum(paths) / len(paths), max(paths)))
    rows.append("  loaded paths longer than the idle one by more than %d instructions (core 0's"
                % CORE_PATH_FEW)
    rows.append("  own virtual-timer re-check alarm inside the window): %d of %d"
                % (sum(p > plain + CORE_PATH_FEW for p in smp["path_loaded"]),
                   len(smp["path_loaded"])))
    rows += ["",
             "Linux to 'Run /init' (guest seconds, -icount shift=0; 1 s = 10^9 instructions):",
             "  native, QEMU raspi3b's 4 CPUs:       %.3f s" % smp["linux_native"],
             "  under aVisor, 4 vCPUs on cores 0-3:  %.3f s  (%.3fx native)"
             % (smp["linux_avisor"], smp["linux_avisor"] / smp["linux_native"])]
    return "\n".join(rows) + "\n"


GNUPLOT = """\
set termoption noenhanced
set datafile missing "NaN"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set title "aVisor: executed instructions per operation (QEMU raspi3b, -icount shift=0)"
set ylabel "instructions"
set yrange [0:{ymax}]
set grid ytics
set key top left
set xtics nomirror rotate by -35 left
set bmargin 6
plot '{data}' using 2:xtic(1) title "native" linecolor rgb "#7f7f7f", \\
     '' using 3 title "aVisor" linecolor rgb "#1f77b4", \\
     '' using ($0 + 1.0/6):4 with points pointtype 9 pointsize 1.3 \\
        linecolor rgb "#d62728" title "issue 7 target", \\
     '' using ($0 + 1.0/6):3:(sprintf("%.0f", $3)) with labels offset 0,0.8 \\
        font ",8" notitle
"""


def chart(build, native, virt):
    """build/bench.png and build/bench.svg from the table, with gnuplot."""
    data = os.path.join(build, "bench.dat")
    with open(data, "w") as f:
        f.write("# operation native aVisor target (instructions; NaN: none)\n")
        for name, v in virt.items():
            if name in CHART_LEFT_OUT or name.endswith("_max"):
                continue  # the disk rows would flatten the chart; maxima have their own table
            n = native.get(name)
            t = TARGETS.get(name)
            f.write("%s %s %.0f %s\n" % (name, "NaN" if n is None else "%.0f" % n, v,
                                         "NaN" if t is None else t))
    ymax = max(v for name, v in virt.items()
               if name not in CHART_LEFT_OUT and not name.endswith("_max"))
    script = GNUPLOT.format(data=data, ymax=int(ymax * 1.12))
    for terminal, out in (("pngcairo size 1000,560 font 'sans,10'", "bench.png"),
                          ("svg size 1000,560 font 'sans,10'", "bench.svg")):
        subprocess.run(["gnuplot"], input="set terminal %s\nset output '%s'\n%s"
                       % (terminal, os.path.join(build, out), script),
                       text=True, check=True)


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build"
    native = run_native(build)
    virt = run_virtualized(build)
    virt.update(run_vm_switch(build))
    virt.update(run_ipi(build))
    virt.update(run_disk_request(build))
    dedicated = run_dedicated(build)
    dedicated.update(run_vm_switch(build, core=3))
    dedicated.update(run_ipi(build, cores=(2, 3)))
    smp = {"idle": dedicated,
           "path_idle": run_core_path(build, loaded=False),
           "path_loaded": run_core_path(build, loaded=True),
           "linux_avisor": linux_boot_virtualized(build), "linux_native": linux_boot_native(build)}
    text = table(native, virt, boot_instructions(build), boot_wall_clock(build),
                 disk_throughput(build), smp)
    sys.stdout.write(text)
    with open(os.path.join(build, "bench.txt"), "w") as f:
        f.write(text)
    with open(os.path.join(build, "bench.log"), "w") as f:
        f.write("\n".join(RAW) + "\n")
    chart(build, native, virt)
    print("chart: %s/bench.png, %s/bench.svg (docs/benchmarks.svg is a copy of the SVG)"
          % (build, build))


if __name__ == "__main__":
    main()
