"""The archive list of ``--from-list``: one archive a line, with its own password file.

Each line is ``PATH`` or ``PATH<TAB>PASSWORD_FILE`` (UTF-8). Blank lines and lines whose
first non-blank character is ``#`` are ignored; spaces around each field are dropped
(so a path cannot contain a tab, nor start or end with a space). A relative path, of an
archive or of a password file, is relative to the folder that holds the list. A
password file's first line is the password (as for ``--password-file``); an archive
without one uses the password given for the whole run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mi_export.errors import MiExportError
from mi_export.passwords import PasswordFileError, Secret, read_secret_file
from mi_export_validator.batch._jobs import BatchJob


class ArchiveListError(MiExportError):
    """The archive list cannot be read, has a malformed line or a bad password file."""


@dataclass(frozen=True)
class ListedArchive:
    """One line of an archive list, paths resolved against the list's folder."""

    path: str
    password_file: str | None
    line: int


def read_archive_list(path: str | os.PathLike[str]) -> list[ListedArchive]:
    """Parse an archive list (the format is in this module's docstring).

    Args:
        path: the list file.

    Returns:
        Its archives, in the order of the file.

    Raises:
        ArchiveListError: the file cannot be read or is not UTF-8, or a line has more
            than one tab or an empty field. The message names the file and line.
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise ArchiveListError(f"cannot read archive list {path}: {reason}") from None
    folder = Path(path).parent
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        fields = [f.strip() for f in raw.split("\t")]
        if len(fields) > 2 or not all(fields):
            raise ArchiveListError(
                f"{path}, line {number}: expected PATH or PATH<TAB>PASSWORD_FILE"
            )
        password_file = str(folder / fields[1]) if len(fields) == 2 else None
        found.append(ListedArchive(str(folder / fields[0]), password_file, number))
    return found


def jobs_from_list(path: str | os.PathLike[str]) -> list[BatchJob]:
    """Read an archive list and the password files it names (each file once).

    Args:
        path: the list file.

    Returns:
        One job per listed archive; ``password`` is None where the line names no
        password file.

    Raises:
        ArchiveListError: as :func:`read_archive_list`, or a password file cannot be
            used (the message names the file and line, never a password).
    """
    secrets: dict[str, Secret] = {}
    jobs = []
    for item in read_archive_list(path):
        secret = None
        if item.password_file is not None:
            if item.password_file not in secrets:
                try:
                    secrets[item.password_file] = read_secret_file(item.password_file)
                except PasswordFileError as exc:
                    raise ArchiveListError(f"{path}, line {item.line}: {exc}") from None
            secret = secrets[item.password_file]
        jobs.append(BatchJob(item.path, secret))
    return jobs
