"""``mi-export pack``: build an encrypted, signed archive from JSON and JSON Lines files.

The click layer turns options into :class:`PackSettings`, resolving the password
(prompting only when stdin is a terminal) and the signing key;
:func:`~mi_export_validator.cli._pack_run.run_pack` does the work and returns the exit
code. Passwords are never printed.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from mi_export.passwords import (
    KEY_PASSPHRASE_ENV,
    PASSWORD_ENV,
    PasswordFileError,
    Secret,
    generate_password,
    password_from_sources,
)
from mi_export.signing import Ed25519PrivateKey, SigningKeyError, load_private_key
from mi_export.writer import DEFAULT_SPLIT_BYTES
from mi_export_validator.cli._pack_run import PackSettings, run_pack

__all__ = ["PackSettings", "pack", "run_pack"]

_SIZE = re.compile(r"^([0-9]+)\s*([KMG]i?B?|B)?$", re.IGNORECASE)


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
  130  interrupted (Ctrl-C, SIGTERM); nothing is left under the output name,
       unless the archive was already complete under it: then it is kept,
       with its generated password, and the message says so
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
