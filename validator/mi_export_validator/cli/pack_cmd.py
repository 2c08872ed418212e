"""``mi-export pack``: build an encrypted, signed archive from JSON and JSON Lines files.

The click layer turns options into :class:`PackSettings` (resolving the password,
prompting only when stdin is a terminal); :func:`run_pack` does the work and returns
the exit code. Passwords are never printed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from mi_export.errors import MiExportError, RecordValidationError, WriterError
from mi_export.findings import Finding
from mi_export.jsonscan import TableEnd, TableStart
from mi_export.passwords import (
    KEY_PASSPHRASE_ENV,
    PASSWORD_ENV,
    PasswordFileError,
    Secret,
    generate_password,
    password_from_sources,
)
from mi_export.signing import Ed25519PrivateKey, SigningKeyError, load_private_key
from mi_export.writer import DEFAULT_SPLIT_BYTES, ArchiveWriter, TableWriter
from mi_export_validator.cli._pack_inputs import (
    CountingReader,
    InputError,
    InputFile,
    InputRecord,
    discover,
    iter_input,
)
from mi_export_validator.cli.progress import ProgressLine

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
MAX_SHOWN = 20
_SIZE = re.compile(r"^([0-9]+)\s*([KMG]i?B?|B)?$", re.IGNORECASE)


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
        with _sigterm_raises(), _password_file(settings) as _:
            _write_all(writer, sources, reporter, settings.progress)
    except _Invalid:
        stopped = f" (stopped after {MAX_SHOWN})" if reporter.errors >= MAX_SHOWN else ""
        click.echo(
            f"error: {reporter.errors} problem(s) in the input{stopped}; no archive written",
            err=True,
        )
        return EXIT_INVALID
    except (_Interrupted, KeyboardInterrupt):
        click.echo("interrupted; no archive written", err=True)
        return EXIT_INTERRUPTED
    except (OSError, MiExportError) as exc:
        click.echo(f"error: {exc}; no archive written", err=True)
        return EXIT_INVALID
    _summary(writer, settings, reporter)
    return EXIT_OK


def _make_writer(settings: PackSettings) -> ArchiveWriter:
    out = settings.password_out
    if out is not None and out.exists() and not settings.overwrite:
        raise WriterError(f"{settings.password_out} exists (use --overwrite)")
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
    table: TableWriter | None = None
    for event in iter_input(source, stream):
        if isinstance(event, TableStart):
            table = writer.open_table(event.name)
        elif isinstance(event, TableEnd):
            if table is not None:
                table.close()
            table = None
        elif isinstance(event, Finding):
            reporter.finding(event, source)
        elif table is not None:
            try:
                table.write(event.value)
            except RecordValidationError as exc:
                reporter.record(exc, source, event)
    if table is not None:  # the input ended inside a table (its error was reported)
        table.close()


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
def _password_file(settings: PackSettings) -> Iterator[None]:
    """Write a generated password beside the archive; remove it if packing fails."""
    path = settings.password_out
    if path is None or settings.password is None:
        yield
        return
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        stream.write(settings.password.reveal() + "\n")
    try:
        yield
    except BaseException:
        with contextlib.suppress(OSError):
            path.unlink()
        raise


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


# --- command line -----------------------------------------------------------------------


def _parse_size(value: str) -> int:
    match = _SIZE.match(value.strip())
    if match is None or int(match.group(1)) < 1:
        raise click.BadParameter("a positive size such as 500000, 64MiB or 1G")
    unit = (match.group(2) or "B").upper()[0]
    return int(match.group(1)) << {"B": 0, "K": 10, "M": 20, "G": 30}[unit]


def _parse_time(value: str) -> int:
    """Epoch milliseconds, or an ISO 8601 date-time (UTC when it has no offset)."""
    if value.isdigit():
        return int(value)
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            "epoch milliseconds or ISO 8601, e.g. 2025-12-01T00:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp() * 1000)


def _resolve_password(
    password_file: Path | None, generate: bool, no_encryption: bool
) -> Secret | None:
    """The archive password, by the common order; None only with --no-encryption."""
    given = sum((password_file is not None, generate, no_encryption))
    if given > 1:
        raise click.UsageError(
            "use only one of --password-file, --generate-password, --no-encryption"
        )
    if no_encryption:
        return None
    if generate:
        return generate_password()
    try:
        password = password_from_sources(password_file)
    except PasswordFileError as exc:
        raise click.UsageError(str(exc)) from None
    if password is None and sys.stdin.isatty():
        entered: str = click.prompt(
            "Archive password", hide_input=True, confirmation_prompt=True, err=True
        )
        password = Secret(entered) if entered else None
    if password is None:
        raise click.UsageError(
            f"no password: give --password-file, set {PASSWORD_ENV}, use "
            "--generate-password, or --no-encryption (for tests only)"
        )
    return password


def _load_sign_key(path: Path | None, passphrase_file: Path | None) -> Ed25519PrivateKey | None:
    if path is None:
        return None
    try:
        passphrase = password_from_sources(passphrase_file, env_var=KEY_PASSPHRASE_ENV)
        pem = path.read_bytes()
        return load_private_key(pem, passphrase.encode() if passphrase else None)
    except OSError as exc:
        raise click.UsageError(f"cannot read --sign-key {path}: {exc.strerror}") from None
    except (PasswordFileError, SigningKeyError) as exc:
        raise click.UsageError(f"--sign-key {path}: {exc}") from None


_EPILOG = f"""\b
Password, in this order: --password-file (its first line), ${PASSWORD_ENV},
a hidden prompt when stdin is a terminal. With none of them pack refuses (exit 2):
it writes an unencrypted archive only with --no-encryption. The signing key's
passphrase comes from --key-passphrase-file or ${KEY_PASSPHRASE_ENV}.

\b
Exit codes:
  0    archive written
  1    invalid input (records, JSON syntax, unknown table) or a write
       error; nothing is left under the output name
  2    usage error: bad options, no password, unreadable password or key
       file, output exists without --overwrite
  130  interrupted (Ctrl-C, SIGTERM); nothing is left under the output name
"""


@click.command(epilog=_EPILOG)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The archive to write (OUT.zip).",
)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the archive password from the first line of this file.",
)
@click.option(
    "--generate-password",
    is_flag=True,
    help="Make a strong random password and write it to OUT.password (mode 0600).",
)
@click.option(
    "--no-encryption",
    is_flag=True,
    help="Write an UNENCRYPTED archive. For tests only: real exports hold personal data.",
)
@click.option(
    "--sign-key",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Sign manifest.json with this Ed25519 private key (PKCS#8 PEM).",
)
@click.option(
    "--key-passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Passphrase of --sign-key (else ${KEY_PASSPHRASE_ENV}).",
)
@click.option(
    "--request-type",
    type=click.Choice(["migration", "backup"]),
    default="migration",
    show_default=True,
    help="What the user asked for.",
)
@click.option(
    "--requested-at",
    metavar="TIME",
    help="When the user asked: epoch ms or ISO 8601 (UTC if no offset).",
)
@click.option(
    "--split-bytes",
    metavar="SIZE",
    default=str(DEFAULT_SPLIT_BYTES),
    show_default=True,
    help="Split a table's file past this size (e.g. 64MiB).",
)
@click.option("--table", help="Table of JSON Lines inputs (default: the file name's stem).")
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
def pack(
    inputs: tuple[Path, ...],
    output: Path,
    password_file: Path | None,
    generate_password: bool,
    no_encryption: bool,
    sign_key: Path | None,
    key_passphrase_file: Path | None,
    request_type: str,
    requested_at: str | None,
    split_bytes: str,
    table: str | None,
    overwrite: bool,
) -> int:
    """Build an archive from JSON files ({"table": [records]}), JSON Lines files (one
    record a line) or directories of them.

    Records are streamed, validated against their table's schema and written to an
    AES-256 ZIP with manifest.json (sizes, SHA-256, record counts). The archive is
    written under a temporary name and renamed only when complete.
    """
    password = _resolve_password(password_file, generate_password, no_encryption)
    if no_encryption:
        click.echo("warning: --no-encryption: the archive will NOT be encrypted", err=True)
    settings = PackSettings(
        inputs=inputs,
        output=output,
        password=password,
        password_out=output.with_name(output.name.removesuffix(".zip") + ".password")
        if generate_password
        else None,
        sign_key=_load_sign_key(sign_key, key_passphrase_file),
        request_type=request_type,
        requested_at=_parse_time(requested_at) if requested_at else None,
        split_bytes=_parse_size(split_bytes),
        overwrite=overwrite,
        table=table,
        progress=True,
    )
    return run_pack(settings)
