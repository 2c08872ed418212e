"""Archive passwords: generating strong ones, reading them, keeping them out of output.

Every command takes a password from the same sources, in this order (FORMAT.md §3):

1. ``--password-file`` (its first line, without the line ending, UTF-8);
2. the ``MI_EXPORT_PASSWORD`` environment variable;
3. a hidden prompt, only when stdin is a terminal (done by the CLI, never here).

:func:`password_from_sources` does steps 1 and 2. Passwords travel as :class:`Secret`,
whose ``repr`` and ``str`` never show the value, so they cannot leak into logs,
tracebacks or reports by accident.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

from mi_export.errors import MiExportError

__all__ = [
    "KEY_PASSPHRASE_ENV",
    "PASSWORD_ENV",
    "PasswordFileError",
    "Secret",
    "generate_password",
    "password_from_sources",
    "read_secret_file",
]

#: Environment variable holding an archive password.
PASSWORD_ENV = "MI_EXPORT_PASSWORD"
#: Environment variable holding the passphrase of a signing key.
KEY_PASSPHRASE_ENV = "MI_EXPORT_KEY_PASSPHRASE"

# 31 symbols, lowercase, without the look-alikes 0/o and 1/l/i: log2(31) = 4.95 bits each.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_GROUPS = 7
_GROUP_LEN = 4


class PasswordFileError(MiExportError):
    """A password or passphrase file cannot be read or holds no usable first line."""


class Secret:
    """A password or passphrase whose ``repr`` and ``str`` never show the value.

    Args:
        value: the secret text.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret text: call this only where the value is really used."""
        return self._value

    def encode(self) -> bytes:
        """The secret as UTF-8 bytes (what ZIP AES and PEM encryption take)."""
        return self._value.encode("utf-8")

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return secrets.compare_digest(self.encode(), other.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def generate_password() -> Secret:
    """Make a random archive password of about 138 bits, easy to read and type.

    The password is 28 symbols drawn with :mod:`secrets` (the OS's CSPRNG) from a
    31-symbol lowercase alphabet without look-alike characters (4.95 bits each: 138.7
    bits in all), grouped by four with dashes, e.g. ``k7dq-3fxm-...``. Why that is
    enough: WinZip AES derives its key with only 1,000 rounds of PBKDF2-HMAC-SHA1, so
    the key is only as strong as the password's own entropy. An attacker who tries
    10^12 passwords a second (a large GPU farm) needs on average 2^137 / 10^12
    seconds, about 5·10^21 years, for one archive. 128 bits is the usual bar for
    "beyond brute force" and AES-128's own strength; AES-256's larger key adds nothing
    once the password is the weakest part, so more symbols would only make the
    password harder to copy.

    Returns:
        The password as a :class:`Secret`.
    """
    groups = ("".join(secrets.choice(_ALPHABET) for _ in range(_GROUP_LEN)) for _ in range(_GROUPS))
    return Secret("-".join(groups))


def read_secret_file(path: str | os.PathLike[str]) -> Secret:
    """Read a password from the first line of a file.

    The line ending (LF or CRLF) is removed and nothing else: spaces are part of the
    password. A UTF-8 byte order mark at the very start is dropped (Windows editors
    add one; no password starts with U+FEFF).

    Args:
        path: the password file.

    Returns:
        The password.

    Raises:
        PasswordFileError: the file cannot be read, is not UTF-8, or its first line is
            empty. The message names the file, never its content.
    """
    try:
        with Path(path).open("rb") as stream:
            line = stream.readline()
    except OSError as exc:
        raise PasswordFileError(f"cannot read password file {path}: {exc.strerror}") from None
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        raise PasswordFileError(f"password file {path} is not UTF-8") from None
    text = text.removeprefix("\ufeff").removesuffix("\n").removesuffix("\r")
    if not text:
        raise PasswordFileError(f"password file {path}: the first line is empty")
    return Secret(text)


def password_from_sources(
    password_file: str | os.PathLike[str] | None,
    environ: Mapping[str, str] | None = None,
    *,
    env_var: str = PASSWORD_ENV,
) -> Secret | None:
    """Find a password: the file first, then the environment variable.

    Args:
        password_file: path given with ``--password-file``, or None.
        environ: the environment to look in (default ``os.environ``).
        env_var: which variable to read (``MI_EXPORT_PASSWORD`` by default,
            ``MI_EXPORT_KEY_PASSPHRASE`` for signing keys).

    Returns:
        The password, or None when neither source gives one (an empty variable
        counts as unset). The caller then prompts, if stdin is a terminal.

    Raises:
        PasswordFileError: ``password_file`` was given but cannot be used.
    """
    if password_file is not None:
        return read_secret_file(password_file)
    value = (os.environ if environ is None else environ).get(env_var, "")
    return Secret(value) if value else None
