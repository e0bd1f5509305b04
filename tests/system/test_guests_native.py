"""The guests run natively on QEMU raspi3b, without the hypervisor.

QEMU enters them at EL2 (raspi3b has no EL3); guests/lib/start.S drops to EL1
like a minimal firmware, so these tests check the same code paths the guests
take under aVisor, apart from that first step.

A note on line ends: a guest sends CR LF, and the terminal QEMU writes to
keeps output post-processing on (ONLCR), which turns the LF into CR LF
again. So a guest's line end arrives here as "\\r\\r\\n"; the patterns below
accept any number of CRs.
"""

import os
import random
import re
import string
import time

from conftest import BUILD

ECHO = os.path.join(BUILD, "guests", "echo.bin")
LRTOS = os.path.join(BUILD, "guests", "lrtos.bin")

EOL = r"\r*\n"


def boot_guest(boot, image, extra=()):
    return boot(kernel=image, sdcard=None, extra=extra)


# --- echo ----------------------------------------------------------------------------------


def test_echo_banner_names_exception_levels(boot):
    con = boot_guest(boot, ECHO)
    con.expect(r"echo: ready \(entered at EL2, running at EL1\)" + EOL, timeout=5)


def test_echo_returns_a_typed_line(boot):
    con = boot_guest(boot, ECHO)
    con.expect(r"echo: ready[^\r\n]*" + EOL, timeout=5)
    con.sendline("hello, echo 123")
    con.expect(r"hello, echo 123" + EOL)


def test_echo_returns_a_4k_burst_byte_exact(boot):
    con = boot_guest(boot, ECHO)
    con.expect(r"echo: ready[^\r\n]*" + EOL, timeout=5)
    rnd = random.Random(2024)
    alphabet = string.ascii_letters + string.digits + string.punctuation + " "
    payload = "".join(rnd.choice(alphabet) for _ in range(4096))
    # One write: QEMU's mini UART has an 8-byte receive FIFO, so QEMU holds the
    # rest back until the guest has read what is there, and nothing may be lost.
    assert con.child.send(payload) == len(payload)
    con.expect_exact(payload, timeout=30)
    assert con.before == "", "unexpected output before the echo: %r" % con.before[:200]


def _thread_cpu_seconds(pid, name):
    """CPU time (user + system) used so far by the thread of process pid called name."""
    task_dir = "/proc/%d/task" % pid
    for tid in os.listdir(task_dir):
        with open(os.path.join(task_dir, tid, "comm")) as f:
            if f.read().strip() != name:
                continue
        with open(os.path.join(task_dir, tid, "stat")) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    raise AssertionError("no thread %r in QEMU (pid %d)" % (name, pid))


def test_echo_waits_for_input_without_using_the_cpu(boot):
    # debug-threads names QEMU's vCPU threads "CPU <n>/TCG". Core 0 runs the
    # guest; cores 1-3 spin in QEMU's own boot stub and are not ours.
    con = boot_guest(boot, ECHO, extra=("-name", "echo,debug-threads=on"))
    con.expect(r"echo: ready[^\r\n]*" + EOL, timeout=5)
    before = _thread_cpu_seconds(con.child.pid, "CPU 0/TCG")
    time.sleep(2.0)
    used = _thread_cpu_seconds(con.child.pid, "CPU 0/TCG") - before
    assert used < 0.5, "core 0 used %.2f s of CPU in 2 s while waiting for input" % used
    con.sendline("still awake")
    con.expect(r"still awake" + EOL)


# --- lrtos ---------------------------------------------------------------------------------


def user_stream(text):
    """The characters the printing processes wrote, kernel and other messages removed.

    The kernel prints its messages (and the processes their sentences) on lines of
    their own, so the printers' output is every line made only of "1-5", "a-e" and
    spaces.
    """
    lines = re.split(r"[\r\n]+", text)
    return "".join(line for line in lines if re.fullmatch(r"[1-5a-e ]*", line))


def assert_in_order(chars, group):
    """chars is group repeated (the last one possibly unfinished): nothing lost or doubled."""
    assert chars, "no %s printed" % group
    start = chars.index(group[0])
    repeated = group * (len(chars) // len(group) + 2)
    assert repeated.startswith(chars[start:]), "%s out of order: %r" % (group, chars[:200])


def test_lrtos_banner(boot):
    con = boot_guest(boot, LRTOS)
    con.expect(r"lrtos: [^\r\n]*\(entered at EL2, running at EL1\)" + EOL, timeout=5)
    con.expect(r"lrtos: MMU and caches on[^\r\n]* (\d+) KiB free for processes" + EOL)
    assert int(con.match.group(1)) > 4096
    con.expect(r"lrtos: started process 1\b")


def test_lrtos_processes_print_interleaved(boot):
    con = boot_guest(boot, LRTOS)
    con.expect_exact("lrtos: started process 1", timeout=5)
    out = con.read_for(3.0)
    stream = user_stream(out)
    digits = re.sub(r"[^1-5]", "", stream)
    letters = re.sub(r"[^a-e]", "", stream)
    assert len(digits) >= 15 and len(letters) >= 15, "too little output in 3 s: %r" % out
    assert_in_order(digits, "12345")
    assert_in_order(letters, "abcde")
    # Every printer writes its group without sleeping in between, so another
    # printer's character inside a group shows the timer preempted it.
    assert re.search(r"[1-4][a-e]+[2-5]|[a-d][1-5]+[b-e]", stream), \
        "no preemption visible in %r" % stream[:300]


def test_lrtos_kills_a_faulting_process_and_the_others_go_on(boot):
    con = boot_guest(boot, LRTOS)
    con.expect(r"process (\d+): reading unmapped address (0x[0-9a-f]+),", timeout=15)
    pid, address = con.match.group(1), con.match.group(2)
    con.expect(r"lrtos: process (\d+) killed: data abort at (0x[0-9a-f]+) "
               r"\(ESR=0x([0-9a-f]+): translation fault, level \d")
    assert con.match.group(1) == pid
    assert con.match.group(2) == address
    assert int(con.match.group(3), 16) >> 26 == 0x24, "EC must be 'data abort from a lower EL'"
    stream = user_stream(con.read_for(2.0))
    assert len(re.sub(r"[^1-5]", "", stream)) >= 5, "the 12345 process stopped: %r" % stream
    assert len(re.sub(r"[^a-e]", "", stream)) >= 5, "the abcde process stopped: %r" % stream


def test_lrtos_process_exit_is_reported(boot):
    con = boot_guest(boot, LRTOS)
    con.expect(r"process (\d+): hello, exiting with status 7", timeout=20)
    pid = con.match.group(1)
    con.expect(r"lrtos: process %s exited \(status 7\)" % pid)
    con.expect(r"[1-5a-e]")
