"""Helpers of the corpus tests: run the real CLI, flatten reports, mutate archives.

``tests/test_acceptance.py`` compares the CLI's report on each case of
``fixtures/invalid/`` with its golden file; ``tests/test_fuzz.py`` mutates valid
archives and runs the engine in process. Both use what is here.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fixtures" / "invalid"
SCRIPT = ROOT / "scripts" / "invalid_fixtures.py"
CLI_TIMEOUT = 60  # seconds, a hard limit per CLI run (the slowest case takes about one)


def case_names() -> list[str]:
    """Every case of the committed corpus, by its golden file."""
    return sorted(p.name.removesuffix(".expected.json") for p in CORPUS.glob("*.expected.json"))


def load_golden(name: str) -> dict[str, Any]:
    """The golden file of a case."""
    value: dict[str, Any] = json.loads((CORPUS / f"{name}.expected.json").read_text("utf-8"))
    return value


def case_input(name: str) -> str:
    """The input's name (``.zip``, ``.json`` or ``.dir``) of a case, relative to the corpus."""
    for suffix in (".zip", ".json", ".dir"):
        if (CORPUS / f"{name}{suffix}").exists():
            return name + suffix
    raise FileNotFoundError(name)


def run_validate(*args: str, cwd: Path = CORPUS) -> subprocess.CompletedProcess[bytes]:
    """``python -m mi_export_validator validate ARGS`` with no password in the environment."""
    env = {k: v for k, v in os.environ.items() if k != "MI_EXPORT_PASSWORD"}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "mi_export_validator", "validate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=CLI_TIMEOUT,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def flatten(finding: dict[str, Any]) -> list[Any]:
    """A finding as in the golden files: ``[code, severity, file, table, index, pointer]``."""
    keys = ("code", "severity", "file", "table", "index", "pointer")
    return [finding.get(key) for key in keys]


def flatten_location(location: dict[str, Any]) -> list[Any]:
    """A related location: ``[file, table, index, pointer]``."""
    return [location.get(key) for key in ("file", "table", "index", "pointer")]


class HardTimeout(Exception):
    """Raised in the main thread when :func:`hard_timeout` expires."""


@contextmanager
def hard_timeout(seconds: float) -> Iterator[None]:
    """Interrupt the block with :class:`HardTimeout` after ``seconds`` (SIGALRM, POSIX)."""

    def expire(signum: int, frame: object) -> None:
        raise HardTimeout(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def stored_zip(files: dict[str, bytes]) -> bytes:
    """A plain ZIP with Stored members, so that byte mutations land in the JSON itself."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 12, 1, 0, 0, 0))
            zf.writestr(info, data)
    return out.getvalue()
