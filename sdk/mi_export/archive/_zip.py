"""ZIP archives: AES (WinZip AE-1/AE-2), ZipCrypto or plain, ZIP64 included."""

from __future__ import annotations

import os
from contextlib import AbstractContextManager
from typing import BinaryIO, Literal

from mi_export.archive._base import READABLE_ROLES, Archive, Entry
from mi_export.archive._crypto import Secret
from mi_export.archive._limits import overlapping, record_bounds, size_problems, too_many_entries
from mi_export.archive._listing import (
    as_context,
    build_listing,
    describe_encryption,
    summarize_encryption,
)
from mi_export.archive._member import DamagedHeader, MemberStream
from mi_export.archive._names import Placed, RawMember, place_members
from mi_export.archive._zipformat import Directory, ZipRecord, iter_records, locate_directory
from mi_export.errors import MemberError, PasswordError
from mi_export.findings import Finding
from mi_export.limits import Limits

#: How many encrypted members (smallest first) are tried to prove the password.
MAX_PASSWORD_PROBES = 16
_PROBE_CHUNK = 1 << 20


class ZipArchive(Archive):
    """A ZIP archive, read in place: nothing is ever extracted to disk."""

    kind = "zip"

    def __init__(
        self, path: str, *, password: str | bytes | None, limits: Limits, file_size: int
    ) -> None:
        super().__init__(path)
        self.archive_bytes = file_size
        self._file = os.path.abspath(path)
        self._secret = Secret(password) if password is not None else None
        with open(self._file, "rb") as handle:
            directory = locate_directory(handle, file_size)
            records, tail = _read_records(handle, directory, limits)
        placed = place_members(
            [
                RawMember(r.name, r.is_dir, r.is_symlink, name_fallback=r.name_fallback)
                for r in records
            ]
        )
        bounds = record_bounds(records, directory.start)
        _refuse_unreadable(records, placed, bounds, limits)
        for record, spot in zip(records, placed, strict=True):
            if record.encryption == "zipcrypto" and not record.is_dir:
                spot.findings.append(
                    Finding.make(
                        "archive.weak-encryption",
                        "protected with legacy ZipCrypto, which is easily broken",
                        file=spot.path,
                    )
                )
        methods = [r.encryption for r in records if not r.is_dir]
        self.encryption = summarize_encryption(methods)
        if self.encryption == "none":
            tail.append(Finding.make("archive.unencrypted", "the archive is not encrypted"))
        listing = build_listing(
            placed,
            [r.encryption for r in records],
            [r.file_size for r in records],
            [r.compress_size for r in records],
            tail,
        )
        self.entries, self.findings = listing.entries, listing.findings
        self._refusals = listing.refusals
        self._readable = {
            spot.path: (record, bound)
            for record, spot, bound in zip(records, placed, bounds, strict=True)
            if spot.role in READABLE_ROLES
        }
        self._check_password()

    def open_entry(self, entry: Entry) -> AbstractContextManager[BinaryIO]:
        """See :meth:`Archive.open_entry`."""
        self._check_open()
        target = self._readable.get(entry.path) if entry.role in READABLE_ROLES else None
        if target is None:
            raise self._refused(entry)
        record, bound = target
        return as_context(MemberStream(self._file, record, bound, self._secret, entry.path))

    def _check_password(self) -> None:
        """Prove the password on the smallest encrypted members (FORMAT.md §3).

        ZipCrypto's one-byte check lets about 1 password in 256 through, and then
        yields garbage; AES's two-byte verifier 1 in 65,536. A member read to its end
        with a matching CRC or HMAC is the proof. When none reads and at least one
        failed its password check, CRC or HMAC, the password is wrong (or those
        members are all damaged). Members whose headers are damaged, or refused for
        inflating past their size, prove nothing: when only such members were met,
        the archive opens and they fail one by one when read.
        """
        encrypted = sorted(
            (record.compress_size, path)
            for path, (record, _) in self._readable.items()
            if record.encryption != "none"
        )
        if not encrypted:
            return
        methods = describe_encryption(self._readable[p][0].encryption for _, p in encrypted)
        if self._secret is None:
            raise PasswordError(
                "archive.password-required",
                f"the archive is encrypted ({methods}) and no password was given",
                path=self.path,
            )
        verdicts = set()
        for _, path in encrypted[:MAX_PASSWORD_PROBES]:
            verdict = self._probe(path)
            if verdict == "right":
                return
            verdicts.add(verdict)
        if "wrong" not in verdicts:
            return
        raise PasswordError(
            "archive.wrong-password",
            f"the password does not open this archive ({methods}): no encrypted member "
            f"reads correctly with it (wrong password, or the archive is damaged)",
            path=self.path,
        )

    def _probe(self, path: str) -> Literal["right", "wrong", "unknown"]:
        """Read one member to its end and say what it tells about the password."""
        record, bound = self._readable[path]
        try:
            with MemberStream(self._file, record, bound, self._secret, path) as stream:
                while stream.read1(_PROBE_CHUNK):
                    pass
        except DamagedHeader:
            return "unknown"
        except MemberError as exc:
            return "unknown" if exc.code == "archive.limits" else "wrong"
        return "right"


def _read_records(
    handle: BinaryIO, directory: Directory, limits: Limits
) -> tuple[list[ZipRecord], list[Finding]]:
    """The first ``max_entries`` records, and a finding when there are more."""
    records: list[ZipRecord] = []
    for record in iter_records(handle, directory):
        if len(records) == limits.max_entries:
            count = max(directory.count, limits.max_entries + 1)
            return records, [too_many_entries(count, limits, record.name)]
        records.append(record)
    return records, []


def _refuse_unreadable(
    records: list[ZipRecord], placed: list[Placed], bounds: list[int], limits: Limits
) -> None:
    """Refuse members that cannot or must not be read: unsupported, bombs."""
    for record, spot in zip(records, placed, strict=True):
        reason = record.unsupported
        if spot.role in READABLE_ROLES and reason is not None:
            spot.refuse("skipped", "archive.unsupported", f"member {reason}")
    overlaps = overlapping(records, bounds)
    for i in sorted(overlaps):
        if placed[i].role in READABLE_ROLES:
            placed[i].refuse(
                "skipped", "archive.limits", "its data overlaps another member's (zip bomb?)"
            )
    readable = [
        (i, r.file_size, r.compress_size)
        for i, (r, p) in enumerate(zip(records, placed, strict=True))
        if p.role in READABLE_ROLES
    ]
    for i, message in size_problems(readable, limits).items():
        placed[i].refuse("skipped", "archive.limits", message)
