"""Debian's unmodified arm64 Linux kernel as VM 4, with four vCPUs, to a busybox shell.

Linux runs beside echo, lrtos and U-Boot on the full card (build/sdcard.img,
with linux/Image, linux/initrd.gz and linux/linux.dtb). Booting it takes a
while (its 33 MB kernel comes from the card, then the kernel boots on a
cores it shares with three other VMs), so one boot serves the whole module: the
tests run in file order on the same QEMU, and the last ones stop, restart,
reboot and power off the VM.

Its root file system is its virtio disk, partition 2 of that card
(disk=sd:2, root=/dev/vda): files written and synced there must be there
after vmrestart, reboot and power-off, the ext4 file system clean after a
clean power-off (e2fsck -n on the card copy), and after QEMU itself is
killed and started again on the same card copy.
"""

import os
import re
import shutil
import struct
import subprocess
import time

import pytest

from conftest import KERNEL, LINUX_SDCARD, LOG_DIR, PROMPT, ROOT, Console, normalize

LINUX_VM = 4
ECHO_VM = 1
LRTOS_VM = 2
UBOOT_VM = 3
SHELL = "/ # "
LOAD_TIMEOUT = 120  # loading 33 MB from the SD card under a loaded host
BOOT_TIMEOUT = 300  # Linux to its shell in QEMU's TCG, one core shared with 3 VMs


@pytest.fixture(scope="module")
def linux_holder(tmp_path_factory):
    """The hypervisor booted from the full card, every VM loaded, at its prompt (Linux is
    booting)."""
    if not os.path.exists(LINUX_SDCARD):
        pytest.fail("%s is missing: run make first" % LINUX_SDCARD)
    card = str(tmp_path_factory.mktemp("linux") / "sdcard.img")
    shutil.copyfile(LINUX_SDCARD, card)
    os.makedirs(LOG_DIR, exist_ok=True)
    con = Console(KERNEL, card, log_path=os.path.join(LOG_DIR, "test_linux.log"), timeout=30)
    con.expect_exact(PROMPT, timeout=30)
    con.expect_booted(timeout=LOAD_TIMEOUT)
    holder = {"con": con, "card": card}
    yield holder
    holder["con"].close()


@pytest.fixture
def linux(linux_holder):
    """The QEMU of the module (a later test may replace it with a new one on the same card)."""
    return linux_holder["con"]


def card_partition(card, number):
    """(first sector, sectors) of MBR partition `number` of a card image."""
    with open(card, "rb") as f:
        mbr = f.read(512)
    entry = mbr[446 + 16 * (number - 1):446 + 16 * number]
    return struct.unpack("<II", entry[8:16])


def extract_partition(card, number, out):
    start, count = card_partition(card, number)
    with open(card, "rb") as src, open(out, "wb") as dst:
        src.seek(start * 512)
        dst.write(src.read(count * 512))
    return out


def root_dir_entries(image, path="/"):
    """Names in a directory of an ext4 image, read with debugfs (no mount)."""
    out = subprocess.run(["debugfs", "-R", "ls -p " + path, image], capture_output=True,
                         text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        fields = line.strip().strip("/").split("/")
        if len(fields) >= 6 and fields[4] not in (".", ".."):
            names.add(fields[4])
    return names


def wait_for_shell_prompt(con, timeout=30):
    """Waits for busybox's prompt; returns what was printed before it.

    After each prompt busybox's line editor asks the terminal where the
    cursor is (ESC [6n). This test's terminal, like a dumb one, does not
    answer; the line editor takes the typed keys all the same.
    """
    con.expect_exact(SHELL, timeout=timeout)
    output = con.before
    con.expect_exact("\x1b[6n", timeout=timeout)
    return output


def sh(con, command, timeout=30):
    """Runs a command in Linux's shell (at its prompt) and returns its output."""
    con.send(command + "\r")
    con.expect_exact(command, timeout=timeout)
    return normalize(wait_for_shell_prompt(con, timeout)).strip()


def timer_counts(con):
    out = sh(con, "cat /proc/interrupts")
    m = re.search(r"^\s*\d+:\s+(\d+)\s+(\d+)\s+.*arch_timer\s*$", out, re.M)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_vm_is_created_with_kernel_dtb_and_initrd(linux):
    log = open(linux.log.name, encoding="utf-8").read()
    assert re.search(r"boot: VM 4 \(linux\) started: linux/Image, [\d.]+ MiB at 0x200000, "
                     r"256 MiB RAM", log), log
    for vm in (ECHO_VM, LRTOS_VM, UBOOT_VM):
        assert re.search(r"boot: VM %d \(\w+\) started" % vm, log), log
    out = linux.run("vmi %d" % LINUX_VM)
    assert "image linux/Image, loaded at 0x200000, entry 0x200000" in out, out
    assert "device tree linux/linux.dtb at 0xfe00000 (passed in x0)" in out, out
    assert "initrd linux/initrd.gz at 0x4000000" in out, out


def test_boots_with_four_cpus_to_the_busybox_shell(linux):
    linux.attach(LINUX_VM)
    # The attach replays the log kept while detached: the boot from its first line.
    linux.expect_exact("Booting Linux on physical CPU 0x0", timeout=60)
    linux.expect_exact("Machine model: Raspberry Pi 3 Model B", timeout=60)
    linux.expect(r"earlycon: bcm2835aux0 at MMIO32 0x0+3f215040", timeout=60)
    linux.expect(r"Faking a node at \[mem 0x0+-0x0+fffffff\]", timeout=60)  # its 256 MiB
    linux.expect_exact("psci: PSCIv1.0 detected in firmware.", timeout=60)
    linux.expect_exact("arch_timer: cp15 timer(s) running at 62.50MHz (virt).", timeout=60)
    linux.expect_exact("CPU1: Booted secondary processor 0x0000000001", timeout=BOOT_TIMEOUT)
    linux.expect_exact("CPU3: Booted secondary processor 0x0000000003", timeout=BOOT_TIMEOUT)
    linux.expect_exact("SMP: Total of 4 processors activated.", timeout=BOOT_TIMEOUT)
    linux.expect_exact("ttyS1 at MMIO 0x3f215040", timeout=BOOT_TIMEOUT)
    linux.expect_exact("Run /init as init process", timeout=BOOT_TIMEOUT)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    boot = normalize(linux.before)
    assert not re.search(r"WARNING|BUG|Oops|Call trace", boot), boot
    wait_for_shell_prompt(linux, timeout=60)


def test_root_is_the_virtio_disk_read_write(linux):
    out = sh(linux, "mount")
    assert re.search(r"^/dev/vda on / type ext4 \(rw[,)]", out, re.M), out
    out = sh(linux, "cat /sys/block/vda/size; cat /sys/block/vda/serial")
    assert out.split() == ["131072", "avisor-sd2"], out  # 64 MiB; GET_ID's answer
    out = sh(linux, "dmesg | grep -E 'virtio_blk|EXT4-fs'")
    assert "[vda] 131072 512-byte logical blocks" in out, out
    assert not re.search(r"error|warning", out, re.I), out


def test_a_synced_file_is_on_the_disk(linux):
    sh(linux, "echo kept-1 > /root/kept-1 && sync")
    assert sh(linux, "cat /root/kept-1") == "kept-1"


def test_uname_shows_debians_kernel(linux):
    out = sh(linux, "uname -a")
    assert re.search(r"Linux \S+ 6\.1\.0-\d+-arm64 #1 SMP Debian 6\.1\.\d+", out), out
    assert out.endswith("aarch64 GNU/Linux"), out


def test_cpuinfo_lists_four_processors(linux):
    out = sh(linux, "cat /proc/cpuinfo")
    assert re.findall(r"^processor\s*: (\d)", out, re.M) == ["0", "1", "2", "3"], out
    assert re.search(r"^CPU part\s*: 0xd03", out, re.M), out  # Cortex-A53, the VM's MIDR


def loops_seconds(con, count):
    """Guest seconds (busybox time) for `count` copies of /tmp/loop run at once."""
    out = sh(con, "time sh /tmp/loops %d" % count, timeout=300)
    m = re.search(r"real\s+(\d+)m\s*([\d.]+)s", out)
    assert m, out
    return int(m.group(1)) * 60 + float(m.group(2))


def test_busy_loops_on_several_vcpus_run_in_parallel(linux):
    """Two shell loops at once take clearly less than twice one loop: Linux's vCPUs run
    on different cores at the same time. Guest time runs with the host's clock (no
    -icount) and each core is a QEMU thread, so the host's cores must be free for it:
    lrtos and U-Boot, which keep their cores busy, are stopped meanwhile (a host with
    two cores then gives 0.53-0.54; with them running 0.77; Linux's four vCPUs all on
    one core 1.0)."""
    # Commands stay under 80 columns: the line editor wraps longer ones.
    sh(linux, "printf 'i=0\\nwhile [ $i -lt 100000 ]; do i=$((i+1)); done\\n' >/tmp/loop")
    sh(linux, "printf 'for k in $(seq $1); do sh /tmp/loop & done; wait\\n' >/tmp/loops")
    linux.send("@0")
    linux.expect_exact(PROMPT)
    for vm in (LRTOS_VM, UBOOT_VM):
        assert "stopped" in linux.run("vmstop %d" % vm)
    try:
        linux.attach(LINUX_VM)
        linux.send("\r")
        wait_for_shell_prompt(linux)
        # Wall-clock time on a host of two cores: a burst of host load (the other test
        # worker) can take one of them away. A second try is made then; with the vCPUs
        # really on one core both tries fail (1.06-1.19).
        for _ in range(2):
            one = loops_seconds(linux, 1)
            two = loops_seconds(linux, 2)
            if two < 0.75 * 2 * one:
                break
    finally:
        linux.send("@0")
        linux.expect_exact(PROMPT)
        for vm in (LRTOS_VM, UBOOT_VM):
            linux.run("vmstart %d" % vm)
        linux.attach(LINUX_VM)
        linux.send("\r")
        wait_for_shell_prompt(linux)
    assert two < 0.75 * 2 * one, (one, two)


def test_timer_interrupt_counts_on_both_cpus(linux):
    before = timer_counts(linux)
    sh(linux, "sleep 1")
    after = timer_counts(linux)
    assert after[0] > before[0] and after[1] > before[1], (before, after)


def test_sleep_2_takes_about_2_seconds_of_guest_time(linux):
    started = time.monotonic()
    out = sh(linux, "time sleep 2", timeout=60)
    wall = time.monotonic() - started
    m = re.search(r"real\s+0m ([\d.]+)s", out)
    assert m, out
    real = float(m.group(1))
    # Never less than 2 s, and the guest's clock does not run ahead of the
    # host's. On top of the 2 s comes starting the sleep program, which in
    # QEMU's TCG on a loaded host can take a second or two.
    assert 1.95 <= real <= 5.0, out
    assert real <= wall + 0.2, (out, wall)


def test_tmpfs_file(linux):
    assert sh(linux, "echo hello > /tmp/x && cat /tmp/x") == "hello"


def test_job_control_and_a_new_shell_after_exit(linux):
    # The console is the shell's controlling terminal.
    sh(linux, "sleep 300 &")
    out = sh(linux, "jobs")
    assert re.search(r"\[1\]\+?\s+Running\s+sleep 300", out), out
    assert "killed" in sh(linux, "kill %1; echo killed")
    linux.send("exit\r")
    linux.expect_exact("init: the shell exited; starting a new one", timeout=30)
    wait_for_shell_prompt(linux)


def test_other_vms_keep_running(linux):
    linux.send("@%d" % ECHO_VM)
    linux.expect(r"attached to VM %d \(echo\)" % ECHO_VM)
    linux.send("linux is up\r")
    linux.expect(r"linux is up\r*\n")
    linux.send("@%d" % LRTOS_VM)
    linux.expect(r"attached to VM %d \(lrtos\)" % LRTOS_VM)
    linux.read_for(1)  # attaching replays lrtos's kept log: only what comes after counts
    out = linux.read_for(2)
    assert re.search(r"[1-5a-e]", out), out
    linux.send("@0")
    linux.expect_exact(PROMPT)
    out = linux.run("vml")
    for vm in (ECHO_VM, LRTOS_VM, UBOOT_VM, LINUX_VM):
        assert re.search(r"^[ *]\s*%d \S+\s+(running|waiting)" % vm, out, re.M), out


def test_stop_and_restart_boots_linux_again(linux):
    assert "stopped" in linux.run("vmstop %d" % LINUX_VM)
    out = linux.run("vmrestart %d" % LINUX_VM, timeout=LOAD_TIMEOUT)
    assert re.search(r"restart", out), out
    linux.attach(LINUX_VM)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(linux, timeout=60)
    assert re.match(r"6\.1\.0-\d+-arm64$", sh(linux, "uname -r"))
    assert len(re.findall(r"^processor", sh(linux, "cat /proc/cpuinfo"), re.M)) == 4


def test_the_file_survives_vmrestart(linux):
    assert sh(linux, "cat /root/kept-1") == "kept-1"
    sh(linux, "echo kept-2 > /root/kept-2 && sync")


def test_loopback_is_up(linux):
    out = sh(linux, "ping -c 1 127.0.0.1; echo status=$?")
    assert "1 packets transmitted, 1 packets received" in out, out
    assert out.endswith("status=0"), out


def test_reboot_goes_through_init_and_boots_linux_again(linux):
    # reboot (no -f) signals init (PID 1), which shuts down, then the kernel
    # calls PSCI SYSTEM_RESET; the hypervisor restarts the VM from its files.
    linux.send("reboot\r")
    linux.expect_exact("init: shutting down", timeout=60)
    linux.expect_exact("The system is going down NOW!", timeout=60)
    # init's last lines are not waited for: they may never come out. init's
    # SIGKILL kills the console shell, the session leader of ttyS1; Linux
    # hangs a real tty up when its session leader exits (disassociate_ctty),
    # and the hangup drops what the tty had not yet sent. With four vCPUs the
    # shell dies in parallel with init's writing, so the cut falls anywhere
    # after "Sent SIG" — on a real Pi too; one core used to hide it.
    linux.expect(r"VM 4 \(linux\): reset by the guest, restarting", timeout=60)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(linux, timeout=60)
    assert re.match(r"6\.1\.0-\d+-arm64$", sh(linux, "uname -r"))


def test_the_files_survive_reboot(linux):
    assert sh(linux, "cat /root/kept-1 /root/kept-2") == "kept-1\nkept-2"


def test_reboot_f_and_poweroff_f_reach_the_hypervisor_as_psci(linux):
    # reboot -f: PSCI SYSTEM_RESET at once, without init.
    linux.send("reboot -f\r")
    linux.expect(r"VM 4 \(linux\): reset by the guest, restarting", timeout=60)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(linux, timeout=60)
    # poweroff -f: PSCI SYSTEM_OFF; the VM stops, the others go on.
    linux.send("poweroff -f\r")
    linux.expect(r"VM 4 \(linux\) stopped: powered off by the guest", timeout=60)
    linux.send("@0")
    linux.expect_exact(PROMPT)
    out = linux.run("vml")
    assert re.search(r"^[ *]\s*4 linux\s+stopped", out, re.M), out
    assert re.search(r"^[ *]\s*1 echo\s+(running|waiting)", out, re.M), out


def test_poweroff_goes_through_init_and_stops_the_vm(linux):
    linux.run("vmrestart %d" % LINUX_VM, timeout=LOAD_TIMEOUT)
    linux.attach(LINUX_VM)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(linux, timeout=60)
    # poweroff (no -f) signals init, which shuts down; then PSCI SYSTEM_OFF.
    linux.send("poweroff\r")
    linux.expect_exact("init: shutting down", timeout=60)
    linux.expect_exact("The system is going down NOW!", timeout=60)
    # Not "Requesting system poweroff": see the reboot test for why it may be cut.
    linux.expect(r"VM 4 \(linux\) stopped: powered off by the guest", timeout=60)
    linux.send("@0")
    linux.expect_exact(PROMPT)
    out = linux.run("vml")
    assert re.search(r"^[ *]\s*4 linux\s+stopped", out, re.M), out
    for vm in (ECHO_VM, LRTOS_VM, UBOOT_VM):
        assert re.search(r"^[ *]\s*%d \S+\s+(running|waiting)" % vm, out, re.M), out


def test_disk_is_clean_after_poweroff_and_holds_only_what_was_written(linux_holder, tmp_path):
    """e2fsck -n finds nothing to fix; boots left nothing on the disk but the test's files."""
    card = linux_holder["card"]
    part = extract_partition(card, 2, str(tmp_path / "root.ext4"))
    fsck = subprocess.run(["e2fsck", "-fn", part], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    built = os.path.join(os.path.dirname(LINUX_SDCARD), "linux", "rootfs.ext4")
    assert root_dir_entries(part) == root_dir_entries(built)
    assert root_dir_entries(part, "/root") == {"kept-1", "kept-2"}
    # What was written last reached the card: vmi counted the requests.
    info = linux_holder["con"].run("vmi %d" % LINUX_VM)
    assert re.search(r"disk sd:2 \(virtio-blk at 0x3fe00000, IRQ 60\): 64 MiB", info), info
    m = re.search(r"disk requests: (\d+) reads .*, (\d+) writes .*, (\d+) flushes, 0 errors", info)
    assert m and int(m.group(1)) > 0 and int(m.group(2)) > 0, info


def config_line_words(name):
    """The words after the name on VM `name`'s line of config/avisor.cfg."""
    with open(os.path.join(ROOT, "config", "avisor.cfg"), encoding="utf-8") as f:
        for line in f:
            words = line.split("#")[0].split()
            if words and words[0] == name:
                return words[1:]
    raise AssertionError("config/avisor.cfg has no line for %s" % name)


def test_vmld_recreates_the_linux_vm_by_hand(linux):
    """vmld takes what a line of avisor.cfg takes (dtb, initrd, vcpus...): the same VM."""
    assert "vmkill: VM 4 (linux) destroyed" in linux.run("vmkill %d" % LINUX_VM)
    words = " ".join(config_line_words("linux"))
    vm, line = linux.vmld(words, timeout=LOAD_TIMEOUT)
    assert vm == LINUX_VM and re.search(r"vmld: VM 4 \(Image\) started: linux/Image, [\d.]+ MiB "
                                        r"loaded at 0x200000 .* 256 MiB RAM", line), line
    info = linux.run("vmi %d" % LINUX_VM)
    assert "device tree linux/linux.dtb" in info and "initrd linux/initrd.gz at 0x4000000" in info
    assert re.search(r"vCPU 3 on core \d", info), info
    linux.attach(LINUX_VM)
    linux.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs", timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(linux, timeout=60)


def test_a_synced_file_survives_qemu_killed_and_started_again(linux_holder):
    """The card image is the disk: kill QEMU right after sync, boot the same image again."""
    con = linux_holder["con"]
    sh(con, "echo kept-3 > /root/kept-3 && sync")
    con.close()
    con = Console(KERNEL, linux_holder["card"],
                  log_path=os.path.join(LOG_DIR, "test_linux-restarted.log"), timeout=30)
    linux_holder["con"] = con
    con.expect_exact(PROMPT, timeout=30)
    con.expect_booted(timeout=LOAD_TIMEOUT)
    con.attach(LINUX_VM)
    con.expect(r"aVisor Linux guest: kernel 6\.1[^,]*, 4 CPUs, root /dev/vda \(ext4, rw\)",
               timeout=BOOT_TIMEOUT)
    wait_for_shell_prompt(con, timeout=60)
    assert sh(con, "cat /root/kept-1 /root/kept-2 /root/kept-3") == "kept-1\nkept-2\nkept-3"
