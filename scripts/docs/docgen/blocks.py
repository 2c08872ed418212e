"""Find the runnable parts of hand-written pages: console commands and Python blocks.

A ```` ```console ```` block holds commands, each on a line starting with ``$ `` (a
line ending in ``\\`` continues on the next one), followed by excerpts of what the
command prints. A command ends with ``# exit N`` when it is meant to exit with N;
otherwise it must exit 0. Output lines are checked in order against what the command
really prints, with numbers ignored and ``...`` standing for anything (a line of its
own skips any number of lines). ``tests/test_docs_commands.py`` runs them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```$",
                    re.MULTILINE | re.DOTALL)
_EXIT = re.compile(r"#\s*exit\s+(\d+)\s*$")
_NUMBER = re.compile(r"\d[\d,.]*")
SNIPPET = "--8<--"


@dataclass
class Command:
    """One shell command of a page, with what it should print and its exit code."""

    page: str
    line: int
    text: str
    exit_code: int = 0
    output: list[str] = field(default_factory=list)


def fenced_blocks(text: str, lang: str) -> Iterator[tuple[int, str]]:
    """``(line number, body)`` of each fenced block of ``lang``."""
    for match in _FENCE.finditer(text):
        if match.group("lang") == lang:
            first = text.count("\n", 0, match.start()) + 2
            yield first, match.group("body")


def console_commands(page: Path, root: Path) -> list[Command]:
    """The commands of every console block of ``page``, in page order."""
    name = page.relative_to(root).as_posix()
    commands: list[Command] = []
    for first, body in fenced_blocks(page.read_text(encoding="utf-8"), "console"):
        pending: Command | None = None
        for offset, raw in enumerate(body.splitlines()):
            if pending is not None and pending.text.endswith("\\"):
                pending.text = pending.text[:-1] + " " + raw.strip()
            elif raw.startswith("$ "):
                pending = Command(name, first + offset, raw[2:].strip())
                commands.append(pending)
            elif pending is not None:
                pending.output.append(raw)
    for command in commands:
        found = _EXIT.search(command.text)
        if found:
            command.exit_code = int(found.group(1))
    return commands


def python_blocks(page: Path) -> list[tuple[int, str]]:
    """Inline Python blocks of ``page`` (blocks that include a file are left out)."""
    return [(line, body) for line, body in fenced_blocks(page.read_text(encoding="utf-8"),
                                                         "python")
            if SNIPPET not in body]


def snippet_targets(page: Path) -> list[str]:
    """Files that ``page`` includes with the snippets extension."""
    return re.findall(rf'^\s*{SNIPPET}\s*"([^"]+)"', page.read_text(encoding="utf-8"),
                      re.MULTILINE)


def _normal(line: str) -> str:
    return " ".join(_NUMBER.sub("#", line).split())


def missing_output(expected: Sequence[str], actual: str) -> str | None:
    """The first expected line not found, in order, in ``actual`` (None: all found)."""
    lines = [_normal(line) for line in actual.splitlines()]
    position = 0
    for want in expected:
        if want.strip() in ("", "..."):
            continue
        pattern = re.compile(".*".join(re.escape(part) for part in _normal(want).split("...")))
        while position < len(lines) and not pattern.fullmatch(lines[position]):
            position += 1
        if position == len(lines):
            return want
        position += 1
    return None
