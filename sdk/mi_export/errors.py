"""Exceptions: raised only when work cannot proceed. Data problems are findings.

::

    MiExportError
    ├── ArchiveError           the archive cannot be opened or read at all (has a code)
    │   └── PasswordError      password required or wrong
    ├── MemberError            one member cannot be read (integrity, limits)
    ├── DataError              the SDK reader met invalid data (carries the Finding)
    ├── RecordValidationError  the writer refused a record (carries the findings)
    └── WriterError            the writer cannot go on (output exists, bad table...)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mi_export.findings import Finding


class MiExportError(Exception):
    """Base class of every exception raised by mi_export."""


class ArchiveError(MiExportError):
    """The archive cannot be opened or read at all; ``code`` is an ``archive.*`` code."""

    def __init__(self, code: str, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path


class PasswordError(ArchiveError):
    """``archive.password-required`` or ``archive.wrong-password``."""


class MemberError(MiExportError):
    """One member cannot be read to the end (``archive.integrity`` or ``archive.limits``)."""

    def __init__(self, code: str, message: str, *, member: str) -> None:
        super().__init__(f"{member}: {message}")
        self.code = code
        self.message = message
        self.member = member


class DataError(MiExportError):
    """The SDK reader met data it cannot return (syntax, encoding, limits...)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(f"{finding.code}: {finding.message}")
        self.finding = finding


class RecordValidationError(MiExportError):
    """A record given to the writer does not follow its table's schema."""

    def __init__(self, table: str, findings: Sequence[Finding]) -> None:
        codes = ", ".join(sorted({f.code for f in findings}))
        super().__init__(f"record for table {table!r} is invalid ({codes})")
        self.table = table
        self.findings = tuple(findings)


class WriterError(MiExportError):
    """The writer cannot go on (output exists, unknown table, closed writer...)."""
