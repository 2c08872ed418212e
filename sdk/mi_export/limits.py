"""Limits against hostile input (FORMAT.md §7); every one is configurable."""

from __future__ import annotations

from dataclasses import dataclass

GiB = 1 << 30
MiB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """Bounds that keep reading safe and memory flat on hostile archives."""

    max_entries: int = 100_000
    max_total_bytes: int = 64 * GiB
    max_ratio: int = 10_000
    max_depth: int = 64
    max_string_bytes: int = 16 * MiB
    max_number_chars: int = 100
    max_record_bytes: int = 32 * MiB


DEFAULT_LIMITS = Limits()
