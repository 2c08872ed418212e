"""The JSON report (FORMAT.md §6), one object per archive."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mi_export_validator.report import Report


def render_json(report: Report) -> str:
    """The report as JSON text (UTF-8 safe: lone surrogates are escaped)."""
    return (
        json.dumps(report.to_dict(), ensure_ascii=False, indent=2)
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
        + "\n"
    )


def render_json_batch(reports: Sequence[Report]) -> str:
    """Several reports: ``{"reports": [...], "exitCode": n}``."""
    body = {"reports": [r.to_dict() for r in reports]}
    return (
        json.dumps(body, ensure_ascii=False, indent=2)
        .encode("utf-8", "backslashreplace")
        .decode("utf-8")
        + "\n"
    )
