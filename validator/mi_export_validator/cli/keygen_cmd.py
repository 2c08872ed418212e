"""``mi-export keygen``: make an Ed25519 key pair for signing manifests."""

from __future__ import annotations

import contextlib
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import click

from mi_export.passwords import (
    KEY_PASSPHRASE_ENV,
    PasswordFileError,
    Secret,
    password_from_sources,
)
from mi_export.signing import generate_keypair

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class KeygenSettings:
    """What ``keygen`` was asked to do."""

    prefix: Path
    passphrase: Secret | None
    force: bool

    @property
    def private_path(self) -> Path:
        """Where the private key goes: ``PREFIX.key``."""
        return self.prefix.with_name(self.prefix.name + ".key")

    @property
    def public_path(self) -> Path:
        """Where the public key goes: ``PREFIX.pub``."""
        return self.prefix.with_name(self.prefix.name + ".pub")


def run_keygen(settings: KeygenSettings) -> int:
    """Write the key pair; returns the exit code."""
    targets = (settings.private_path, settings.public_path)
    existing = [str(p) for p in targets if p.exists()]
    if existing and not settings.force:
        click.echo(f"error: {' and '.join(existing)} already exist(s) (use --force)", err=True)
        return EXIT_USAGE
    passphrase = settings.passphrase.encode() if settings.passphrase else None
    private_pem, public_pem = generate_keypair(passphrase)
    try:
        settings.private_path.parent.mkdir(parents=True, exist_ok=True)
        _write(settings.private_path, private_pem, 0o600)
        _write(settings.public_path, public_pem, 0o644)
    except OSError as exc:
        click.echo(f"error: cannot write {exc.filename}: {exc.strerror}", err=True)
        return EXIT_FAILED
    fingerprint = hashlib.sha256(public_pem).hexdigest()[:16]
    state = "encrypted" if passphrase else "NOT encrypted: keep it safe"
    click.echo(f"private key: {settings.private_path} (mode 0600, {state})")
    click.echo(f"public key:  {settings.public_path} (give it to those who verify)")
    click.echo(f"fingerprint: sha256:{fingerprint}")
    return EXIT_OK


def _write(path: Path, data: bytes, mode: int) -> None:
    # Created with its final mode from the start: a private key is never readable by
    # others, not even for an instant. An old file is removed first, so its mode
    # cannot carry over.
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(fd, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, mode)  # the umask may have cleared bits of a .pub file


@click.command(
    epilog="Exit codes: 0 written; 1 the files could not be written; 2 usage error "
    "(bad options, unreadable passphrase file, files exist without --force)."
)
@click.argument("out_prefix", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--passphrase-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Encrypt the private key with the first line of this file (else ${KEY_PASSPHRASE_ENV}"
    "; with neither, the key is written unencrypted).",
)
@click.option("--force", is_flag=True, help="Replace existing key files.")
def keygen(out_prefix: Path, passphrase_file: Path | None, force: bool) -> int:
    """Make an Ed25519 key pair to sign archive manifests.

    Writes OUT_PREFIX.key (PKCS#8 PEM private key, mode 0600) and OUT_PREFIX.pub
    (SubjectPublicKeyInfo PEM public key). Pass the .key to `pack --sign-key` and
    the .pub to `validate --trust-key`.
    """
    try:
        passphrase = password_from_sources(passphrase_file, env_var=KEY_PASSPHRASE_ENV)
    except PasswordFileError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_USAGE
    return run_keygen(KeygenSettings(out_prefix, passphrase, force))
