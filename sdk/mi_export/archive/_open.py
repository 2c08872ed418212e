"""``open_archive``: tell the input kind by content, not by name, and open it."""

from __future__ import annotations

import codecs
import os
import stat

from mi_export.archive._base import Archive
from mi_export.archive._files import DirectoryArchive, JsonFileArchive
from mi_export.archive._zip import ZipArchive
from mi_export.archive._zipformat import ZIP_MAGIC
from mi_export.errors import ArchiveError
from mi_export.limits import DEFAULT_LIMITS, Limits

_HEAD = 4096
_JSON_SPACE = frozenset(b" \t\r\n")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_OTHER_FORMATS = (
    (b"PK\x07\x08", "the first part of a split ZIP; join the parts first"),
    (b"\x1f\x8b", "a gzip file; only ZIP archives are read"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive; only ZIP archives are read"),
    (b"Rar!\x1a\x07", "a RAR archive; only ZIP archives are read"),
    (b"%PDF", "a PDF document, not an archive"),
)
_AGAIN = "download the archive again from the link in the e-mail"


def open_archive(
    path: str | os.PathLike[str],
    *,
    password: str | bytes | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Archive:
    """Open an export: a ZIP (AES, ZipCrypto or plain), one JSON file, or a directory.

    The kind is told by content (FORMAT.md §3). Nothing is extracted to disk; the
    archive-level findings met while opening are on :attr:`Archive.findings`.

    Args:
        path: The archive, JSON file or directory.
        password: The archive's password (``str`` is encoded as UTF-8). It is never
            shown in any message, ``repr`` or finding.
        limits: Bounds against hostile archives (FORMAT.md §7).

    Returns:
        An open :class:`Archive`; use it as a context manager.

    Raises:
        ArchiveError: ``archive.not-found``, ``archive.unreadable`` or
            ``archive.truncated``.
        PasswordError: ``archive.password-required`` or ``archive.wrong-password``.
    """
    given = os.fspath(path)
    try:
        info = os.stat(given)
        if stat.S_ISDIR(info.st_mode):
            return DirectoryArchive(given, limits=limits)
        if not stat.S_ISREG(info.st_mode):
            raise ArchiveError(
                "archive.unreadable", "not a regular file, a ZIP or a directory", path=given
            )
        with open(given, "rb") as handle:
            head = handle.read(_HEAD)
    except FileNotFoundError:
        raise ArchiveError("archive.not-found", "no such file or directory", path=given) from None
    except OSError as exc:
        raise ArchiveError(
            "archive.not-found", f"cannot be read ({exc.strerror})", path=given
        ) from None
    if head.startswith(ZIP_MAGIC):
        try:
            return ZipArchive(given, password=password, limits=limits, file_size=info.st_size)
        except ArchiveError as exc:
            exc.path = exc.path or given
            raise
        except OSError as exc:
            raise ArchiveError(
                "archive.not-found", f"cannot be read ({exc.strerror})", path=given
            ) from None
    if looks_like_json(head) or (head and given.lower().endswith(".json")):
        # a non-empty .json file is always JSON to us: its faults are json.* findings
        return JsonFileArchive(given, file_size=info.st_size)
    raise ArchiveError("archive.unreadable", not_an_archive(head), path=given)


def looks_like_json(head: bytes) -> bool:
    """Whether a file starts like JSON: ``{``, ``[`` or ``"`` after whitespace, any UTF.

    UTF-16/32 files (with a byte order mark, or recognised by their NUL bytes) count
    as JSON here so that the JSON layer can say they must be UTF-8.
    """
    if head.startswith(_WIDE_BOMS):
        return True
    text = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    if text.lstrip(b" \t\r\n")[:1] in (b"{", b"[", b'"'):
        return True
    for unit, order in ((4, "little"), (4, "big"), (2, "little"), (2, "big")):
        value = None
        for pos in range(0, len(head) - unit + 1, unit):
            value = int.from_bytes(head[pos : pos + unit], order)  # type: ignore[arg-type]
            if value not in _JSON_SPACE:
                break
        if value in (0x7B, 0x5B):
            return True
    return False


def not_an_archive(head: bytes) -> str:
    """A message saying what the file seems to be instead of an archive."""
    if not head:
        return f"the file is empty (0 bytes); {_AGAIN}"
    stripped = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    stripped = stripped.lstrip()
    if not stripped:
        return f"the file holds only whitespace; {_AGAIN}"
    lower = stripped[:1024].lower()
    if lower.startswith((b"<!doctype html", b"<html")) or b"<html" in lower or b"<body" in lower:
        return (
            "not a ZIP: the file looks like an HTML page (an error or sign-in page saved "
            f"under the archive's name); {_AGAIN}"
        )
    for magic, what in _OTHER_FORMATS:
        if head.startswith(magic):
            return f"not a ZIP: the file looks like {what}"
    shown = head[:8].hex(" ")
    return f"not a ZIP archive, a JSON file or a directory (it starts with bytes {shown}); {_AGAIN}"
