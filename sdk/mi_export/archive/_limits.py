"""Zip-bomb defences on the central directory (FORMAT.md §7), before any byte is inflated.

Each check names the members it refuses; a refused member is listed with role
``skipped`` and an ``archive.limits`` finding, and the rest of the archive is read.
Inflating past the declared size is caught while reading (see ``_member``).
"""

from __future__ import annotations

from collections.abc import Sequence

from mi_export.archive._zipformat import LOCAL_HEADER, ZipRecord
from mi_export.findings import Finding
from mi_export.limits import Limits


def record_bounds(records: Sequence[ZipRecord], data_end: int) -> list[int]:
    """For each record, where the next member (or the central directory) starts.

    A member's local header, name and compressed data must end before that point;
    the exact local header is checked again when the member is opened.
    """
    order = sorted(range(len(records)), key=lambda i: (records[i].header_offset, i))
    bounds = [data_end] * len(records)
    next_start = data_end
    for i in reversed(order):
        bounds[i] = next_start
        if records[i].header_offset < next_start:
            next_start = records[i].header_offset
    return bounds


def overlapping(records: Sequence[ZipRecord], bounds: Sequence[int]) -> set[int]:
    """Indices of records whose data runs into the next member or share a header.

    Overlap bombs point many central-directory records into one compressed body;
    every record involved is refused.
    """
    first_at: dict[int, int] = {}
    shared: set[int] = set()
    for i, record in enumerate(records):
        other = first_at.setdefault(record.header_offset, i)
        if other != i:
            shared.update((other, i))
    found = set(shared)
    for i, record in enumerate(records):
        end = record.header_offset + LOCAL_HEADER.size + len(record.raw_name)
        if end + record.compress_size > bounds[i]:
            found.add(i)
    return found


def size_problems(members: Sequence[tuple[int, int, int | None]], limits: Limits) -> dict[int, str]:
    """Ratio and total-size problems of the members that would be read, by index.

    Args:
        members: ``(index, declared size, compressed size or None)`` of each member
            that would be read, in container order.
        limits: The limits in force.

    The total counts members in container order; a member that would take the total
    over the limit is refused and the following ones are still considered.
    """
    problems: dict[int, str] = {}
    total = 0
    for i, size, compressed in members:
        if compressed is not None and size > compressed * limits.max_ratio:
            problems[i] = (
                f"declares a compression ratio of {size // max(compressed, 1)}:1, over the "
                f"limit of {limits.max_ratio}:1 (zip bomb?)"
            )
        elif total + size > limits.max_total_bytes:
            problems[i] = (
                f"would take the archive's uncompressed total past the limit of "
                f"{limits.max_total_bytes} bytes"
            )
        else:
            total += size
    return problems


def too_many_entries(count: int | None, limits: Limits, first_left_out: str) -> Finding:
    """The finding for an archive with more entries than the limit.

    Args:
        count: How many entries the container says it has, when it says so.
        limits: The limits in force.
        first_left_out: The first entry that is not read.
    """
    has = f"{count} entries" if count is not None else "more entries"
    return Finding.make(
        "archive.limits",
        f"the archive has {has}, more than the limit of {limits.max_entries}; "
        f"this entry and the ones after it are not read",
        file=first_left_out,
    )
