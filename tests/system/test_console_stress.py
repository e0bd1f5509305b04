"""The console under load: large pastes into a VM, typing while VMs print, many VMs at once."""

import os
import random
import re
import string
import threading
import time

SOAK_SECONDS = int(os.environ.get("AVISOR_SOAK_SECONDS", "20"))


def paste_in_background(con, payload, chunk=4096):
    """Writes the payload as fast as the terminal takes it, while the test reads output."""
    def writer():
        for i in range(0, len(payload), chunk):
            os.write(con.child.child_fd, payload[i:i + chunk].encode())
    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    return thread


def test_64k_paste_into_echo_comes_back_byte_exact(boot):
    # echo next to lrtos (U-Boot's busy polling only makes QEMU's own input path slower).
    hv = boot(card_files={"avisor.cfg": "echo echo.bin 0x80000 0x80000 16M\n"
                                        "lrtos lrtos.bin 0x80000 0x80000 32M\n"})
    hv.expect_booted(timeout=30)
    hv.attach(1)
    hv.expect_exact("echo: ready")
    rng = random.Random(64)
    alphabet = string.ascii_letters + string.digits + " .,;:-_+=!?#$%^&*()[]{}<>/|~"
    lines = ["%05d " % i + "".join(rng.choice(alphabet) for _ in range(57))
             for i in range(1024)]
    payload = "\r".join(lines) + "\r"
    assert len(payload) == 64 * 1024
    writer = paste_in_background(hv, payload)
    for line in lines:
        hv.expect(re.escape(line) + r"\r*\n", timeout=30)
    writer.join(timeout=5)
    hv.send("@0")
    hv.expect_prompt()
    out = hv.run("uptime")
    assert "console pauses" in out


def test_typing_at_the_shell_while_vms_print(boot):
    config = ("echo echo.bin 0x80000 0x80000 16M\n"
              "lrtos lrtos.bin 0x80000 0x80000 32M\n"
              "lrtos2 lrtos.bin 0x80000 0x80000 32M\n")
    con = boot(card_files={"avisor.cfg": config})
    con.expect_booted(timeout=30)
    # Both lrtos VMs print continuously while we type, fast, at the shell.
    word = "".join(random.Random(7).choice(string.ascii_lowercase) for _ in range(200))
    for _ in range(5):
        con.send(word + "\r")
        con.expect_exact("unknown command '%s' — type help" % word, timeout=10)
        con.expect_prompt()
    out = con.run("vml")
    assert re.search(r"2 lrtos\s+(running|waiting)", out) and re.search(r"3 lrtos2\s+(running|waiting)", out)
    # Their output was kept while the shell was attached.
    con.sendline("vmc 3")
    con.expect_exact("lrtos: a tiny OS")


def soak_config():
    return ("echo    echo.bin              0x80000 0x80000 16M\n"
            "lrtos   lrtos.bin             0x80000 0x80000 32M\n"
            "uboot   u-boot.bin            0x80000 0x80000 128M dtb=uboot.dtb\n"
            "vtimer  tests/vtimer.bin      0x80000 0x80000 16M\n"
            "lrtos2  lrtos.bin             0x80000 0x80000 32M slice=5\n"
            "echo2   echo.bin              0x80000 0x80000 16M\n"
            "spin    tests/irq_spin.bin    0x80000 0x80000 16M\n"
            "lrtos3  lrtos.bin             0x80000 0x80000 32M slice=20\n")


def vml_table(con):
    out = con.run("vml", timeout=20)
    rows = {}
    for line in out.splitlines():
        m = re.match(r"[ *]\s*(\d+) (\S+)\s+(\S+)\s+(\d+) MiB\s+(\d+)\s+(\d+)", line)
        if m:
            rows[m.group(2)] = (m.group(3), int(m.group(5)), int(m.group(6)))
    return rows, out


def test_soak_eight_vms(boot):
    con = boot(card_files={"avisor.cfg": soak_config()})
    con.expect_booted(timeout=60)
    first, out = vml_table(con)
    assert len(first) == 8, out
    deadline = time.monotonic() + SOAK_SECONDS
    while time.monotonic() < deadline:
        con.read_for(min(5, max(0, deadline - time.monotonic())))
        # The shell answers promptly all along.
        start = time.monotonic()
        assert "aVisor" in con.run("version", timeout=10)
        assert time.monotonic() - start < 5
    last, out = vml_table(con)
    for name, (state, cpu_ms, exits) in last.items():
        assert state != "stopped", out
        assert exits >= first[name][2], out
    # Busy guests got CPU time; the scheduler shared the core.
    for name in ("lrtos", "lrtos2", "lrtos3", "spin", "uboot"):
        assert last[name][1] > first[name][1], (name, out)
    assert "stopped" not in con.run("vml")
    con.sendline("vmc 6")
    con.expect(r"attached to VM 6 \(echo2\)")
    con.send("soak done\r")
    con.expect(r"soak done\r*\n")
