"""The hypervisor shell: commands, errors, line editing and burst input."""

import re

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
