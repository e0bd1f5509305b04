"""The documentation says what the shell says.

docs/console.md quotes the shell's error messages in a table between
`<!-- shell-errors: begin` and `<!-- shell-errors: end -->`: each row is a
command and the message it gives. Every row is run on the test card and its
message must appear in the output, word for word.
"""
import os
import re

from conftest import ROOT

CONSOLE_MD = os.path.join(ROOT, "docs", "console.md")


def quoted_errors():
    """[(command, message)] from the marked table of docs/console.md."""
    text = open(CONSOLE_MD, encoding="utf-8").read()
    m = re.search(r"<!-- shell-errors: begin.*?-->\n(.*?)<!-- shell-errors: end -->", text,
                  re.S)
    assert m, "docs/console.md has no shell-errors section"
    rows = []
    for line in m.group(1).splitlines():
        cells = re.fullmatch(r"\| `(.+)` \| `(.+)` \|", line)
        if cells:
            rows.append((cells.group(1), cells.group(2)))
    return rows


def test_the_section_quotes_messages():
    assert len(quoted_errors()) >= 10


def test_every_quoted_error_is_what_the_shell_says(hv):
    wrong = []
    for command, message in quoted_errors():
        out = hv.run(command)
        if message not in out:
            wrong.append("%s\n  docs: %s\n  shell: %s" % (command, message, out.strip()))
    assert not wrong, "docs/console.md quotes messages the shell does not give:\n" + \
        "\n".join(wrong)


GUESTS_MD = os.path.join(ROOT, "docs", "guests.md")


def test_the_worked_example_shows_the_real_source():
    """docs/guests.md, "Writing a guest": the code shown is guests/hello/main.c, byte for byte."""
    text = open(GUESTS_MD, encoding="utf-8").read()
    m = re.search(r"<!-- guest-example: (\S+) -->\n```c\n(.*?)```\n", text, re.S)
    assert m, "docs/guests.md has no marked guest example"
    with open(os.path.join(ROOT, m.group(1)), encoding="utf-8") as f:
        assert m.group(2) == f.read()


def test_hello_guest_from_the_worked_example(hv):
    """Steps 4 and 5 of the worked example: vmld as the original aVisor, attach, type."""
    vm, line = hv.vmld("hello.bin 80000 80000")
    assert "(hello) started: hello.bin" in line, line
    hv.attach(vm)
    hv.expect_exact("hello: a new guest, running in its own VM")
    hv.send("hello there\r")
    hv.expect_exact("HELLO THERE")


def code_blocks(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return re.findall(r"```\w*\n(.*?)```", f.read(), re.S)


def test_the_chinese_readme_keeps_in_step():
    """README.zh-CN.md shows the same example session as README.md, and each links the other."""
    english, chinese = code_blocks("README.md"), code_blocks("README.zh-CN.md")
    session = [b for b in english if b.startswith("avisor:/# vml")]
    assert session and session[0] in chinese
    make_en = [l.split("#")[0].strip() for b in english for l in b.splitlines() if l.startswith("make ")]
    make_zh = [l.split("#")[0].strip() for b in chinese for l in b.splitlines() if l.startswith("make ")]
    assert make_en == make_zh
    for path, other in (("README.md", "README.zh-CN.md"), ("README.zh-CN.md", "README.md")):
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            assert "(%s)" % other in f.read()
