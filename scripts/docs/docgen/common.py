"""Shared helpers of the docs generator: paths, the page header, Markdown building blocks."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
DOCS = ROOT / "docs"
COMMAND = "python scripts/generate_docs.py"


def header(source: str) -> str:
    """The comment that opens every generated page (invisible in the site)."""
    return (
        f"<!-- Generated from {source} by `{COMMAND}`; do not edit by hand. -->\n\n"
    )


def code(text: object) -> str:
    """Inline code (Python-Markdown keeps pipes inside code spans in table cells)."""
    body = str(text)
    fence = "``" if "`" in body else "`"
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def finding(name: str, up: str = "") -> str:
    """A link to a finding code on the codes page (``up`` leads to ``reference/``)."""
    return f"[`{name}`]({up}codes.md#{name})"


def cell(text: str) -> str:
    """Plain text made safe for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def table(head: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def json_block(value: Any) -> str:
    """A fenced JSON block, two-space indentation, non-ASCII text kept as is."""
    return "```json\n" + json.dumps(value, indent=2, ensure_ascii=False) + "\n```\n"


def thousands(number: int) -> str:
    """1,234,567."""
    return f"{number:,}"


def size_text(number: int) -> str:
    """A byte count in the largest binary unit that divides it (64 GiB, 16 MiB)."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if number >= 1 << shift and number % (1 << shift) == 0:
            return f"{number >> shift} {unit}"
    return f"{thousands(number)} bytes"
