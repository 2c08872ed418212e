"""Duplicate-key detection: the same groups in memory and after spilling to disk."""

from __future__ import annotations

import io
import os

import pytest

from mi_export_validator.checks.duplicates import DuplicateIndex
from mi_export_validator.cli.progress import ProgressLine


def _occurrences() -> list[tuple[str, str, int, int]]:
    rows = [("sms", str(i), i, 7) for i in range(500)]
    rows += [
        ("sms", "3", 900, 7),
        ("sms", "3", 901, 8),
        ("note", "3", 902, 7),
        ("sms", "499", 950, 7),
    ]
    return rows


@pytest.mark.parametrize("cap", [10_000, 50, 1])
def test_groups_are_the_same_whether_spilled_or_not(cap: int, tmp_path: object) -> None:
    index = DuplicateIndex(memory_cap=cap, tmpdir=str(tmp_path))
    for row in _occurrences():
        index.add(*row)
    assert index.spilled == (cap < 500)
    groups = [(g.table, g.key, g.locations, g.identical) for g in index.groups()]
    index.close()
    assert groups == [("sms", "3", (3, 900, 901), False), ("sms", "499", (499, 950), True)]
    assert os.listdir(str(tmp_path)) == []


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_draws_only_on_a_terminal() -> None:
    terminal, pipe = _Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        line = ProgressLine("validating x.zip", stream=stream, delay=0)
        line(50_000_000, 100_000_000)
        line.close()
    assert "validating x.zip:  50.0% 50 MB" in terminal.getvalue()
    assert pipe.getvalue() == ""
