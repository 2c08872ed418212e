"""The container-neutral part: :class:`Entry` and the :class:`Archive` base class."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO, ClassVar, Literal

from mi_export.errors import MemberError
from mi_export.findings import Finding

EntryRole = Literal["data", "manifest", "signature", "skipped", "unsafe"]
Encryption = Literal["aes-256", "zipcrypto", "none"]
ArchiveKind = Literal["zip", "json", "directory"]

#: Roles whose entries can be opened; the others are never read.
READABLE_ROLES: frozenset[str] = frozenset({"data", "manifest", "signature"})

_HASH_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of an archive, as listed in its container.

    Attributes:
        path: Path relative to the archive root, ``/`` separators, decoded name.
            Entries outside the root folder keep their full container path.
        role: ``data`` (a ``*.json`` data file), ``manifest``, ``signature``,
            ``skipped`` (never read: not a data file, or beyond a limit) or ``unsafe``
            (never opened: absolute path, ``..``, symlink...).
        encryption: ``aes-256`` (or ``aes-128``/``aes-192``), ``zipcrypto`` or ``none``.
        bytes: Uncompressed size as declared by the container.
        compressed_bytes: Stored size in a ZIP (encryption overhead included);
            ``None`` for files of a directory or a single JSON file.
    """

    path: str
    role: EntryRole
    encryption: str
    bytes: int
    compressed_bytes: int | None = None


def data_sort_key(path: str) -> str:
    """Reading-order key of a data file: its path without the ``.json`` suffix."""
    return path[:-5] if path.lower().endswith(".json") else path


class Archive:
    """An opened archive: its entries, findings met while opening, and member access.

    Use :func:`mi_export.archive.open_archive` to get one, as a context manager::

        with open_archive("export.zip", password=pw) as archive:
            for entry in archive.data_entries():
                with archive.open_entry(entry) as stream:
                    ...

    Attributes:
        path: The path as the caller gave it.
        kind: ``zip``, ``json`` or ``directory``.
        encryption: Over the encrypted members: ``aes-256``, ``zipcrypto``,
            ``mixed`` (several methods or strengths), ``none`` when no member is
            encrypted (``aes-128``/``aes-192`` when every encrypted member uses it).
        entries: Every entry, in container order.
        findings: Archive-level findings met while opening, in entry order, then
            the archive-wide ones (entry count limit, ``archive.unencrypted``).
        archive_bytes: Size of the input file; ``None`` for a directory.
    """

    kind: ClassVar[ArchiveKind]

    def __init__(self, path: str) -> None:
        self.path = path
        self.encryption: str = "none"
        self.entries: tuple[Entry, ...] = ()
        self.findings: tuple[Finding, ...] = ()
        self.archive_bytes: int | None = None
        self._sha256: str | None = None
        self._closed = False
        #: Why each non-readable entry (by position) is not read: (code, message).
        self._refusals: dict[int, tuple[str, str]] = {}

    def __repr__(self) -> str:
        state = " closed" if self._closed else ""
        return (
            f"<{type(self).__name__} path={self.path!r} kind={self.kind!r} "
            f"encryption={self.encryption!r} entries={len(self.entries)}{state}>"
        )

    def data_entries(self, order: Sequence[str] | None = None) -> list[Entry]:
        """Data files in reading order.

        Args:
            order: Paths in the manifest's order. Listed data files come first, in
                that order; the others follow, sorted by path with ``.json`` removed
                (so ``sms.json`` comes before ``sms-2.json``). Paths in ``order``
                that are not data entries are ignored.

        Returns:
            The entries with role ``data``, each once.
        """
        data = {e.path: e for e in self.entries if e.role == "data"}
        first: list[Entry] = []
        for path in order or ():
            entry = data.pop(path, None)
            if entry is not None:
                first.append(entry)
        rest = sorted(data.values(), key=lambda e: (data_sort_key(e.path), e.path))
        return first + rest

    def open_entry(self, entry: Entry) -> AbstractContextManager[BinaryIO]:
        """Open a member for streaming reading (decrypted and inflated).

        The stream's ``read(n)`` raises :class:`~mi_export.errors.MemberError` with
        code ``archive.integrity`` (CRC or HMAC mismatch, member cut short, damaged
        data) or ``archive.limits`` (inflates past its declared size); no other
        exception escapes from reading.

        Args:
            entry: An entry of this archive with role ``data``, ``manifest`` or
                ``signature``.

        Raises:
            MemberError: The entry cannot be opened (wrong role, damaged header).
        """
        raise NotImplementedError

    def read_entry_bytes(self, entry: Entry, max_bytes: int) -> bytes:
        """Read a small member whole (``manifest.json``, its ``.sig``).

        Args:
            entry: The entry to read.
            max_bytes: Refuse members larger than this.

        Raises:
            MemberError: ``archive.limits`` when the member is larger than
                ``max_bytes``; as for :meth:`open_entry` otherwise.
        """
        if entry.bytes > max_bytes:
            raise MemberError(
                "archive.limits",
                f"declares {entry.bytes} bytes, more than the {max_bytes} allowed here",
                member=entry.path,
            )
        chunks: list[bytes] = []
        size = 0
        with self.open_entry(entry) as stream:
            while chunk := stream.read(min(_HASH_CHUNK, max_bytes + 1 - size)):
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    raise MemberError(
                        "archive.limits",
                        f"holds more than the {max_bytes} bytes allowed here",
                        member=entry.path,
                    )
        return b"".join(chunks)

    def archive_sha256(self) -> str | None:
        """SHA-256 (lowercase hex) of the whole input file; ``None`` for a directory."""
        if self.kind == "directory":
            return None
        if self._sha256 is None:
            digest = hashlib.sha256()
            with open(self.path, "rb") as handle:
                for chunk in iter(lambda: handle.read(_HASH_CHUNK), b""):
                    digest.update(chunk)
            self._sha256 = digest.hexdigest()
        return self._sha256

    def close(self) -> None:
        """Release the archive's resources; entries stay readable as values."""
        self._closed = True

    def __enter__(self) -> Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _check_open(self) -> None:
        if self._closed:
            raise ValueError("the archive is closed")

    def _refused(self, entry: Entry) -> MemberError:
        """The error for opening an entry that is never read (unsafe, skipped...)."""
        for i, known in enumerate(self.entries):
            if known == entry and i in self._refusals:
                code, message = self._refusals[i]
                return MemberError(code, f"not opened: {message}", member=entry.path)
        raise ValueError(f"{entry.path!r} is not a readable entry of this archive")
