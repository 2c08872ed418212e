"""Exact duplicate-key detection in bounded memory (FORMAT.md §2 "Duplicates").

Keys are kept in a dict up to ``memory_cap`` entries (about 150 bytes each); past
that, everything moves to a SQLite file in a temporary directory (a few tens of bytes
per key on disk, SQLite's page cache capped at 8 MB), so 10 million ids cost the same
RAM as 50,000 (the default cap: about 8 MB of keys). Past the cap, adding a key costs
an insert into SQLite (about 2 µs), and the duplicate search at the end a sort of the
keys on disk. Duplicates are reported once all records are read, ordered by the first
occurrence of each key.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import repeat

LOC_BITS = 40  # a location is file_number << 40 | record index
MAX_RELATED = 20


@dataclass(frozen=True)
class DuplicateGroup:
    """Every location of one key that occurs more than once, in reading order."""

    table: str
    key: str
    locations: tuple[int, ...]
    identical: bool


class DuplicateIndex:
    """Remembers (table, key) → first location and fingerprint; finds repeats."""

    def __init__(self, memory_cap: int = 50_000, tmpdir: str | None = None) -> None:
        self.memory_cap = memory_cap
        self._tmpdir = tmpdir
        self._seen: dict[tuple[str, str], tuple[int, int]] = {}
        self._repeats: dict[tuple[str, str], list[tuple[int, int]]] = {}
        self._db: sqlite3.Connection | None = None
        self._db_path: str | None = None
        self._batch: list[tuple[str, str, int, int]] = []

    @property
    def spilled(self) -> bool:
        """True once keys live on disk."""
        return self._db is not None

    def add(self, table: str, key: str, location: int, fingerprint: int) -> None:
        """Record one occurrence of ``key`` in ``table``."""
        if self._db is not None:
            self._batch.append((table, key, location, fingerprint))
            if len(self._batch) >= 50_000:
                self._flush()
            return
        entry = (table, key)
        first = self._seen.get(entry)
        if first is None:
            self._seen[entry] = (location, fingerprint)
            if len(self._seen) > self.memory_cap:
                self._spill()
        else:
            self._repeats.setdefault(entry, [first]).append((location, fingerprint))

    def add_many(
        self, table: str, keys: list[str], first_location: int, fingerprints: list[int]
    ) -> None:
        """Record consecutive occurrences: ``keys[i]`` at ``first_location + i``."""
        locations = range(first_location, first_location + len(keys))
        if self._db is not None:
            self._batch.extend(zip(repeat(table), keys, locations, fingerprints))
            if len(self._batch) >= 50_000:
                self._flush()
            return
        add = self.add
        for key, location, fingerprint in zip(keys, locations, fingerprints, strict=True):
            add(table, key, location, fingerprint)

    def groups(self) -> Iterator[DuplicateGroup]:
        """The duplicate groups, ordered by their first occurrence."""
        if self._db is None:
            ordered = sorted(self._repeats.items(), key=lambda item: item[1][0][0])
            for (table, key), occurrences in ordered:
                yield _group(table, key, occurrences)
            return
        self._flush()
        self._db.execute("CREATE INDEX IF NOT EXISTS occ_key ON occ (tbl, k)")
        query = (
            "SELECT tbl, k, MIN(loc) FROM occ GROUP BY tbl, k HAVING COUNT(*) > 1 ORDER BY MIN(loc)"
        )
        for table, key, _ in self._db.execute(query):
            rows = self._db.execute(
                "SELECT loc, fp FROM occ WHERE tbl = ? AND k = ? ORDER BY loc", (table, key)
            ).fetchall()
            yield _group(table, key, rows)

    def close(self) -> None:
        """Drop the spill file, if any."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._db_path is not None:
            for suffix in ("", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self._db_path + suffix)
            self._db_path = None

    def _spill(self) -> None:
        fd, self._db_path = tempfile.mkstemp(
            prefix="mi-export-ids-", suffix=".sqlite", dir=self._tmpdir
        )
        os.close(fd)
        db = sqlite3.connect(self._db_path)
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8000;"
            "PRAGMA temp_store=FILE;"
            "CREATE TABLE occ (tbl TEXT, k TEXT, loc INTEGER, fp INTEGER);"
        )
        self._db = db
        for (table, key), (location, fingerprint) in self._seen.items():
            self._batch.append((table, key, location, fingerprint))
        for (table, key), occurrences in self._repeats.items():
            self._batch.extend((table, key, loc, fp) for loc, fp in occurrences[1:])
        self._seen.clear()
        self._repeats.clear()
        self._flush()

    def _flush(self) -> None:
        if self._db is not None and self._batch:
            with self._db:
                self._db.executemany("INSERT INTO occ VALUES (?, ?, ?, ?)", self._batch)
            self._batch.clear()


def _group(table: str, key: str, occurrences: list[tuple[int, int]]) -> DuplicateGroup:
    fingerprints = {fp for _, fp in occurrences}
    return DuplicateGroup(
        table, key, tuple(loc for loc, _ in occurrences), identical=len(fingerprints) == 1
    )
