"""From placed members to the archive's entries, findings and refusals."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO, cast

from mi_export.archive._base import Entry
from mi_export.archive._names import Placed
from mi_export.findings import Finding

_LABELS = {"zipcrypto": "ZipCrypto", "unknown": "an unknown method"}


@dataclass(frozen=True)
class Listing:
    """What an archive shows: entries, findings and why refused entries are not read."""

    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...]
    refusals: dict[int, tuple[str, str]]


def build_listing(
    placed: Sequence[Placed],
    encryptions: Sequence[str],
    sizes: Sequence[int],
    compressed: Sequence[int | None],
    tail: Iterable[Finding] = (),
) -> Listing:
    """Assemble entries (container order) and findings (entry order, then ``tail``)."""
    entries = tuple(
        Entry(path=p.path, role=p.role, encryption=e, bytes=s, compressed_bytes=c)
        for p, e, s, c in zip(placed, encryptions, sizes, compressed, strict=True)
    )
    findings = [f for p in placed for f in p.findings]
    findings.extend(tail)
    refusals = {i: p.reason for i, p in enumerate(placed) if p.reason is not None}
    return Listing(entries=entries, findings=tuple(findings), refusals=refusals)


def summarize_encryption(methods: Iterable[str]) -> str:
    """The archive's encryption over its encrypted members' methods."""
    found = {m for m in methods if m != "none"}
    if not found:
        return "none"
    return found.pop() if len(found) == 1 else "mixed"


def describe_encryption(methods: Iterable[str]) -> str:
    """Human words for a set of methods: ``AES-256 and ZipCrypto``."""
    labels = sorted({_LABELS.get(m, m.upper()) for m in methods if m != "none"})
    return " and ".join(labels)


@contextmanager
def as_context(stream: io.IOBase) -> Iterator[BinaryIO]:
    """Hand an already opened stream to a ``with`` block and close it after."""
    try:
        yield cast(BinaryIO, stream)
    finally:
        stream.close()
