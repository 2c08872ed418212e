"""The JSON report (FORMAT.md §6), one object per archive."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mi_export_validator.report import Report, without_surrogates


def render_json(report: Report) -> str:
    """The report as JSON text (valid UTF-8: lone surrogates become U+FFFD)."""
    return without_surrogates(json.dumps(report.to_dict(), ensure_ascii=False, indent=2)) + "\n"


def render_json_batch(reports: Sequence[Report]) -> str:
    """Several reports: ``{"reports": [...]}``."""
    body = {"reports": [r.to_dict() for r in reports]}
    return without_surrogates(json.dumps(body, ensure_ascii=False, indent=2)) + "\n"
