"""What an archive holds, without validating every record (``mi-export inspect``).

:func:`take_inventory` lists the entries with their protection and sizes, summarises
the manifest and its signature, and, unless ``scan=False``, reads every data file once
to count records and find each table's time range (the smallest and largest non-zero
value of its time fields, including those inside content, epoch ms UTC).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mi_export.archive import Archive, open_archive
from mi_export.errors import MemberError
from mi_export.findings import Finding
from mi_export.jsonscan import RawRecord, scan_file
from mi_export.jsonscan._fast import decode_text
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.manifest import Manifest
from mi_export.manifest_reading import read_stored_manifest
from mi_export.signing import SigningKeyError, load_public_key, verify_manifest
from mi_export.tables import TABLES, Kind

_TIME_FIELDS = {
    name: tuple(f.name for f in table.fields if f.kind is Kind.TIME)
    for name, table in TABLES.items()
}
#: table -> ((content field, its time fields), ...) for times inside content
_CONTENT_TIMES = {
    name: tuple(
        (f.name, tuple(s.name for s in f.shape.fields if s.kind in (Kind.TIME, Kind.INSTANT)))
        for f in table.fields
        if f.kind is Kind.CONTENT and f.shape is not None
    )
    for name, table in TABLES.items()
}


@dataclass
class TableInventory:
    """One table: where it is, how many records, and the span of its times."""

    name: str
    files: list[str] = field(default_factory=list)
    records: int | None = None
    manifest_records: int | None = None
    first_time: int | None = None
    last_time: int | None = None
    known: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (keys that do not apply are left out)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class Inventory:
    """The contents of an archive, as :func:`take_inventory` found them."""

    path: str
    kind: str
    encryption: str
    bytes: int | None
    entries: list[dict[str, Any]]
    manifest: dict[str, Any] | None
    signature: str  # absent, present (not checked), valid, invalid
    tables: list[TableInventory]
    problems: list[Finding]
    scanned: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "path": self.path,
            "kind": self.kind,
            "encryption": self.encryption,
            "bytes": self.bytes,
            "entries": self.entries,
            "manifest": self.manifest,
            "signature": self.signature,
            "scanned": self.scanned,
            "tables": [t.to_dict() for t in self.tables],
            "problems": [p.to_dict() for p in self.problems],
        }


def take_inventory(
    path: str | os.PathLike[str],
    *,
    password: str | bytes | None = None,
    trust_key: bytes | None = None,
    scan: bool = True,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[int, int], None] | None = None,
) -> Inventory:
    """Describe an archive; raises ArchiveError when it cannot be opened at all."""
    with open_archive(path, password=password, limits=limits) as archive:
        stored = read_stored_manifest(archive)
        manifest, problems = stored.manifest, list(stored.findings)
        tables: dict[str, TableInventory] = {}
        if manifest is not None:
            for entry in manifest.files:
                for name, part in entry.tables.items():
                    table = tables.setdefault(name, TableInventory(name, known=name in TABLES))
                    table.files.append(entry.path)
                    table.manifest_records = (table.manifest_records or 0) + part.records
        if scan:
            problems.extend(_scan(archive, manifest, tables, limits, progress))
        return Inventory(
            path=os.fspath(path),
            kind=archive.kind,
            encryption=archive.encryption,
            bytes=archive.archive_bytes,
            entries=[
                {
                    "path": e.path,
                    "role": e.role,
                    "encryption": e.encryption,
                    "bytes": e.bytes,
                    "compressedBytes": e.compressed_bytes,
                }
                for e in archive.entries
            ],
            manifest=_summary(manifest),
            signature=_signature_state(stored.manifest_bytes, stored.signature, trust_key),
            tables=list(tables.values()),
            problems=problems,
            scanned=scan,
        )


def _summary(manifest: Manifest | None) -> dict[str, Any] | None:
    if manifest is None:
        return None
    return {
        "exportId": manifest.export_id,
        "formatVersion": manifest.format_version,
        "requestType": manifest.request_type,
        "requestedAt": manifest.requested_at,
        "createdAt": manifest.created_at,
        "linkExpiresAt": manifest.link_expires_at,
        "dataCenter": manifest.data_center,
        "files": len(manifest.files),
        "producer": (
            f"{manifest.producer.name} {manifest.producer.version}" if manifest.producer else None
        ),
    }


def _signature_state(
    manifest: bytes | None, signature: bytes | None, trust_key: bytes | None
) -> str:
    if signature is None or manifest is None:
        return "absent"
    if trust_key is None:
        return "present (not checked: give a trust key)"
    try:
        key = load_public_key(trust_key)
    except SigningKeyError:
        return "not checked: the trust key is unusable"
    return "valid" if verify_manifest(manifest, signature, key) else "invalid"


def _scan(
    archive: Archive,
    manifest: Manifest | None,
    tables: dict[str, TableInventory],
    limits: Limits,
    progress: Callable[[int, int], None] | None,
) -> list[Finding]:
    problems: list[Finding] = []
    order = [f.path for f in manifest.files] if manifest else None
    entries = archive.data_entries(order)
    total, done = sum(e.bytes for e in entries), 0
    for table in tables.values():
        table.records = 0
    for entry in entries:
        try:
            with archive.open_entry(entry) as stream:
                for event in scan_file(stream, file=entry.path, limits=limits):
                    if type(event) is RawRecord:
                        _count(tables, entry.path, event)
                    elif isinstance(event, Finding) and event.severity == "error":
                        problems.append(event)
        except MemberError as exc:
            problems.append(Finding.make(exc.code, exc.message, file=entry.path))
        done += entry.bytes
        if progress is not None:
            progress(done, total)
    return problems


def _count(tables: dict[str, TableInventory], file: str, record: RawRecord) -> None:
    table = tables.get(record.table)
    if table is None:
        table = tables[record.table] = TableInventory(
            record.table, records=0, known=record.table in TABLES
        )
    if file not in table.files:
        table.files.append(file)
    table.records = (table.records or 0) + 1
    value = record.value
    if type(value) is not dict:
        return
    times = [value.get(name) for name in _TIME_FIELDS.get(record.table, ())]
    for name, inner in _CONTENT_TIMES.get(record.table, ()):
        content = value.get(name)
        if type(content) is str:
            try:
                content = decode_text(content)
            except ValueError:
                continue
        if type(content) is dict:
            times.extend(content.get(n) for n in inner)
    for time in times:
        if type(time) is int and time > 0:
            if table.first_time is None or time < table.first_time:
                table.first_time = time
            if table.last_time is None or time > table.last_time:
                table.last_time = time
