"""VM lifecycle at run time: stop, start, restart, kill; memory comes back."""

import re


def free_mib(hv):
    out = hv.run("free")
    # Whole MiB (the pool's blocks are 2 MiB), but "0 B" when nothing is used.
    m = re.search(r"VMs: (\S+ \S+) used, (\d+) MiB free of (\d+) MiB", out)
    assert m, out
    return int(m.group(2)), out


def state_of(hv, vm_id):
    out = hv.run("vml")
    m = re.search(r"^[ *]\s*%d \S+\s+(\S+)" % vm_id, out, re.M)
    return m.group(1) if m else None


def test_stop_keeps_log_and_start_resumes(hv):
    hv.read_for(1.0)  # lrtos prints while detached
    out = hv.run("vmstop 2")
    assert "vmstop: VM 2 (lrtos) stopped" in out
    assert state_of(hv, 2) == "stopped"
    assert "is not running" in hv.run("vmstop 2")
    # Its log is kept: attaching shows what it printed before it was stopped, then nothing.
    hv.sendline("vmc 2")
    hv.expect(r"attached to VM 2 \(lrtos\), stopped")
    hv.expect_exact("lrtos: a tiny OS")
    hv.read_for(0.3)
    assert not re.search(r"[1-5a-e]", hv.read_for(1.0))
    hv.send("@0")
    hv.expect_prompt()
    assert "vmstart: VM 2 (lrtos) resumed" in hv.run("vmstart 2")
    assert "already running" in hv.run("vmstart 2")
    hv.attach(2)
    assert re.search(r"[1-5a-e]", hv.read_for(1.5))


def test_restart_boots_again(hv):
    out = hv.run("vmrestart 2")
    assert "vmrestart: VM 2 (lrtos) loading lrtos.bin from the SD card" in out, out
    hv.expect(r"VM 2 \(lrtos\) reloaded from lrtos.bin and started", timeout=20)
    hv.expect_prompt()
    hv.attach(2)
    hv.expect_exact("lrtos: a tiny OS", timeout=10)
    hv.send("@0")
    hv.expect_prompt()
    assert "restarts 1" in hv.run("vmi 2")


def test_kill_frees_memory_and_id(hv):
    before, _ = free_mib(hv)
    out = hv.run("vmkill 2")
    assert "vmkill: VM 2 (lrtos) destroyed, 32 MiB of memory freed" in out, out
    after, _ = free_mib(hv)
    assert after == before + 32
    assert "no VM with id 2" in hv.run("vmi 2")
    vm, line = hv.vmld("echo.bin 0x80000 0x80000")
    assert vm == 2 and "VM 2 (echo-2) started" in line, line  # the id is free again


def test_killing_the_attached_vm_returns_to_the_shell(hv):
    hv.vmld("echo.bin 0x80000 0x80000")
    hv.attach(4)
    hv.expect_exact("echo: ready")
    hv.send("@0")
    hv.expect_prompt()
    hv.sendline("vmc 4")
    hv.expect(r"attached to VM 4")
    # From inside the VM's console, switch back and kill it; then the console is the shell's.
    hv.send("@0")
    hv.expect_prompt()
    assert "destroyed" in hv.run("vmkill 4")
    assert "(echo-2)" not in hv.run("vml")


def test_lifecycle_commands_reject_bad_ids(hv):
    for cmd in ("vmstop", "vmstart", "vmrestart", "vmkill"):
        assert "no VM with id 7" in hv.run("%s 7" % cmd)
        assert "9 is out of range: VM ids are 1 to 8" in hv.run("%s 9" % cmd)
        assert "is not a VM id" in hv.run("%s x" % cmd)
        assert "usage: %s <id>" % cmd in hv.run(cmd)
        assert "not a VM" in hv.run("%s 0" % cmd)


def test_hundred_create_destroy_cycles_return_all_memory(hv):
    start, _ = free_mib(hv)
    for i in range(100):
        vm, _ = hv.vmld("tests/irq_spin.bin 0x80000 0x80000 6")
        out = hv.run("vmkill %d" % vm)
        assert "6 MiB of memory freed" in out, (i, out)
    end, out = free_mib(hv)
    assert end == start, out
    # Everything else is still fine.
    hv.attach(1)
    hv.send("after 100 cycles\r")
    hv.expect(r"after 100 cycles\r*\n")
