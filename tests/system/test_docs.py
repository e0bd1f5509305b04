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
