"""The vocabulary of table definitions: field kinds, fields, shapes and tables.

These classes only describe; the JSON Schemas (:mod:`mi_export.schema`), the pydantic
models (:mod:`mi_export.models`), the docs and the validator's record checks are all
derived from the instances in :mod:`mi_export.tables.definitions`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(str, Enum):
    """What a field holds (FORMAT.md §2)."""

    ID = "id"  # 1-20 decimal digits as a string
    TIME = "time"  # epoch ms, 0 = unset, < 2100-01-01
    INSTANT = "instant"  # epoch ms, any instant from year 1 to 2100 (dtstart, dtend)
    STRING = "string"
    NONEMPTY = "nonempty"  # free non-empty string (device ids, labels)
    BYTES = "bytes"  # integer >= 0
    INTEGER = "integer"
    NUMBER = "number"
    BOOLEAN = "boolean"
    ENUM = "enum"  # closed list, or open when Field.open_enum
    ARRAY = "array"
    OBJECT = "object"  # a plain JSON object of a shape
    CONTENT = "content"  # object-or-JSON-string, of a shape or any object


MIN_INSTANT_MS = -62135596800000  # 0001-01-01T00:00:00Z
TIME_LIMIT_MS = 4102444800000  # 2100-01-01T00:00:00Z, exclusive
SECONDS_BELOW_MS = 100_000_000_000  # 1..99,999,999,999 is almost surely seconds
ID_PATTERN = r"^[0-9]{1,20}$"
MAX_SAFE_ID = 2**53


@dataclass(frozen=True)
class Field:
    """One field of a record or of a content shape."""

    name: str
    kind: Kind
    description: str
    required: bool = True
    enum: tuple[str, ...] = ()
    open_enum: bool = False  # "or a custom label": any non-empty string
    int_aliases: tuple[int, ...] = ()  # integers accepted for an enum, with field.coerced
    pattern: str | None = None
    format_name: str | None = None  # human name of the pattern, for messages and docs
    minimum: float | None = None
    maximum: float | None = None
    items: Field | None = None  # for ARRAY
    shape: Shape | None = None  # for OBJECT, CONTENT (None: any object), ARRAY of objects
    example: object = None


@dataclass(frozen=True)
class Shape:
    """A named object shape (content shapes, nested objects)."""

    name: str
    description: str
    fields: tuple[Field, ...]

    def field_map(self) -> dict[str, Field]:
        """Fields by name."""
        return {f.name: f for f in self.fields}


@dataclass(frozen=True)
class Table:
    """An exportable table: its record shape and rules."""

    name: str
    service: str
    description: str
    fields: tuple[Field, ...]
    metadata: bool = False
    #: fields whose values together identify a record (id.duplicate); empty: no rule
    key: tuple[str, ...] = ("id",)
    schema_version: str = "1.0"
    example: dict[str, object] = field(default_factory=dict)

    def field_map(self) -> dict[str, Field]:
        """Fields by name."""
        return {f.name: f for f in self.fields}
