"""The result of a validation, apart from how it is presented (FORMAT.md §6)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from mi_export import __version__
from mi_export.codes import FATAL_CODES
from mi_export.findings import Finding


@dataclass
class TableStats:
    """What one table holds and how many findings point at it."""

    name: str
    files: list[str] = field(default_factory=list)
    records: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "name": self.name,
            "files": list(self.files),
            "records": self.records,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
        }


@dataclass
class ArchiveInfo:
    """What the input is: kind, protection, size and entries."""

    path: str
    kind: str | None = None
    encryption: str | None = None
    bytes: int | None = None
    sha256: str | None = None
    files: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (keys that do not apply are left out)."""
        out: dict[str, Any] = {"path": self.path}
        for key in ("kind", "encryption", "bytes", "sha256"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["files"] = list(self.files)
        return out


@dataclass
class Report:
    """Everything a validation found, with counts of all findings (listed or not)."""

    archive: ArchiveInfo
    findings: list[Finding] = field(default_factory=list)
    tables: list[TableStats] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    records: int = 0
    omitted: int = 0
    seconds: float = 0.0
    truncated: bool = False
    #: every finding counted by code, listed or not (for "2 of 3,000" in text reports)
    code_counts: dict[str, int] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        """No errors (warnings and infos allowed)."""
        return self.errors == 0

    @property
    def fatal(self) -> bool:
        """The archive could not be opened or read at all."""
        return any(f.code in FATAL_CODES for f in self.findings)

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 3 unreadable (FORMAT.md §6)."""
        if self.fatal:
            return 3
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        """The JSON report of FORMAT.md §6."""
        return {
            "tool": {"name": "mi-export", "version": __version__},
            "archive": self.archive.to_dict(),
            "valid": self.valid,
            "stats": {
                "errors": self.errors,
                "warnings": self.warnings,
                "infos": self.infos,
                "tables": len(self.tables),
                "records": self.records,
                "omitted": self.omitted,
                "seconds": round(self.seconds, 3),
            },
            "tables": [t.to_dict() for t in self.tables],
            "findings": [f.to_dict() for f in self.findings],
            "truncated": self.truncated,
        }


_SURROGATES = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Text safe to write as UTF-8: lone surrogates (from undecodable file names or
    lone-surrogate data) become U+FFFD, so strict JSON readers accept the report."""
    return _SURROGATES.sub("\ufffd", text)
