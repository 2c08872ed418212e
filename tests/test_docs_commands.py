"""Every shell command of the docs runs, from the repository root, as the page says.

Each page's ``console`` blocks run in order in a fresh temporary copy of what they use
(``fixtures/`` and ``docs/examples/``), so commands that write files touch nothing in
the tree. A command must exit 0 unless it ends with ``# exit N``, and what it prints
must contain the output lines shown under it (numbers ignored, ``...`` for anything):
see ``scripts/docs/docgen/blocks.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "docs"))

from docgen.blocks import Command, console_commands, missing_output  # noqa: E402

DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if console_commands(p, ROOT))
AUDIENCE_PAGES = ("received.md", "produce.md", "my-data.md")
COMMAND_TIMEOUT = 60


def _workdir(tmp_path: Path) -> Path:
    """A stand-in for the repository root with what the commands read."""
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    shutil.copytree(DOCS / "examples", tmp_path / "docs" / "examples")
    return tmp_path


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MI_EXPORT_")}
    # mi-export and python from the interpreter that runs the tests (the venv).
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def _run(command: Command, cwd: Path) -> str:
    result = subprocess.run(
        ["bash", "-c", command.text],
        cwd=cwd,
        env=_environment(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    output = result.stdout.decode("utf-8", "replace")
    where = f"{command.page}:{command.line}: $ {command.text}"
    assert result.returncode == command.exit_code, (
        f"{where}\nexit {result.returncode}, the page says {command.exit_code}\n{output}"
    )
    missing = missing_output(command.output, output)
    assert missing is None, f"{where}\nthe page shows {missing!r}, not printed:\n{output}"
    return output


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_page_commands(page: Path, tmp_path: Path) -> None:
    cwd = _workdir(tmp_path)
    for command in console_commands(page, ROOT):
        _run(command, cwd)


def test_every_audience_page_has_commands() -> None:
    names = {p.name for p in PAGES}
    assert set(AUDIENCE_PAGES) <= names


def test_failing_commands_say_their_exit_code() -> None:
    """Pages show commands meant to fail (wrong password, invalid input) with their code."""
    codes = {c.exit_code for p in PAGES for c in console_commands(p, ROOT)}
    assert {0, 1, 3} <= codes


def test_output_matching() -> None:
    printed = "Result:  VALID: 0 errors; 19 tables in 0.04 s\nsms  12  sms.json\nend"
    assert (
        missing_output(["Result: VALID: 0 errors; 19 tables in 9.9 s", "...", "end"], printed)
        is None
    )
    assert missing_output(["sms ... sms.json"], printed) is None
    assert missing_output(["end", "sms"], printed) == "sms"  # order matters
    assert missing_output(["INVALID"], printed) == "INVALID"
