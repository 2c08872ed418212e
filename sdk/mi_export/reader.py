"""Reading an archive's records: one pass per data file, in constant memory.

::

    from mi_export import read_export

    with read_export("export.zip", password=secret) as export:
        for record in export.iter_records("contact"):
            print(record.pointer, record.data["content"]["displayName"])

Each :class:`Record` knows its file, table, index and JSON pointer. Object-or-JSON-
string content fields come out decoded. The reader never skips silently: data it
cannot return (broken JSON, a record over a limit, undecodable content) raises
:class:`~mi_export.errors.DataError` carrying the finding; warnings (a BOM, unknown
fields...) are not the reader's business: run the validator for those.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from mi_export.archive import Archive, Entry, open_archive
from mi_export.errors import DataError
from mi_export.findings import Finding
from mi_export.jsonscan import RawRecord, scan_file
from mi_export.jsonscan.embedded import decode_embedded
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.manifest import Manifest
from mi_export.manifest_reading import read_stored_manifest
from mi_export.tables import TABLES, Kind

_CONTENT_FIELDS = {
    name: tuple(f.name for f in table.fields if f.kind is Kind.CONTENT)
    for name, table in TABLES.items()
}


@dataclass(frozen=True)
class Record:
    """One record and where it comes from."""

    file: str
    table: str
    index: int
    pointer: str
    data: Any

    def model(self) -> Any:
        """The record as its table's pydantic model (raises pydantic.ValidationError)."""
        from mi_export.models import MODELS  # pydantic is loaded only when asked for

        return MODELS[self.table].model_validate(self.data)


class ExportReader:
    """Records and tables of an opened archive (see the module docstring)."""

    def __init__(
        self, archive: Archive, *, limits: Limits = DEFAULT_LIMITS, decode_content: bool = True
    ) -> None:
        self.archive = archive
        self.limits = limits
        self.decode_content = decode_content
        self.manifest: Manifest | None = read_stored_manifest(archive).manifest

    def data_files(self) -> list[Entry]:
        """The data files in reading order (manifest order, else by path)."""
        order = [f.path for f in self.manifest.files] if self.manifest else None
        return self.archive.data_entries(order)

    def iter_records(self, table: str | None = None) -> Iterator[Record]:
        """Every record (of ``table`` only, if given), in reading order."""
        for entry in self.data_files():
            yield from self._file_records(entry, table)

    def iter_models(self, table: str) -> Iterator[Any]:
        """The records of one known table as pydantic models."""
        for record in self.iter_records(table):
            yield record.model()

    def _file_records(self, entry: Entry, only: str | None) -> Iterator[Record]:
        with self.archive.open_entry(entry) as stream:
            for event in scan_file(stream, file=entry.path, limits=self.limits):
                if isinstance(event, Finding):
                    if event.severity == "error" and event.code.startswith("json."):
                        raise DataError(event)
                    continue
                if not isinstance(event, RawRecord) or (only and event.table != only):
                    continue
                if not event.complete:
                    raise DataError(
                        Finding.make(
                            "json.limits",
                            "record holds a value over a limit",
                            file=entry.path,
                            table=event.table,
                            index=event.index,
                            pointer=event.pointer,
                        )
                    )
                data = event.value
                if self.decode_content and type(data) is dict:
                    data = self._decoded(entry.path, event, data)
                yield Record(entry.path, event.table, event.index, event.pointer, data)

    def _decoded(self, file: str, event: RawRecord, data: dict[str, Any]) -> dict[str, Any]:
        fields = _CONTENT_FIELDS.get(event.table, ())
        for name in fields:
            value = data.get(name)
            if type(value) is not str:
                continue
            pointer = f"{event.pointer}/{name}"
            decoded, _, error = decode_embedded(value, pointer, 4, self.limits)
            if error is not None or type(decoded) is not dict:
                raise DataError(
                    Finding.make(
                        "content.invalid",
                        "content string is not a JSON object",
                        file=file,
                        table=event.table,
                        index=event.index,
                        pointer=pointer,
                    )
                )
            data = {**data, name: decoded}
        return data

    def close(self) -> None:
        """Close the archive."""
        self.archive.close()

    def __enter__(self) -> ExportReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def read_export(
    path: str | os.PathLike[str],
    *,
    password: str | bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
    decode_content: bool = True,
) -> ExportReader:
    """Open an archive (ZIP, directory or .json file) for reading records.

    Raises:
        ArchiveError: the archive cannot be opened (codes as in FORMAT.md §6).
    """
    archive = open_archive(path, password=password, limits=limits)
    try:
        return ExportReader(archive, limits=limits, decode_content=decode_content)
    except BaseException:
        archive.close()
        raise
