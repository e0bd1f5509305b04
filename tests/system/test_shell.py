"""The hypervisor shell: commands, errors, line editing and burst input."""

import re

from conftest import PROMPT

HELP_LINE = "list the commands"


def test_help_lists_every_command_with_a_description(hv):
    out = hv.run("help")
    for cmd in ("help", "version", "mem", "uptime", "clear", "crash"):
        assert re.search(r"^  %s\s+\S" % cmd, out, re.M), (cmd, out)


def test_unknown_command_is_named(hv):
    out = hv.run("xyzzy")
    assert "unknown command 'xyzzy' — type help" in out


def test_extra_argument_is_an_error(hv):
    out = hv.run("version now")
    assert "version: unexpected argument 'now'" in out


def test_empty_line_gives_a_new_prompt(hv):
    hv.sendline("")
    hv.expect_prompt()
    assert hv.run("version").count("aVisor") == 1


def test_twenty_pasted_help_commands_give_twenty_listings(hv):
    hv.send("help\r" * 20)
    for _ in range(20):
        hv.expect_exact(HELP_LINE)
        hv.expect_prompt()
    hv.sendline("version")
    hv.expect(r"aVisor \d")
    hv.expect_prompt()
    # Nothing was lost and nothing was doubled: exactly 20 listings in total.
    log = open(hv.log.name, encoding="utf-8").read()
    assert log.count(HELP_LINE) == 20


def test_long_paste_of_mixed_commands_loses_nothing(hv):
    commands = ["version", "uptime", "xyzzy%d" % 0, "mem"] * 10
    hv.send("".join(c + "\r" for c in commands))
    for c in commands:
        hv.expect(re.escape(c) + r"\r+\n")
        hv.expect_prompt()


def test_backspace_erases(hv):
    hv.send("helpx\x7f\r")
    hv.expect_exact(HELP_LINE)
    hv.expect_prompt()


def test_ctrl_u_clears_the_line(hv):
    hv.send("garbage\x15version\r")
    hv.expect(r"aVisor \d")
    hv.expect_prompt()
    assert "unknown command" not in hv.before


def test_ctrl_c_cancels_the_line(hv):
    hv.send("garbage\x03")
    hv.expect_exact("^C")
    hv.expect_prompt()
    out = hv.run("version")
    assert "garbage" not in out and "unknown command" not in out


def test_history_up_and_down(hv):
    hv.run("version")
    hv.run("xyzzy")
    # Up twice: back to "version".
    hv.send("\x1b[A\x1b[A\r")
    hv.expect(r"aVisor \d")
    hv.expect_prompt()
    # Up then down: back to an empty line, which does nothing.
    hv.send("\x1b[A\x1b[B\r")
    hv.expect_prompt()
    assert "unknown command" not in hv.before and "aVisor" not in hv.before


def test_unterminated_quote_is_reported(hv):
    out = hv.run('help "oops')
    assert "unterminated quote" in out


def test_help_of_one_command_shows_its_usage_and_explanation(hv):
    out = hv.run("help vml")
    assert "usage: vml\n  list VMs: state, memory, CPU time and trap counters" in out, out
    out = hv.run("help vmld")
    assert "usage: vmld <image> <load> <entry> [mem] [opts]" in out, out
    assert "addresses hex, 0x optional" in out, out
    assert "help: no command 'xyzzy' (help lists them)" in hv.run("help xyzzy")
    assert "usage: help [command]" in hv.run("help a b")


def test_help_says_addresses_are_hex(hv):
    assert "addresses are hex, 0x optional" in hv.run("help")


def test_vmc_0_in_the_shell_says_so(hv):
    out = hv.run("vmc 0")
    assert "vmc: you are in the shell already" in out, out


def test_a_vm_id_too_large_is_out_of_range(hv):
    out = hv.run("vmc 99999999999999999999")
    assert "vmc: 99999999999999999999 is out of range: VM ids are 1 to 8" in out, out
    # Not wrapped around to a VM that exists (4294967297 = 2^32 + 1).
    assert "out of range" in hv.run("vmi 4294967297")
    assert "'x1' is not a VM id" in hv.run("vmi x1")


def test_a_long_line_rings_the_bell_once(hv):
    hv.send("x" * 5000)
    out = hv.read_for(3)
    assert out.count("\a") == 1, "%d bells" % out.count("\a")
    hv.send("\x15")  # Ctrl-U: the line is empty, it may ring again when full
    out = hv.run("version")
    assert "aVisor" in out and "\a" not in out, out


def vml_columns(out):
    """The header's and each row's columns as (start, end) pairs; a size is one column."""
    lines = [line for line in out.splitlines() if line.strip()]
    header = [(m.start(), m.end()) for m in re.finditer(r"\S+", lines[0])]
    rows = [[(m.start(), m.end()) for m in re.finditer(r"\d+(\.\d)? \S?i?B|\S+", line[1:])]
            for line in lines[1:] if re.match(r"[ *]\s*\d+ ", line)]
    return header, [[(s + 1, e + 1) for s, e in row] for row in rows]


def test_vml_rows_line_up_with_the_header_even_with_a_15_character_name(boot):
    config = "fifteen-chars-x echo.bin 0x80000 0x80000 16M\nlrtos lrtos.bin 0x80000 0x80000 32M\n"
    hv = boot(card_files={"avisor.cfg": config})
    hv.expect_prompt(timeout=15)
    out = hv.run("vml")
    header, rows = vml_columns(out)
    assert len(rows) == 2, out
    for row in rows:
        assert len(row) == len(header), out
        assert row[0][1] == header[0][1], out  # ID: right-aligned
        assert row[1][0] == header[1][0] and row[2][0] == header[2][0], out  # NAME, STATE
        assert [c[1] for c in row[3:]] == [c[1] for c in header[3:]], out  # the rest: right


def test_vml_and_vmi_say_the_same_state(hv):
    hv.read_for(1.0)  # echo is in WFI waiting for input
    vml = hv.run("vml")
    state = re.search(r"^[ *]\s*1 echo\s+(\S+)", vml, re.M).group(1)
    assert state == "waiting", vml
    vmi = hv.run("vmi 1")
    assert "VM 1 (echo): waiting\n" in vmi, vmi


def exits_of(hv, vm_id):
    out = hv.run("vml")
    m = re.search(r"^[ *]\s*%d \S+\s+\S+\s+\d+ ?Mi?B?\s+(\d+)\s+(\d+)" % vm_id, out, re.M)
    assert m, out
    return int(m.group(1)), int(m.group(2))


def test_vmrestart_resets_every_counter(hv):
    hv.read_for(2.0)  # lrtos keeps taking timer interrupts
    cpu_ms, exits = exits_of(hv, 2)
    assert exits > 100, exits
    hv.run("vmrestart 2")
    cpu_after, exits_after = exits_of(hv, 2)
    assert exits_after < exits / 2, (exits, exits_after)
    assert cpu_after <= cpu_ms, (cpu_ms, cpu_after)
    assert "restarts 1" in hv.run("vmi 2")
    assert "every counter starts again from zero" in hv.run("help vmrestart")


def test_sched_never_prints_a_negative_time(hv):
    for _ in range(10):
        out = hv.run("sched")
        assert not re.search(r"-\d+ us", out), out
        assert re.search(r"^core 0: (dedicated, )?(nothing on the core|VM \d+ vCPU \d+ on the core)"
                         r"; alarm( in \d+ us| due now|: none \(tickless\))", out, re.M), out


def test_the_attach_banner_starts_a_line_of_its_own(hv):
    hv.attach(1)
    hv.expect_exact("echo: ready")
    hv.send("abc")  # echoed without a newline: the terminal is mid-line
    hv.expect_exact("abc")
    hv.send("@2")
    hv.expect(r"\[attached to VM 2 ")
    assert re.fullmatch(r"\r*\n", hv.before), repr(hv.before)
    # After output that ended its line, no empty line is added.
    hv.send("@1")
    hv.expect(r"\[attached to VM 1 ")
    hv.send("def\r")
    hv.expect(r"def\r*\n")
    hv.send("@2")
    hv.expect(r"\[attached to VM 2 ")
    assert "\n" not in hv.before, repr(hv.before)


def test_a_report_from_another_core_redraws_the_command_being_typed(hv):
    """vmld of a guest that makes another core report, and the next command typed at
    once, unfinished: the reports (its start, its undefined instruction on core 2) each
    come on a line of their own, followed by the prompt with what was typed, and the
    command finished afterwards runs as typed."""
    hv.send("vmld tests/bad_sysreg.bin 0x80000 0x80000 cpus=2\rvers")
    hv.expect(r"\[aVisor\] VM (\d+) \(bad_sysreg\): undefined instruction[^\r\n]*\r+\n",
              timeout=15)
    hv.expect_exact(PROMPT + "vers", timeout=5)
    hv.send("ion\r")
    hv.expect(r"\r+\naVisor \d+\.\d+\.\d+ \(")
    hv.expect_prompt()
    log = open(hv.log.name, encoding="utf-8").read()
    # Every report line begins a line: nothing typed stands in front of it.
    for line in re.findall(r"[^\n]*\[aVisor\][^\n]*", log):
        assert line.lstrip("\r").startswith("[aVisor]"), line
