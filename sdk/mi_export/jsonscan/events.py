"""What the scanner yields while reading one data file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TableStart:
    """A table's array begins in the file (``name`` as written)."""

    name: str
    pointer: str


@dataclass(slots=True)
class RawRecord:
    """One record, decoded.

    ``complete`` is False when part of it could not be built (a value over a limit or
    nested too deep): its field checks are then skipped. ``fingerprint`` identifies
    its text (:func:`fingerprint`), so repeated records can be told identical or
    conflicting.
    """

    table: str
    index: int
    pointer: str
    value: Any
    complete: bool
    fingerprint: int


@dataclass(frozen=True)
class TableEnd:
    """A table's array ended; ``records`` complete records were read from this file."""

    name: str
    records: int


def fingerprint(text: str) -> int:
    """The fingerprint of a record's text: the hash of its UTF-8 bytes.

    Bytes, not text, so that the quick scan (:mod:`.batches`), which never decodes the
    text, gives the same fingerprint for the same record.
    """
    return hash(text.encode("utf-8", "surrogatepass"))
