"""The work of ``mi-export pack``: stream the inputs into an :class:`ArchiveWriter`.

:func:`run_pack` takes resolved :class:`PackSettings` and returns the exit code. Input
problems are printed with their location (file, line or byte offset, table, record,
JSON pointer), never with values; up to 20 errors are shown before packing stops. The
archive appears under its name only when complete; on any failure or interruption
nothing is left under it, nor a generated password file.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from mi_export.errors import MiExportError, RecordValidationError, WriterError
from mi_export.findings import Finding
from mi_export.jsonscan import TableStart
from mi_export.passwords import Secret
from mi_export.signing import Ed25519PrivateKey
from mi_export.writer import DEFAULT_SPLIT_BYTES, GROUP_MAX, ArchiveWriter, TableWriter
from mi_export_validator.cli._pack_inputs import (
    CountingReader,
    Event,
    InputError,
    InputFile,
    InputRecord,
    discover,
    iter_input,
)
from mi_export_validator.cli.progress import ProgressLine

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_SHOWN = 20


class _Interrupted(BaseException):
    """SIGTERM, turned into an exception so the temporary file is removed."""


class _Invalid(Exception):
    """The input holds errors: the archive is not kept."""


@dataclass(frozen=True)
class PackSettings:
    """Everything ``pack`` needs, resolved from options, files and environment."""

    inputs: tuple[Path, ...]
    output: Path
    password: Secret | None
    password_out: Path | None = None  # where a generated password is written
    sign_key: Ed25519PrivateKey | None = None
    request_type: str = "migration"
    requested_at: int | None = None
    split_bytes: int = DEFAULT_SPLIT_BYTES
    overwrite: bool = False
    table: str | None = None
    progress: bool = False


class _Reporter:
    """Prints problems with their location (never values), counting all of them."""

    def __init__(self) -> None:
        self.errors = 0
        self.warnings = 0

    def finding(self, finding: Finding, source: InputFile) -> None:
        where = [finding.file or source.name]
        for key in ("line", "column"):
            if getattr(finding, key) is not None:
                where.append(str(getattr(finding, key)))
        place = ":".join(where)
        if finding.offset is not None:
            place += f" (byte {finding.offset})"
        extra = f" table {finding.table}," if finding.table else ""
        if finding.index is not None:
            extra += f" record {finding.index},"
        pointer = f" at {finding.pointer}" if finding.pointer else ""
        self._say(finding.severity, f"{place}:{extra} {finding.code}{pointer}: {finding.message}")

    def record(self, exc: RecordValidationError, source: InputFile, record: InputRecord) -> None:
        for finding in exc.findings:
            pointer = record.pointer + (finding.pointer or "")
            at = f" at {pointer}" if pointer else ""
            self._say(
                finding.severity,
                f"{source.name}: table {record.table}, {record.where}: "
                f"{finding.code}{at}: {finding.message}",
            )
        if not any(f.severity == "error" for f in exc.findings):
            self.errors += 1  # refused all the same

    def _say(self, severity: str, text: str) -> None:
        if severity == "error":
            self.errors += 1
            shown = self.errors
        else:
            self.warnings += 1
            shown = self.warnings
        if shown <= MAX_SHOWN:
            click.echo(f"{severity}: {text}", err=True)
        if severity == "error" and self.errors >= MAX_SHOWN:
            raise _Invalid


class _Progress:
    """Counts input bytes for the shared progress line (drawn only on a terminal, after 1 s)."""

    def __init__(self, enabled: bool, total: int) -> None:
        self._line = ProgressLine("packing") if enabled else None
        self._done = 0
        self._total = total

    def advance(self, count: int) -> None:
        self._done += count
        if self._line is not None:
            self._line(self._done, self._total)

    def close(self) -> None:
        if self._line is not None:
            self._line.close()


def run_pack(settings: PackSettings) -> int:
    """Build the archive; returns the exit code (see ``mi-export pack --help``)."""
    try:
        sources = discover(settings.inputs, settings.table)
        writer = _make_writer(settings)
    except (InputError, WriterError) as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    reporter = _Reporter()
    try:
        with _sigterm_raises(), _password_file(settings, lambda: writer.committed):
            _write_all(writer, sources, reporter, settings.progress)
    except _Invalid:
        stopped = f" (stopped after {MAX_SHOWN})" if reporter.errors >= MAX_SHOWN else ""
        click.echo(
            f"error: {reporter.errors} problem(s) in the input{stopped}; no archive written",
            err=True,
        )
        return EXIT_INVALID
    except (_Interrupted, KeyboardInterrupt):
        if writer.committed:  # interrupted in its last steps: the archive is complete
            click.echo(f"interrupted, but {settings.output} was complete: it is kept", err=True)
        else:
            click.echo("interrupted; no archive written", err=True)
        return EXIT_INTERRUPTED
    except (OSError, MiExportError) as exc:
        click.echo(f"error: {exc}; no archive written", err=True)
        return EXIT_INVALID
    _summary(writer, settings, reporter)
    return EXIT_OK


def _check_output(settings: PackSettings) -> None:
    """Usage problems with the output path, said in the CLI's words."""
    output = settings.output
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise WriterError(f"the output folder {folder} does not exist")
    if output.exists() and not settings.overwrite:
        raise WriterError(f"{output} exists (use --overwrite to replace it)")
    inputs = [Path(p) for p in settings.inputs]
    if output.exists() and any(p.exists() and p.samefile(output) for p in inputs):
        raise WriterError(f"{output} is also an input: it would be overwritten")
    out = settings.password_out
    if out is not None and out.exists() and not settings.overwrite:
        raise WriterError(f"{settings.password_out} exists (use --overwrite)")


def _make_writer(settings: PackSettings) -> ArchiveWriter:
    _check_output(settings)
    return ArchiveWriter(
        settings.output,
        password=settings.password,
        encryption="aes-256" if settings.password is not None else "none",
        signing_key=settings.sign_key,
        request_type="backup" if settings.request_type == "backup" else "migration",
        requested_at=settings.requested_at,
        split_bytes=settings.split_bytes,
        overwrite=settings.overwrite,
    )


def _write_all(
    writer: ArchiveWriter, sources: list[InputFile], reporter: _Reporter, progress: bool
) -> None:
    bar = _Progress(progress, sum(s.size for s in sources))
    try:
        with writer:
            for source in sources:
                with source.path.open("rb") as raw:
                    stream = CountingReader(raw, bar.advance)
                    _write_source(writer, source, stream, reporter)
            if reporter.errors:
                raise _Invalid
    finally:
        bar.close()


def _write_source(
    writer: ArchiveWriter, source: InputFile, stream: Any, reporter: _Reporter
) -> None:
    events = iter_input(source, stream)
    for event in events:
        if isinstance(event, Finding):
            reporter.finding(event, source)
        elif isinstance(event, TableStart):
            with writer.open_table(event.name) as table:
                _write_table(table, events, source, reporter)


def _write_table(
    table: TableWriter, events: Iterator[Event], source: InputFile, reporter: _Reporter
) -> None:
    """The records of one table, up to its end; problems reported in reading order."""
    while True:
        run = _RecordRun(events, source, reporter)
        table.write_many(run, on_invalid=run.refused)
        if run.stopped_by is None:  # the table's end, or the input's
            return
        reporter.finding(run.stopped_by, source)  # after the refusals of the records before it


class _RecordRun:
    """The record values of a table up to its end or the next problem of the input.

    Keeps where the last :data:`GROUP_MAX` records read were (not their values), so
    that a record the writer refuses is reported with its location.
    """

    def __init__(self, events: Iterator[Event], source: InputFile, reporter: _Reporter) -> None:
        self._events = events
        self._source = source
        self._reporter = reporter
        self._recent: deque[tuple[str, str, str]] = deque(maxlen=GROUP_MAX)
        self._taken = 0
        self.stopped_by: Finding | None = None

    def __iter__(self) -> Iterator[Any]:
        for event in self._events:
            if isinstance(event, InputRecord):
                self._recent.append((event.table, event.where, event.pointer))
                self._taken += 1
                yield event.value
            else:  # a problem, or the table's end (a new table only ever follows one)
                self.stopped_by = event if isinstance(event, Finding) else None
                return

    def refused(self, position: int, exc: RecordValidationError) -> None:
        """Report the record at ``position`` (from 0, in this run) that was refused."""
        table, where, pointer = self._recent[position - (self._taken - len(self._recent))]
        self._reporter.record(exc, self._source, InputRecord(table, None, where, pointer))


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise _Interrupted

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not in the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _password_file(settings: PackSettings, kept: Callable[[], bool]) -> Iterator[None]:
    """Write a generated password beside the archive, in place once the archive is.

    The password is written first under a temporary name (mode 0600) and moved to its
    name when the archive is under its own (``kept()``), also after an interrupt that
    came too late to stop it; otherwise it is deleted, and a password file already
    there (``--overwrite``) stays with the archive it opens.
    """
    path = settings.password_out
    if path is None or settings.password is None:
        yield
        return
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as stream:
            stream.write(settings.password.reveal() + "\n")
        try:
            yield
        finally:
            if kept():
                os.replace(temp, path)
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()  # a full disk, a failed or cut run: nothing left


def _summary(writer: ArchiveWriter, settings: PackSettings, reporter: _Reporter) -> None:
    manifest = writer.manifest
    assert manifest is not None
    counts = manifest.table_records()
    encryption = "AES-256" if settings.password is not None else "NOT ENCRYPTED (tests only)"
    signed = ", signed" if settings.sign_key is not None else ""
    click.echo(
        f"wrote {settings.output}: {len(counts)} tables, {sum(counts.values())} records, "
        f"{len(manifest.files)} data files ({encryption}{signed})"
    )
    if settings.password_out is not None:
        click.echo(f"password written to {settings.password_out} (mode 0600)")
    if reporter.warnings:
        click.echo(f"{reporter.warnings} warning(s), see above", err=True)
