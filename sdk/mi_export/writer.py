"""Write archives: a streaming, validating, atomic writer (FORMAT.md §3).

Example:
    >>> with ArchiveWriter("export.zip", password=b"...") as writer:  # doctest: +SKIP
    ...     with writer.open_table("sms") as table:
    ...         for record in records:
    ...             table.write(record)
    ...     writer.write_table("contact", contacts)

Layout: one file per table at the archive root (``sms.json`` holds
``{"sms": [...]}``, one record a line); a table whose file would grow past
``split_bytes`` goes on in ``sms-2.json``, ``sms-3.json``... Then ``manifest.json``
(sizes, SHA-256, record counts) and, given a signing key, ``manifest.json.sig``.

Memory stays flat: records are encoded as they come (``write_many`` holds at most
:data:`GROUP_MAX` of them) and streamed through deflate and AES into the output;
sizes, hashes and counts are taken on the way.

The archive is written under a temporary name (``.NAME.XXXX.tmp`` in the same
directory) and moved to its name only once complete and fsynced; any exception, Ctrl-C
included, deletes the temporary file. The archive file has mode 0600: it holds personal
data.

Each record is checked on its own, as the validator checks it; what only shows across
records is not: two records with the same id are both written (the validator reports
``id.duplicate``), so validate the archive when the source may hold such repeats.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, cast

from mi_export._canonical import canonical_record, event_order_findings
from mi_export._jsonwrite import EncodeError, encode_record, json_text
from mi_export._zipout import AtomicFile, Member, member_info, open_zip
from mi_export.errors import RecordValidationError, WriterError
from mi_export.findings import Finding
from mi_export.limits import DEFAULT_LIMITS
from mi_export.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    FileEntry,
    Manifest,
    RequestType,
    TableEntry,
)
from mi_export.models import record_findings
from mi_export.passwords import Secret
from mi_export.signing import Ed25519PrivateKey, sign_manifest
from mi_export.tables import NON_EXPORTABLE, TABLES
from mi_export.typed import BatchChecker, batch_checker

__all__ = ["DEFAULT_SPLIT_BYTES", "GROUP_MAX", "ArchiveWriter", "TableWriter"]

#: A table's file is split when it would grow past this size (uncompressed).
DEFAULT_SPLIT_BYTES = 512 * 1024 * 1024
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
# A data file is HEAD record (SEPARATOR record)* TAIL, one record a line.
_SEPARATOR = b",\n"
_TAIL = b"\n]}\n"
_EMPTY_TAIL = b"]}\n"
# write_many checks records in groups of about this many bytes of JSON
_GROUP_BYTES = 1 << 18
#: the most records :meth:`TableWriter.write_many` holds at once
GROUP_MAX = 4096


class _Group:
    """Records taken from an iterator: plain data, JSON text, and how taking ended."""

    def __init__(self, iterator: Iterator[Any]) -> None:
        self.plains: list[Any] = []
        self.texts: list[str | None] = []
        self.failure: Exception | None = None
        self.exhausted = True
        try:
            self._take(iterator)
        except Exception as exc:  # raised after the records before it are written
            self.failure = exc

    def _take(self, iterator: Iterator[Any]) -> None:
        size = 0
        for record in iterator:
            plain = _plain(record)
            text = json_text(plain)
            # No text (a Decimal...): copy the containers, as the text would have, and
            # count it as a large record (its size is unknown).
            self.plains.append(plain if text is not None else _copy(plain))
            self.texts.append(text)
            size += len(text) if text is not None else _GROUP_BYTES // 64
            if size >= _GROUP_BYTES or len(self.plains) >= GROUP_MAX:
                self.exhausted = False
                return


def _copy(value: Any) -> Any:
    """``value`` as plain data with its containers copied; keys are kept as they are.

    Tuples become lists and models are dumped (an ``Event`` as calendar content).
    """
    kind = type(value)
    if kind is dict:
        return {key: _copy(item) for key, item in value.items()}
    if kind is list or kind is tuple:
        return [_copy(item) for item in value]
    if kind is str or kind is int:
        return value
    return _copy(_plain(value)) if hasattr(value, "model_dump") else value


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def _validate_record(table: str, record: Any) -> list[Finding]:
    """Check one record against its table's model; pointers relative to the record."""
    findings = record_findings(table, record)
    if not findings:
        findings = event_order_findings(table, record)
    return findings


def _plain(record: Any) -> Any:
    """A record as plain JSON-like data: pydantic models are dumped, dicts pass."""
    if type(record) is dict:
        return record
    dump = getattr(record, "model_dump", None)
    if callable(dump):
        return dump(mode="python", by_alias=True, exclude_unset=True)
    return record


def _as_written(plain: Any) -> Any:
    """What write() validates: :func:`_copy` of a dict record."""
    return _copy(plain) if type(plain) is dict else plain


class TableWriter:
    """Writes the records of one table; get one from :meth:`ArchiveWriter.open_table`.

    Used as a context manager it closes the table on leaving. An exception escaping
    the ``with`` block aborts the whole archive (nothing is left on disk); catch
    :class:`~mi_export.errors.RecordValidationError` inside the block to skip bad
    records instead.
    """

    def __init__(self, archive: ArchiveWriter, name: str, split_bytes: int) -> None:
        self._archive = archive
        self.name = name
        self._split = split_bytes
        self._member: Member | None = None
        self._member_records = 0
        self.records = 0
        self.closed = False
        self._head = b'{"' + name.encode() + b'":[\n'
        # the typed batch check of write_many (None: record by record)
        self._checker: BatchChecker | None = (
            batch_checker(name, DEFAULT_LIMITS) if archive.validate else None
        )

    def write(self, record: Any) -> None:
        """Validate (unless the writer was made with ``validate=False``) and write a record.

        Args:
            record: a dict or a pydantic model of this table.

        Raises:
            RecordValidationError: the record is invalid; nothing of it was written
                and the table stays usable.
            WriterError: the table is closed.
        """
        if self.closed:
            raise WriterError(f"table {self.name!r} is closed")
        self._write_plain(_as_written(_plain(record)))

    def write_many(
        self,
        records: Iterable[Any],
        *,
        on_invalid: Callable[[int, RecordValidationError], None] | None = None,
    ) -> int:
        """Write records in order, as :meth:`write` would one by one, only faster.

        Records are taken from ``records`` in groups of at most :data:`GROUP_MAX`,
        encoded as they are taken, and checked a group at a time
        (:mod:`mi_export.typed`); a group with anything to look at closer is written
        record by record as :meth:`write` does. An invalid record raises
        :class:`~mi_export.errors.RecordValidationError` with the records before it
        written (:attr:`records` counts them) and nothing of it; so does an exception
        from ``records`` itself.

        Args:
            records: dicts or pydantic models of this table (any iterable).
            on_invalid: called with an invalid record's position in ``records`` (from
                0) and its error, instead of raising; the record is skipped and
                writing goes on. It is called before more than :data:`GROUP_MAX`
                further records are taken from ``records``.

        Returns:
            The number of records written.

        When it raises, records after the failing one that were already taken from
        an iterator (at most :data:`GROUP_MAX` - 1) are not written: to skip invalid
        records and go on, pass ``on_invalid`` rather than calling again.
        """
        if self.closed:
            raise WriterError(f"table {self.name!r} is closed")
        start = self.records
        iterator = iter(records)
        position = 0  # of the group's first record in records
        while True:
            group = _Group(iterator)
            if group.plains and not self._write_checked(group.texts):
                self._write_each(group, position, on_invalid)
            if group.failure is not None:
                raise group.failure
            if group.exhausted:
                return self.records - start
            position += len(group.plains)

    def _write_checked(self, texts: list[str | None]) -> bool:
        """Write a group whose every record the typed check vouches for.

        False (nothing written) when some record needs a closer look.
        """
        checker = self._checker
        if checker is None or None in texts:
            return False
        strings = cast(list[str], texts)
        try:
            body = ",\n".join(strings).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate: write() says where
            return False
        if checker.check(b"[" + body + b"]") is None:
            return False
        self._write_group(body, strings)
        return True

    def _write_each(
        self,
        group: _Group,
        position: int,
        on_invalid: Callable[[int, RecordValidationError], None] | None,
    ) -> None:
        for offset, (plain, text) in enumerate(zip(group.plains, group.texts, strict=True)):
            if text is not None and json_text(plain) != text:
                plain = json.loads(text)  # changed since taken (a reused dict): as it was
            record = _as_written(plain)
            if on_invalid is None:
                self._write_plain(record)
                continue
            try:
                self._write_plain(record)
            except RecordValidationError as exc:
                on_invalid(position + offset, exc)

    def _write_plain(self, record: Any) -> None:
        self._write_encoded(self._encode(record))

    def _write_group(self, body: bytes, texts: list[str]) -> None:
        """Valid records, encoded and joined: in one piece when they fit the current file."""
        member = self._member
        if member is not None and self._member_records and not self._would_pass_split(len(body)):
            member.write(_SEPARATOR + body)
        elif member is None and len(self._head) + len(body) + len(_TAIL) <= self._split:
            self._start_member()
            assert self._member is not None
            self._member.write(body)
        else:
            for text in texts:
                self._write_encoded(text.encode("utf-8"))
            return
        self._member_records += len(texts)
        self.records += len(texts)

    def _write_encoded(self, data: bytes) -> None:
        if self._member is None:
            self._start_member()
        elif self._member_records and self._would_pass_split(len(data)):
            self._finish_member()
            self._start_member()
        assert self._member is not None
        self._member.write(_SEPARATOR + data if self._member_records else data)
        self._member_records += 1
        self.records += 1

    def _would_pass_split(self, size: int) -> bool:
        assert self._member is not None
        return self._member.size + len(_SEPARATOR) + size + len(_TAIL) > self._split

    def _encode(self, record: Any) -> bytes:
        if self._archive.validate:
            findings = _validate_record(self.name, record)
            if any(f.severity == "error" for f in findings):
                raise RecordValidationError(self.name, findings)
        try:
            return encode_record(canonical_record(self.name, record))
        except EncodeError as exc:
            raise RecordValidationError(self.name, [exc.finding]) from None

    def _start_member(self) -> None:
        self._member = self._archive._new_member(self.name)
        self._member.write(self._head)
        self._member_records = 0

    def _finish_member(self) -> None:
        assert self._member is not None
        member, self._member = self._member, None
        member.write(_TAIL if self._member_records else _EMPTY_TAIL)
        digest = member.close()
        version = TABLES[self.name].schema_version
        tables = {self.name: TableEntry(self._member_records, version)}
        self._archive._files.append(FileEntry(member.path, member.size, digest, tables))

    def close(self) -> None:
        """Finish the table's last file (an empty table gets ``{"name":[]}``)."""
        if self.closed:
            return
        if self._member is None:
            self._start_member()
        self._finish_member()
        self.closed = True
        self._archive._table = None

    def _drop(self) -> None:
        if self._member is not None:
            self._member.drop()
            self._member = None
        self.closed = True

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            self._archive.abort()


class ArchiveWriter:
    """Streams records into a new archive; use it as a context manager.

    Args:
        path: the archive to create.
        password: the archive password (str, bytes or :class:`Secret`); required
            unless ``encryption="none"``.
        encryption: ``"aes-256"`` (WinZip AE-2, the default) or ``"none"``, only when
            asked for explicitly (tests, local copies).
        signing_key: an Ed25519 key: ``manifest.json.sig`` is written with it.
        request_type: ``migration`` or ``backup``.
        requested_at: when the user asked for the export (epoch ms), if known.
        clock: returns the current time in epoch ms (injectable for reproducible
            output); it is read once, when the writer opens.
        export_id: the manifest's ``exportId``; a random UUID4 by default.
        split_bytes: a table's file is split before it grows past this many bytes.
        validate: check each record against its table's model (default). Turn it off
            only for trusted, already validated sources.
        overwrite: replace an existing file at ``path``; without it an existing file
            is a :class:`WriterError` before any work.
        compresslevel: deflate level, 0-9.

    Raises:
        WriterError: bad arguments, or ``path`` exists without ``overwrite``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        password: str | bytes | Secret | None = None,
        encryption: Literal["aes-256", "none"] = "aes-256",
        signing_key: Ed25519PrivateKey | None = None,
        request_type: RequestType = "migration",
        requested_at: int | None = None,
        clock: Callable[[], int] = _now_ms,
        export_id: str | None = None,
        split_bytes: int = DEFAULT_SPLIT_BYTES,
        validate: bool = True,
        overwrite: bool = False,
        compresslevel: int = 6,
    ) -> None:
        self.path = Path(path)
        self._password = _password_bytes(password, encryption)
        if request_type not in ("migration", "backup"):
            raise WriterError("request_type must be 'migration' or 'backup'")
        if split_bytes < 1:
            raise WriterError("split_bytes must be positive")
        if self.path.exists() and not overwrite:
            raise WriterError(f"{self.path} exists (pass overwrite=True to replace it)")
        self.validate = validate
        self.split_bytes = split_bytes
        self.manifest: Manifest | None = None
        self._signing_key = signing_key
        self._request = (request_type, requested_at, export_id)
        self._clock = clock
        self._overwrite = overwrite
        self._level = compresslevel
        self._files: list[FileEntry] = []
        self._parts: dict[str, int] = {}
        self._table: TableWriter | None = None
        self._out: AtomicFile | None = None
        self._zip: Any = None
        self._created_at = 0
        self._state = "new"

    def open(self) -> None:
        """Create the temporary file; done by ``with`` (call it only without ``with``)."""
        if self._state != "new":
            raise WriterError("the writer was already opened")
        self._created_at = self._clock()
        self._out = AtomicFile(self.path, overwrite=self._overwrite)
        self._state = "open"
        try:
            self._zip = open_zip(self._out.stream, self._password, self._level)
        except BaseException:
            self.abort()
            raise

    def open_table(self, name: str, *, split_bytes: int | None = None) -> TableWriter:
        """Start writing a table; the previous table must be closed.

        A table may be opened again later: its records then go on in a new file
        (``sms-3.json``), and readers concatenate them in manifest order.

        Args:
            name: one of the 19 tables of format v1.
            split_bytes: this table's split size, instead of the writer's.

        Returns:
            The table writer.

        Raises:
            WriterError: unknown or non-exportable table, another table still open,
                or the writer is not open.
        """
        self._check_open()
        if self._table is not None:
            raise WriterError(f"table {self._table.name!r} is still open; close it first")
        if name.lower() in NON_EXPORTABLE:
            raise WriterError(f"table {name!r} holds data that must never be exported")
        if name not in TABLES or not _NAME.match(name):
            raise WriterError(f"unknown table {name!r} (format v1 has {len(TABLES)} tables)")
        self._table = TableWriter(self, name, split_bytes or self.split_bytes)
        return self._table

    def write_table(self, name: str, records: Iterable[Any]) -> int:
        """Write a whole table from an iterable (consumed lazily); returns the count.

        Raises:
            RecordValidationError: a record is invalid; the archive is aborted.
        """
        with self.open_table(name) as table:
            table.write_many(records)
        return table.records

    def close(self) -> Manifest:
        """Finish: close the open table, write the manifest (and signature), move into place.

        Returns:
            The manifest written.
        """
        self._check_open()
        try:
            if self._table is not None:
                self._table.close()
            manifest = self._finish_zip()
            assert self._out is not None
            self._out.commit()
        except BaseException:
            self.abort()
            raise
        self._state = "closed"
        self.manifest = manifest
        return manifest

    @property
    def committed(self) -> bool:
        """True once the complete archive is under ``path``.

        Also when :meth:`close` was then interrupted (say by Ctrl-C while the folder
        was synced to disk): the archive under ``path`` is complete all the same.
        """
        return self._out is not None and self._out.committed

    def abort(self) -> None:
        """Stop and delete the temporary file; nothing is left under ``path``."""
        if self._state != "open":
            return
        self._state = "aborted"
        try:
            if self._table is not None:
                table, self._table = self._table, None
                table._drop()  # waits for a chunk in flight: a second Ctrl-C may land here
        finally:
            if self._zip is not None:
                self._zip.fp = None  # keep its finaliser from writing to a deleted file
            if self._out is not None:
                self._out.discard()

    def _finish_zip(self) -> Manifest:
        request_type, requested_at, export_id = self._request
        manifest = Manifest.create(
            tuple(self._files),
            created_at=self._created_at,
            request_type=request_type,
            requested_at=requested_at,
            export_id=export_id,
        )
        data = manifest.to_json_bytes()
        self._zip.writestr(self._info(MANIFEST_NAME), data)
        if self._signing_key is not None:
            self._zip.writestr(self._info(SIGNATURE_NAME), sign_manifest(data, self._signing_key))
        self._zip.close()
        return manifest

    def _info(self, path: str) -> Any:
        return member_info(self._zip, path, self._created_at, self._level)

    def _new_member(self, table: str) -> Member:
        part = self._parts.get(table, 0) + 1
        self._parts[table] = part
        path = f"{table}.json" if part == 1 else f"{table}-{part}.json"
        return Member(self._zip, self._info(path))

    def _check_open(self) -> None:
        if self._state != "open":
            raise WriterError(f"the writer is {self._state}, not open")

    def __enter__(self) -> ArchiveWriter:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None and self._state == "open":
            self.close()
        else:
            self.abort()


def _password_bytes(password: str | bytes | Secret | None, encryption: str) -> bytes | None:
    if encryption == "none":
        if password is not None:
            raise WriterError("a password was given with encryption='none'")
        return None
    if encryption != "aes-256":
        raise WriterError("encryption must be 'aes-256' or 'none'")
    if password is None:
        raise WriterError("a password is required (or pass encryption='none' explicitly)")
    if isinstance(password, Secret):
        value = password.encode()
    elif isinstance(password, str):
        value = password.encode("utf-8")
    else:
        value = bytes(password)
    if not value:
        raise WriterError("the password is empty")
    return value
