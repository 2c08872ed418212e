"""``manifest.json``: what an archive holds, with sizes, checksums and record counts.

:class:`Manifest` is written by :class:`mi_export.writer.ArchiveWriter` and read back
with :func:`parse_manifest`, which never raises on bad input: it returns findings
(``manifest.invalid``, ``manifest.version``, ``manifest.link-validity``) instead.
Attributes are snake_case; the JSON keys are camelCase, as in FORMAT.md §3.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from mi_export import __version__
from mi_export._manifest_parse import LINK_VALIDITY_MS, parse_manifest_dict
from mi_export.findings import Finding

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "LINK_VALIDITY_MS",
    "MANIFEST_NAME",
    "SIGNATURE_NAME",
    "FileEntry",
    "Manifest",
    "Producer",
    "RequestType",
    "TableEntry",
    "parse_manifest",
]

FORMAT_NAME = "mi-export"
FORMAT_VERSION = "1.0"
MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"
DATA_CENTER = "NL-Amsterdam"

RequestType = Literal["migration", "backup"]


@dataclass(frozen=True)
class TableEntry:
    """One table's part in one data file."""

    records: int
    schema_version: str

    def to_dict(self) -> dict[str, Any]:
        """JSON form: ``{"records": ..., "schemaVersion": ...}``."""
        return {"records": self.records, "schemaVersion": self.schema_version}


@dataclass(frozen=True)
class FileEntry:
    """One data file: path relative to the archive root, size, SHA-256 and tables."""

    path: str
    bytes: int
    sha256: str
    tables: Mapping[str, TableEntry]

    def to_dict(self) -> dict[str, Any]:
        """JSON form of the entry."""
        return {
            "path": self.path,
            "bytes": self.bytes,
            "sha256": self.sha256,
            "tables": {name: entry.to_dict() for name, entry in self.tables.items()},
        }


@dataclass(frozen=True)
class Producer:
    """The software that wrote the archive."""

    name: str = "mi-export"
    version: str = __version__


@dataclass(frozen=True)
class Manifest:
    """The content of ``manifest.json`` (FORMAT.md §3).

    Build one for writing with :meth:`Manifest.create`; read one with
    :func:`parse_manifest`. ``files`` keeps the manifest's order, which is the order
    in which a split table's files are concatenated.
    """

    export_id: str
    request_type: str
    created_at: int
    link_expires_at: int
    files: tuple[FileEntry, ...]
    requested_at: int | None = None
    data_center: str | None = DATA_CENTER
    producer: Producer | None = field(default_factory=Producer)
    format: str = FORMAT_NAME
    format_version: str = FORMAT_VERSION

    @classmethod
    def create(
        cls,
        files: tuple[FileEntry, ...],
        *,
        created_at: int,
        request_type: RequestType = "migration",
        requested_at: int | None = None,
        export_id: str | None = None,
    ) -> Manifest:
        """A manifest for a new archive: ``linkExpiresAt`` is ``created_at`` + 30 days.

        Args:
            files: the data files, in writing order.
            created_at: creation time, epoch milliseconds.
            request_type: ``migration`` or ``backup``.
            requested_at: when the user asked for the export, if known.
            export_id: the export's id; a new random UUID (version 4) by default.

        Returns:
            The manifest.
        """
        return cls(
            export_id=export_id if export_id is not None else str(uuid.uuid4()),
            request_type=request_type,
            created_at=created_at,
            link_expires_at=created_at + LINK_VALIDITY_MS,
            files=files,
            requested_at=requested_at,
        )

    def files_by_path(self) -> dict[str, FileEntry]:
        """The file entries by their path."""
        return {entry.path: entry for entry in self.files}

    def table_records(self) -> dict[str, int]:
        """Expected record count of each table, summed over its files (manifest order)."""
        counts: dict[str, int] = {}
        for entry in self.files:
            for name, table in entry.tables.items():
                counts[name] = counts.get(name, 0) + table.records
        return counts

    def table_files(self, table: str) -> list[str]:
        """Paths of the files that hold ``table``, in manifest order."""
        return [entry.path for entry in self.files if table in entry.tables]

    @property
    def major_version(self) -> int | None:
        """Major part of ``format_version`` (None if it is not ``N.M``)."""
        head = self.format_version.split(".", 1)[0]
        return int(head) if head.isdigit() else None

    def to_dict(self) -> dict[str, Any]:
        """JSON form, keys in the order of FORMAT.md §3; optional keys left out if None."""
        out: dict[str, Any] = {
            "format": self.format,
            "formatVersion": self.format_version,
            "exportId": self.export_id,
            "requestType": self.request_type,
        }
        if self.requested_at is not None:
            out["requestedAt"] = self.requested_at
        out["createdAt"] = self.created_at
        out["linkExpiresAt"] = self.link_expires_at
        if self.data_center is not None:
            out["dataCenter"] = self.data_center
        if self.producer is not None:
            out["producer"] = {"name": self.producer.name, "version": self.producer.version}
        out["files"] = [entry.to_dict() for entry in self.files]
        return out

    def to_json_bytes(self) -> bytes:
        """The bytes of ``manifest.json``: deterministic (same manifest, same bytes).

        UTF-8, two-space indentation, keys in a fixed order, a final newline.
        """
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=2, allow_nan=False)
        return (text + "\n").encode("utf-8")


def parse_manifest(data: bytes) -> tuple[Manifest | None, list[Finding]]:
    """Read ``manifest.json``; never raises on bad input.

    Shape problems are ``manifest.invalid`` findings (file ``manifest.json``, with a
    JSON pointer); unknown keys are ignored; a ``formatVersion`` of another major
    version is ``manifest.version`` (the manifest is still returned); a
    ``linkExpiresAt`` other than ``createdAt`` + 30 days is ``manifest.link-validity``.

    Args:
        data: the bytes of ``manifest.json``.

    Returns:
        ``(manifest, findings)``. The manifest is None when any ``manifest.invalid``
        finding was made: a malformed manifest cannot be trusted for comparisons.
    """
    fields, findings = parse_manifest_dict(data)
    if fields is None:
        return None, findings
    files = tuple(
        FileEntry(
            path=f["path"],
            bytes=f["bytes"],
            sha256=f["sha256"],
            tables={n: TableEntry(t["records"], t["schemaVersion"]) for n, t in f["tables"]},
        )
        for f in fields["files"]
    )
    producer = fields.get("producer")
    manifest = Manifest(
        export_id=fields["exportId"],
        request_type=fields["requestType"],
        created_at=fields["createdAt"],
        link_expires_at=fields["linkExpiresAt"],
        files=files,
        requested_at=fields.get("requestedAt"),
        data_center=fields.get("dataCenter"),
        producer=Producer(producer["name"], producer["version"]) if producer else None,
        format=fields["format"],
        format_version=fields["formatVersion"],
    )
    return manifest, findings
