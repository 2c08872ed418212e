"""What the reading commands (validate, inspect) share: passwords and trust keys."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mi_export.archive import open_archive
from mi_export.errors import MiExportError, PasswordError
from mi_export.passwords import PasswordFileError, password_from_sources
from mi_export.signing import SigningKeyError, load_public_key


def given_password(password_file: str | None) -> str | None:
    """The password from --password-file or MI_EXPORT_PASSWORD (usage error if unreadable)."""
    try:
        secret = password_from_sources(password_file)
    except PasswordFileError as exc:
        raise click.UsageError(str(exc)) from None
    return secret.reveal() if secret else None


def password_for(path: str, password: str | None) -> str | None:
    """Ask on the terminal when the archive needs a password and none was given."""
    if password is not None or not sys.stdin.isatty():
        return password
    try:
        open_archive(path, password=None).close()
    except PasswordError as exc:
        if exc.code == "archive.password-required":
            value: str = click.prompt(f"Password for {path}", hide_input=True, err=True)
            return value
    except MiExportError:
        return None  # reported by the command itself
    return None


def read_trust_key(path: str | None) -> bytes | None:
    """The PEM bytes of --trust-key, checked to be a usable Ed25519 public key."""
    if path is None:
        return None
    try:
        pem = Path(path).read_bytes()
        load_public_key(pem)
    except OSError as exc:
        raise click.UsageError(f"cannot read --trust-key {path}: {exc.strerror}") from None
    except SigningKeyError as exc:
        raise click.UsageError(f"--trust-key {path}: {exc}") from None
    return pem
