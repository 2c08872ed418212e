"""Helpers to run the scanner on bytes and compare its modes."""

from __future__ import annotations

import io
from typing import Any

from mi_export.findings import Finding
from mi_export.jsonscan import RawRecord, TableEnd, TableStart, scan_file
from mi_export.limits import DEFAULT_LIMITS, Limits

STOPPING = {"json.syntax", "json.truncated", "json.encoding", "json.depth", "json.limits"}


def flatten(event: Any) -> tuple[Any, ...]:
    """A comparable form of one event (record values compared by repr: exact types)."""
    if isinstance(event, Finding):
        return (
            "finding",
            event.code,
            event.table,
            event.index,
            event.pointer,
            event.offset,
            event.line,
            event.column,
            event.message,
        )
    if isinstance(event, RawRecord):
        return (
            "record",
            event.table,
            event.index,
            event.pointer,
            repr(event.value),
            event.complete,
        )
    if isinstance(event, TableStart):
        return ("start", event.name)
    assert isinstance(event, TableEnd)
    return ("end", event.name, event.records)


def scan(
    data: bytes, *, fast: bool = True, chunk_bytes: int = 1 << 20, limits: Limits = DEFAULT_LIMITS
) -> list[tuple[Any, ...]]:
    """All events of ``data`` as flat tuples."""
    return [
        flatten(e)
        for e in scan_file(
            io.BytesIO(data), file="f.json", fast=fast, chunk_bytes=chunk_bytes, limits=limits
        )
    ]


def codes(data: bytes, **kw: Any) -> list[str]:
    """The finding codes of ``data``, in order."""
    return [e[1] for e in scan(data, **kw) if e[0] == "finding"]


def scan_all_modes(data: bytes) -> list[tuple[Any, ...]]:
    """Scan in every mode and chunking; assert they agree; return the events."""
    reference = scan(data, fast=False)
    for fast in (True, False):
        for chunk in (1, 7, 1 << 20):
            if chunk == 1 and len(data) > 20_000:
                continue
            got = scan(data, fast=fast, chunk_bytes=chunk)
            assert got == reference, f"fast={fast} chunk={chunk} differs"
    return reference
