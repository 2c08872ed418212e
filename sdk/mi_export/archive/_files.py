"""Archives made of plain files: an extracted directory, or a single ``.json`` file."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import BinaryIO

from mi_export.archive._base import READABLE_ROLES, Archive, Entry
from mi_export.archive._limits import size_problems, too_many_entries
from mi_export.archive._listing import as_context, build_listing
from mi_export.archive._names import RawMember, decode_name, place_members
from mi_export.errors import MemberError
from mi_export.findings import Finding
from mi_export.limits import Limits


class FileStream(io.BufferedIOBase):
    """A plain file as a member stream: every ``OSError`` becomes a ``MemberError``."""

    def __init__(self, fs_path: str, member: str) -> None:
        super().__init__()
        self._member = member
        try:
            self._handle = open(fs_path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise self._fail(exc) from None

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes."""
        try:
            return self._handle.read(size)
        except OSError as exc:
            raise self._fail(exc) from None

    def read1(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes with at most one system call."""
        try:
            return self._handle.read1(size)
        except OSError as exc:
            raise self._fail(exc) from None

    def _fail(self, exc: OSError) -> MemberError:
        message = f"cannot be read ({exc.strerror})"
        return MemberError("archive.integrity", message, member=self._member)

    def close(self) -> None:
        """Close the file."""
        try:
            if hasattr(self, "_handle"):
                self._handle.close()
        finally:
            super().close()


class JsonFileArchive(Archive):
    """A single JSON data file given directly: one data entry named after the file."""

    kind = "json"

    def __init__(self, path: str, *, file_size: int) -> None:
        super().__init__(path)
        self.archive_bytes = file_size
        self._file = os.path.abspath(path)
        name, fallback = decode_name(os.fsencode(os.path.basename(self._file)))
        self.entries = (Entry(path=name, role="data", encryption="none", bytes=file_size),)
        if fallback:
            self.findings = (
                Finding.make(
                    "archive.filename-encoding",
                    "file name is not valid UTF-8; decoded as GB18030",
                    file=name,
                ),
            )

    def open_entry(self, entry: Entry) -> AbstractContextManager[BinaryIO]:
        """See :meth:`Archive.open_entry`."""
        self._check_open()
        if entry != self.entries[0]:
            raise ValueError(f"{entry.path!r} is not an entry of this archive")
        return as_context(FileStream(self._file, entry.path))


@dataclass(frozen=True)
class _Found:
    member: RawMember
    fs_path: str
    size: int


class DirectoryArchive(Archive):
    """An extracted archive: a folder walked in sorted order, symlinks never followed."""

    kind = "directory"

    def __init__(self, path: str, *, limits: Limits) -> None:
        super().__init__(path)
        found: list[_Found] = []
        tail: list[Finding] = []
        for item in _walk(os.path.abspath(path)):
            if len(found) == limits.max_entries:
                tail.append(too_many_entries(None, limits, item.member.name))
                break
            found.append(item)
        placed = place_members([f.member for f in found])
        readable = [
            (i, f.size, None)
            for i, (f, p) in enumerate(zip(found, placed, strict=True))
            if p.role in READABLE_ROLES
        ]
        for i, message in size_problems(readable, limits).items():
            placed[i].refuse("skipped", "archive.limits", message)
        listing = build_listing(
            placed, ["none"] * len(found), [f.size for f in found], [None] * len(found), tail
        )
        self.entries, self.findings = listing.entries, listing.findings
        self._refusals = listing.refusals
        self._files = {
            spot.path: f.fs_path
            for f, spot in zip(found, placed, strict=True)
            if spot.role in READABLE_ROLES
        }

    def open_entry(self, entry: Entry) -> AbstractContextManager[BinaryIO]:
        """See :meth:`Archive.open_entry`."""
        self._check_open()
        fs_path = self._files.get(entry.path) if entry.role in READABLE_ROLES else None
        if fs_path is None:
            raise self._refused(entry)
        return as_context(FileStream(fs_path, entry.path))


def _walk(root: str) -> Iterator[_Found]:
    """Files under ``root`` in sorted depth-first order, without following symlinks."""
    stack: list[tuple[Iterator[os.DirEntry[str]], str]] = [(_sorted_dir(root), "")]
    while stack:
        items, prefix = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        name, fallback = decode_name(os.fsencode(item.name))
        rel = prefix + name
        try:
            info = item.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                stack.append((_sorted_dir(item.path), rel + "/"))
                continue
        except OSError as exc:
            problem = f"cannot be read ({exc.strerror})"
            yield _Found(RawMember(rel, problem=problem, name_fallback=fallback), item.path, 0)
            continue
        if stat.S_ISLNK(info.st_mode):
            member = RawMember(rel, is_symlink=True, name_fallback=fallback)
        else:
            member = RawMember(rel, is_regular=stat.S_ISREG(info.st_mode), name_fallback=fallback)
        yield _Found(member, item.path, info.st_size)


def _sorted_dir(path: str) -> Iterator[os.DirEntry[str]]:
    with os.scandir(path) as listing:
        return iter(sorted(listing, key=lambda e: e.name))
