"""Shared fixtures for aVisor's system tests.

Every test boots a real image in QEMU (-M raspi3b) and drives its console
through pexpect, like a user at a terminal. The `boot` fixture is a factory;
`hv` boots the hypervisor and waits for its prompt. Every QEMU started by a
test is killed when the test ends, pass or fail, and its whole console
output is kept in build/test-logs/<test name>.log.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pexpect
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from cardimage import fat_volume  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel8.img")
# The card the tests boot by default: build/sdcard.img without Linux (no
# files, no line in avisor.cfg), so that only the Linux tests load 33 MB.
SDCARD = os.path.join(BUILD, "test-sdcard.img")
# The card `make run` boots, with the Linux VM: boot(sdcard=FULL_SDCARD).
FULL_SDCARD = LINUX_SDCARD = os.path.join(BUILD, "sdcard.img")
LOG_DIR = os.path.join(BUILD, "test-logs")
PROMPT = "avisor:/# "


def qemu_command(kernel, sdcard=None, extra=()):
    cmd = [
        "qemu-system-aarch64", "-M", "raspi3b", "-nographic",
        "-serial", "null", "-serial", "mon:stdio", "-m", "1024",
        "-kernel", kernel,
    ]
    if sdcard:
        cmd += ["-drive", "file=%s,if=sd,format=raw" % sdcard]
    return cmd + list(extra)


def normalize(text):
    """Terminal output with line ends as plain \\n (the pty may add a \\r)."""
    return re.sub(r"\r+\n", "\n", text)


class Console:
    """A QEMU instance and the serial console it shows."""

    def __init__(self, kernel, sdcard=None, extra=(), log_path=None, timeout=10):
        cmd = qemu_command(kernel, sdcard, extra)
        self.log = open(log_path, "w", encoding="utf-8") if log_path else None
        self.child = pexpect.spawn(cmd[0], cmd[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=timeout,
                                   dimensions=(50, 200))
        self.child.logfile_read = self.log
        self.child.delaybeforesend = None

    # --- raw I/O -------------------------------------------------------
    def send(self, text):
        self.child.send(text)

    def sendline(self, text=""):
        """Types text and Enter (a terminal sends CR)."""
        self.child.send(text + "\r")

    def expect(self, pattern, timeout=10):
        return self.child.expect(pattern, timeout=timeout)

    def expect_exact(self, text, timeout=10):
        return self.child.expect_exact(text, timeout=timeout)

    @property
    def before(self):
        return self.child.before

    @property
    def match(self):
        return self.child.match

    def read_for(self, seconds):
        """Everything printed during the next `seconds` seconds (also when it never stops).

        It starts with what pexpect has already read past its last match:
        that was printed after the point the test waited for, and is not
        seen again otherwise.
        """
        chunks = [self.child.buffer]
        self.child.buffer = ""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            try:
                chunks.append(self.child.read_nonblocking(65536, timeout=left))
            except pexpect.TIMEOUT:
                break
        return "".join(chunks)

    # --- hypervisor shell helpers ---------------------------------------
    def expect_prompt(self, timeout=10):
        self.expect_exact(PROMPT, timeout=timeout)

    def expect_booted(self, timeout=30):
        """Waits until the VMs of the card's avisor.cfg are loaded and started and the
        prompt is back. They load in the background after the first prompt; the
        hypervisor reports each, then "boot: VMs started" (also before the first
        prompt when there is nothing to load)."""
        self.expect(r"boot: VMs started \d+ us after power-on", timeout=timeout)
        self.expect_prompt(timeout=timeout)

    def run(self, command, timeout=10):
        """Runs a shell command and returns its output (without echo and prompt)."""
        self.sendline(command)
        self.expect(re.escape(command) + r"\r+\n", timeout=timeout)
        self.expect_prompt(timeout=timeout)
        return normalize(self.before)

    def vmld(self, args, timeout=30):
        """Runs `vmld args` and waits until the VM is loaded and started (vmld loads in
        the background and reports the start). Returns (VM id, the report line)."""
        out = self.run("vmld " + args)
        m = re.search(r"vmld: VM (\d+) \((.+?)\) loading", out)
        assert m, out
        self.expect(r"vmld: VM %s \(%s\) (started|created \(autostart=no\))[^\r\n]*\r*\n"
                    % (m.group(1), re.escape(m.group(2))), timeout=timeout)
        line = self.match.group(0).rstrip()
        self.expect_prompt(timeout=timeout)
        return int(m.group(1)), line

    def attach(self, vm_id, timeout=10):
        """Attaches the console to VM `vm_id` (the shell's vmc command)."""
        self.sendline("vmc %d" % vm_id)
        self.expect(r"attached to VM %d\b" % vm_id, timeout=timeout)

    def dump_cpu_state(self, symbols=("pcpus",)):
        """After a failed test: every core's registers, and the memory of the
        hypervisor's per-core state, from QEMU's monitor (Ctrl-A c on the
        console), into the log: a stall can then be read after the fact."""
        if not self.child.isalive():
            return
        self.child.send("\x01c")
        self.child.send("info registers -a\r")
        for name in symbols:
            address, size = symbol_extent(name)
            if address is not None:
                self.child.send("xp /%dxg 0x%x\r" % (min(size // 8, 512), address))
        try:
            self.child.expect(pexpect.TIMEOUT, timeout=3)
        except pexpect.EOF:
            pass

    def close(self):
        if self.child.isalive():
            self.child.terminate(force=True)
        if self.log:
            self.log.close()


def symbol_extent(name, elf=os.path.join(BUILD, "avisor.elf")):
    """(address, size) of a hypervisor symbol, from nm; (None, 0) if not found."""
    try:
        out = subprocess.run(["nm", "-S", elf], capture_output=True, text=True).stdout
    except OSError:
        return None, 0
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 4 and fields[3] == name:
            return int(fields[0], 16), int(fields[1], 16)
    return None, 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, for fixtures to see how it went."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


def edit_card(image, files, delete, scratch):
    """Writes and deletes files on a card image's FAT32 volume with mtools (no mounts)."""
    image = fat_volume(image)
    for path in delete:
        subprocess.run(["mdel", "-i", image, "::" + path], check=True, capture_output=True)
    for path, content in files.items():
        data = content.encode() if isinstance(content, str) else content
        src = tempfile.NamedTemporaryFile(prefix="card-file-", delete=False)
        src.write(data)
        src.close()
        scratch.append(src.name)
        subprocess.run(["mcopy", "-o", "-i", image, src.name, "::" + path], check=True,
                       capture_output=True)


def _log_path(request, index):
    os.makedirs(LOG_DIR, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", request.node.name)
    suffix = "" if index == 0 else "-%d" % index
    return os.path.join(LOG_DIR, name + suffix + ".log")


@pytest.fixture
def boot(request):
    """Factory: boot(kernel=..., sdcard=...) -> Console. All are killed at test end."""
    consoles = []
    scratch = []

    def _boot(kernel=KERNEL, sdcard=SDCARD, extra=(), timeout=10, private_sdcard=True,
              card_files=None, card_delete=()):
        """card_files {path on card: text or bytes} and card_delete [paths] change the
        private copy of the SD card before QEMU starts."""
        if not os.path.exists(kernel):
            pytest.fail("%s is missing: run make first" % kernel)
        if sdcard and private_sdcard:
            # QEMU locks its drive image: each instance gets its own copy.
            tmp = tempfile.NamedTemporaryFile(prefix="sdcard-", suffix=".img", delete=False)
            tmp.close()
            shutil.copyfile(sdcard, tmp.name)
            scratch.append(tmp.name)
            sdcard = tmp.name
            edit_card(sdcard, card_files or {}, card_delete, scratch)
        con = Console(kernel, sdcard, extra, _log_path(request, len(consoles)), timeout)
        consoles.append(con)
        return con

    yield _boot
    report = getattr(request.node, "report_call", None)
    for con in consoles:
        if report is not None and report.failed:
            con.dump_cpu_state()
        con.close()
    for path in scratch:
        os.unlink(path)


@pytest.fixture
def hv(boot):
    """The hypervisor, booted, its VMs loaded and started, at its prompt."""
    con = boot()
    con.expect_booted(timeout=30)
    return con
