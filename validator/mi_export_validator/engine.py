"""The validation engine: opens, reads once, dispatches to the checks.

:func:`iter_findings` is the primitive (a lazy stream of findings in reading order);
:func:`validate` gathers a :class:`~mi_export_validator.report.Report` on top of it.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

from mi_export.archive import Archive, Entry, open_archive
from mi_export.codes import FATAL_CODES
from mi_export.errors import ArchiveError, MemberError
from mi_export.findings import Finding, Location
from mi_export.jsonscan import RawRecord, TableEnd, TableStart, scan_file
from mi_export.jsonscan.batches import NeedsExactScan, RecordBatch, scan_batches
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.manifest import Manifest
from mi_export.manifest_reading import read_stored_manifest
from mi_export.tables import NON_EXPORTABLE, TABLES
from mi_export.typed import batch_checkers
from mi_export_validator.checks.duplicates import LOC_BITS, MAX_RELATED, DuplicateIndex
from mi_export_validator.checks.manifest import (
    MANIFEST,
    ManifestComparison,
    signature_findings,
)
from mi_export_validator.checks.records import RecordChecker
from mi_export_validator.report import ArchiveInfo, Report, TableStats

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Options:
    """How to validate. The password and key never appear in ``repr``."""

    password: str | bytes | None = field(default=None, repr=False)
    trust_key: bytes | None = field(default=None, repr=False)
    limits: Limits = DEFAULT_LIMITS
    strict: bool = False
    show_values: bool = False
    max_findings: int | None = None
    fast: bool = True
    dedupe_memory_cap: int = 50_000
    #: about how many bytes of records the quick scan checks at once (fast mode)
    batch_bytes: int = 1 << 18
    progress: Progress | None = field(default=None, repr=False, compare=False)


class _Measured:
    """A read-only stream wrapper that counts and hashes what passes through it."""

    def __init__(self, stream: BinaryIO, progress: Callable[[int], None] | None) -> None:
        self._stream = stream
        self._progress = progress
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._stream.read(size)
        self.size += len(data)
        self.digest.update(data)
        if self._progress is not None and data:
            self._progress(len(data))
        return data

    def drain(self) -> None:
        while self.read(1 << 20):
            pass


class Validation:
    """One validation run over one archive; statistics fill in as findings stream."""

    def __init__(self, path: str | os.PathLike[str], options: Options = Options()) -> None:
        self.path = os.fspath(path)
        self.options = options
        self.archive = ArchiveInfo(path=self.path)
        self.tables: dict[str, TableStats] = {}
        self.records = 0
        self._checker = RecordChecker(options.limits, options.show_values, fast=options.fast)
        self._duplicates = DuplicateIndex(options.dedupe_memory_cap)
        self._batch_checkers = batch_checkers(options.limits) if options.fast else {}
        #: data files read by the quick scan alone (all their records vouched for)
        self.quick_files = 0
        self._cut_tables: set[str] = set()  # tables of files that could not be read to the end
        self._done_bytes = 0
        self._total_bytes = 0

    # -- the stream ----------------------------------------------------------------------

    def iter_findings(self) -> Iterator[Finding]:
        """All findings, in reading order, with --strict applied."""
        try:
            for finding in self._run():
                if self.options.strict and finding.severity == "warning":
                    finding = replace(finding, severity="error")
                self._count(finding)
                yield finding
        finally:
            self._duplicates.close()

    def _count(self, finding: Finding) -> None:
        if finding.table is None or finding.table not in self.tables:
            return
        _tally(self.tables[finding.table], finding)

    def _run(self) -> Iterator[Finding]:
        opts = self.options
        try:
            archive = open_archive(self.path, password=opts.password, limits=opts.limits)
        except ArchiveError as exc:
            yield Finding.make(exc.code, exc.message)
            return
        with archive:
            self._describe(archive)
            yield from archive.findings
            yield from self._read(archive)

    def _describe(self, archive: Archive) -> None:
        info = self.archive
        info.kind, info.encryption = archive.kind, archive.encryption
        info.bytes = archive.archive_bytes
        info.sha256 = archive.archive_sha256()
        info.files = [
            {"path": e.path, "encryption": e.encryption, "bytes": e.bytes} for e in archive.entries
        ]

    def _read(self, archive: Archive) -> Iterator[Finding]:
        manifest, manifest_bytes, signature, found = self._load_manifest(archive)
        yield from found
        yield from signature_findings(self.options.trust_key, manifest_bytes, signature)
        order = [f.path for f in manifest.files] if manifest else None
        entries = archive.data_entries(order)
        comparison = ManifestComparison(manifest) if manifest else None
        if comparison is not None:
            yield from comparison.listing_findings([e.path for e in entries])
        self._total_bytes = sum(e.bytes for e in entries)
        for number, entry in enumerate(entries):
            yield from self._data_file(archive, entry, number, comparison)
        yield from self._duplicate_findings(entries)
        for stats in self.tables.values():
            if stats.records == 0 and stats.name not in self._cut_tables:
                yield Finding.make(
                    "table.empty",
                    "the table has no records",
                    file=stats.files[0] if stats.files else None,
                    table=stats.name,
                )

    def _load_manifest(
        self, archive: Archive
    ) -> tuple[Manifest | None, bytes | None, bytes | None, list[Finding]]:
        stored = read_stored_manifest(archive)
        found = list(stored.findings)
        if not stored.present and self.options.trust_key is None:
            found.append(
                Finding.make(
                    "manifest.missing",
                    "the archive has no manifest.json; everything else is still validated",
                    file=MANIFEST,
                )
            )
        return stored.manifest, stored.manifest_bytes, stored.signature, found

    # -- one data file -------------------------------------------------------------------

    def _data_file(
        self, archive: Archive, entry: Entry, number: int, comparison: ManifestComparison | None
    ) -> Iterator[Finding]:
        counts: dict[str, int] = {}
        measured: _Measured | None = None
        complete = True
        vouched: dict[str, int] = {}
        if self._batch_checkers:
            measured, vouched = self._quick_file(archive, entry, number, counts)
        try:
            if measured is None:  # the exact scan: every finding, in reading order
                with archive.open_entry(entry) as stream:
                    measured = _Measured(stream, self._advance)
                    for item in self._scan(measured, entry.path, number, counts, vouched):
                        if item.code.startswith("json.") and item.code in _STOPPING:
                            complete = False
                        yield item
                    measured.drain()
        except MemberError as exc:
            complete = False
            yield Finding.make(exc.code, exc.message, file=entry.path)
            measured = None
        if not complete:
            self._cut_tables.update(counts)
        if comparison is not None:
            size = measured.size if measured else None
            sha = measured.digest.hexdigest() if measured else None
            yield from comparison.file_findings(entry.path, size, sha, counts, complete)

    def _quick_file(
        self, archive: Archive, entry: Entry, number: int, counts: dict[str, int]
    ) -> tuple[_Measured | None, dict[str, int]]:
        """Read a data file with the quick scan (:mod:`mi_export.jsonscan.batches`).

        Returns the measured stream when every record was vouched for (there is no
        finding to give), else None and the records per table whose keys are already
        in the duplicate index: the file must then be read the exact way.
        """
        checkers = self._batch_checkers
        base = number << LOC_BITS
        duplicates = self._duplicates
        found: dict[str, int] = {}
        measured: _Measured | None = None
        try:
            with archive.open_entry(entry) as stream:
                measured = _Measured(stream, self._advance)
                for event in scan_batches(
                    measured,
                    lambda table, batch: checkers[table].check(batch),
                    checkers,
                    target=self.options.batch_bytes,
                    max_record=self.options.limits.max_record_bytes,
                ):
                    if type(event) is RecordBatch:
                        keys = event.keys
                        if keys and keys[0] is not None:
                            duplicates.add_many(
                                event.table, keys, base | event.first_index, event.fingerprints
                            )
                    elif type(event) is TableEnd:
                        found[event.name] = event.records
                measured.drain()
        except NeedsExactScan as stop:
            self._done_bytes -= measured.size if measured is not None else 0
            return None, stop.done
        except MemberError:  # the exact scan reports it, after the records before it
            self._done_bytes -= measured.size if measured is not None else 0
            return None, {}
        for name, records in found.items():
            for _ in self._table_start(TableStart(name, "/" + name), entry.path):
                pass  # a table with a batch checker is known: no finding
            counts[name] = records
            self.tables[name].records += records
            self.records += records
        self.quick_files += 1
        return measured, {}

    def _scan(
        self,
        stream: _Measured,
        file: str,
        number: int,
        counts: dict[str, int],
        vouched: dict[str, int],
    ) -> Iterator[Finding]:
        opts = self.options
        checker, duplicates = self._checker, self._duplicates
        known = False
        already = 0  # records of this array whose keys the quick scan indexed
        base = number << LOC_BITS
        for event in scan_file(
            stream,
            file=file,
            limits=opts.limits,
            fast=opts.fast,
            show_values=opts.show_values,
        ):
            if type(event) is RawRecord:
                counts[event.table] = counts.get(event.table, 0) + 1
                self.tables[event.table].records += 1
                self.records += 1
                if not (known and event.complete) or event.index < already:
                    continue  # vouched for by the quick scan: clean, its key indexed
                found = checker.check(event, file)
                if found is not None:  # None: the record is clean (checks/fastpath.py)
                    yield from found
                key = checker.key_of(event.table, event.value)
                if key is not None:
                    duplicates.add(event.table, key, base | event.index, event.fingerprint)
            elif type(event) is TableStart:
                known = event.name in TABLES
                already = vouched.pop(event.name, 0)  # only its first array was vouched for
                counts.setdefault(event.name, 0)
                yield from self._table_start(event, file)
            elif type(event) is TableEnd:
                known = False
            else:
                yield event  # type: ignore[misc]

    def _table_start(self, event: TableStart, file: str) -> Iterator[Finding]:
        stats = self.tables.get(event.name)
        first = stats is None
        if stats is None:
            stats = self.tables[event.name] = TableStats(event.name)
        if file not in stats.files:
            stats.files.append(file)
        if not first:
            return
        if event.name.lower() in NON_EXPORTABLE:
            yield Finding.make(
                "table.non-exportable",
                "this data must never be exported (FORMAT.md §5): the archive leaks it",
                file=file,
                table=event.name,
                pointer=event.pointer,
            )
        elif event.name not in TABLES:
            yield Finding.make(
                "table.unknown",
                "table not defined by format v1",
                file=file,
                table=event.name,
                pointer=event.pointer,
            )

    def _advance(self, size: int) -> None:
        self._done_bytes += size
        if self.options.progress is not None:
            self.options.progress(self._done_bytes, self._total_bytes)

    # -- after reading -------------------------------------------------------------------

    def _duplicate_findings(self, entries: list[Entry]) -> Iterator[Finding]:
        mask = (1 << LOC_BITS) - 1
        for group in self._duplicates.groups():
            places = [(entries[loc >> LOC_BITS].path, loc & mask) for loc in group.locations]
            field_name = "/id" if TABLES[group.table].key == ("id",) else ""
            where = [
                Location(
                    file=f, table=group.table, index=i, pointer=f"/{group.table}/{i}{field_name}"
                )
                for f, i in places
            ]
            kind = "identical" if group.identical else "conflicting"
            extra = len(where) - 1 - MAX_RELATED
            message = f"{len(where)} {kind} records share this {'id' if field_name else 'key'}" + (
                f" ({extra} more locations not listed)" if extra > 0 else ""
            )
            second = where[1]
            yield Finding.make(
                "id.duplicate",
                message,
                file=second.file,
                table=group.table,
                index=second.index,
                pointer=second.pointer,
                related=tuple([where[0], *where[2:]])[:MAX_RELATED],
            )


_COUNTER = {"error": "errors", "warning": "warnings", "info": "infos"}


def _tally(counts: Report | TableStats, finding: Finding) -> None:
    """Count one finding in the errors/warnings/infos of a report or a table."""
    name = _COUNTER[finding.severity]
    setattr(counts, name, getattr(counts, name) + 1)


_STOPPING = frozenset({"json.syntax", "json.truncated", "json.encoding"})


def iter_findings(path: str | os.PathLike[str], options: Options = Options()) -> Iterator[Finding]:
    """Stream the findings of one archive, in reading order."""
    return Validation(path, options).iter_findings()


def validate(path: str | os.PathLike[str], options: Options = Options()) -> Report:
    """Validate one archive and gather a report (findings capped by ``max_findings``)."""
    started = time.perf_counter()
    run = Validation(path, options)
    report = Report(archive=run.archive)
    cap = options.max_findings
    for finding in run.iter_findings():
        _tally(report, finding)
        report.code_counts[finding.code] = report.code_counts.get(finding.code, 0) + 1
        if cap is None or len(report.findings) < cap:
            report.findings.append(finding)
        else:
            report.omitted += 1
            if finding.code in FATAL_CODES:  # never hide why an archive is unreadable
                report.findings.append(finding)
    report.truncated = report.omitted > 0
    report.tables = list(run.tables.values())
    report.records = run.records
    report.seconds = time.perf_counter() - started
    return report


def findings_to_dicts(findings: list[Finding]) -> list[dict[str, Any]]:
    """JSON-ready list of findings."""
    return [f.to_dict() for f in findings]
