"""What a batch found as a whole: counts, the exit code rule, and reports in order."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mi_export_validator.report import Report


@dataclass(frozen=True)
class BatchSummary:
    """How many archives of a batch are valid, invalid and unreadable."""

    archives: int
    valid: int
    invalid: int
    unreadable: int

    @classmethod
    def of(cls, reports: Sequence[Report]) -> BatchSummary:
        """Count the reports of a batch.

        Args:
            reports: one report per archive.

        Returns:
            The summary.
        """
        codes = [r.exit_code for r in reports]
        return cls(len(codes), codes.count(0), codes.count(1), codes.count(3))

    @property
    def exit_code(self) -> int:
        """3 if any archive could not be opened, else 1 if any is invalid, else 0 (§6)."""
        if self.unreadable:
            return 3
        return 1 if self.invalid else 0

    def to_dict(self) -> dict[str, int]:
        """JSON-ready form: ``archives``, ``valid``, ``invalid``, ``unreadable``."""
        return {
            "archives": self.archives,
            "valid": self.valid,
            "invalid": self.invalid,
            "unreadable": self.unreadable,
        }

    def describe(self) -> str:
        """One line for people, e.g. ``Batch: 8 archives: 6 valid, 1 invalid, ...``."""
        noun = "archive" if self.archives == 1 else "archives"
        return (
            f"Batch: {self.archives} {noun}: {self.valid} valid, {self.invalid} invalid, "
            f"{self.unreadable} unreadable"
        )


def batch_to_dict(reports: Sequence[Report]) -> dict[str, Any]:
    """The JSON document of a batch: ``{"reports": [...], "summary": {...}}``."""
    return {
        "reports": [r.to_dict() for r in reports],
        "summary": BatchSummary.of(reports).to_dict(),
    }


def render_batch_json(reports: Sequence[Report]) -> str:
    """The batch document as JSON text (UTF-8 safe, like the one-archive report)."""
    text = json.dumps(batch_to_dict(reports), ensure_ascii=False, indent=2)
    return text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n"


class InOrder:
    """Releases reports in input order as they arrive in any order.

    Feed it what a :data:`BatchProgress` hook receives; it returns the reports that
    can now be shown, so output follows the input order while the batch still runs.
    """

    def __init__(self) -> None:
        self._waiting: dict[int, Report] = {}
        self._next = 0

    def add(self, index: int, report: Report) -> list[Report]:
        """Take one finished archive; return the reports now ready, in order.

        Args:
            index: the archive's position in the batch.
            report: its report.

        Returns:
            The reports from the next expected position onwards that are now complete.
        """
        self._waiting[index] = report
        ready = []
        while self._next in self._waiting:
            ready.append(self._waiting.pop(self._next))
            self._next += 1
        return ready
