"""Findings: data problems as values, never exceptions.

A :class:`Finding` has a stable ``code`` from :mod:`mi_export.codes`, a severity, a
message that never quotes record values (unless the caller asked for values, in
``value``) and a location. Keys that do not apply are ``None`` here and are left out
of :meth:`Finding.to_dict`, never written as ``null``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from mi_export.codes import Severity, severity_of

MAX_VALUE_CHARS = 300


@dataclass(frozen=True)
class Location:
    """Where a finding lies: file, table, record index and JSON pointer."""

    file: str | None = None
    table: str | None = None
    index: int | None = None
    pointer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The location as a JSON-ready dict without empty keys."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Finding:
    """One problem found in an archive."""

    code: str
    message: str
    severity: Severity = field(default="error")
    file: str | None = None
    table: str | None = None
    index: int | None = None
    pointer: str | None = None
    offset: int | None = None
    line: int | None = None
    column: int | None = None
    related: tuple[Location, ...] = ()
    value: str | None = None

    @classmethod
    def make(cls, code: str, message: str, **where: Any) -> Finding:
        """Build a finding with the catalogue severity of ``code``."""
        return cls(code=code, message=message, severity=severity_of(code), **where)

    def located(self, **where: Any) -> Finding:
        """A copy with location keys filled in (those not already set)."""
        missing = {k: v for k, v in where.items() if getattr(self, k) is None}
        return replace(self, **missing) if missing else self

    def to_dict(self) -> dict[str, Any]:
        """The finding as a JSON-ready dict (FORMAT.md §6): no ``null`` keys."""
        out: dict[str, Any] = {"code": self.code, "severity": self.severity}
        for key in ("file", "table", "index", "pointer", "offset", "line", "column"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["message"] = self.message
        if self.related:
            out["related"] = [loc.to_dict() for loc in self.related]
        if self.value is not None:
            out["value"] = self.value
        return out


def shown_value(value: Any) -> str:
    """Render a record value for ``--show-values`` output, cut to a few hundred chars."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > MAX_VALUE_CHARS:
        return text[:MAX_VALUE_CHARS] + "…"
    return text


def escape_pointer_token(token: str | int) -> str:
    """Escape one RFC 6901 reference token."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer_join(base: str, token: str | int) -> str:
    """Append one token to a JSON pointer."""
    return f"{base}/{escape_pointer_token(token)}"
