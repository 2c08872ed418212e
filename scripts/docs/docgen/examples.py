"""Example records for the reference pages.

A table's own ``Table.example`` wins when the definitions give one; then the richest
record of the sample fixture (``scripts/fixture_records.py``, the records of
``fixtures/sample-export.zip``), so that a reader finds the same record in the sample;
otherwise one built from the definitions: every field (required and optional) gets a
plausible value by its name and kind, arrays get one item, content fields are objects.
Shape examples are always built. Each table example is checked against the table's
JSON Schema before it is published, so the docs never show an invalid record.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from docgen.common import ROOT
from mi_export.schema import schema_validator
from mi_export.tables import Field, Kind, Shape, Table

sys.path.insert(0, str(ROOT / "scripts"))
from fixture_records import TABLE_RECORDS

#: 2025-12-01T00:00:00Z, the reference moment of the examples.
NOW = 1764547200000
DAY = 86_400_000

_TIMES = {
    "createTime": NOW - 365 * DAY,
    "updateTime": NOW,
    "localTime": NOW - 3_600_000,
    "date": NOW - 7_200_000,
    "infoTime": NOW - 600_000,
    "dtstart": NOW + 9 * 3_600_000,
    "dtend": NOW + 10 * 3_600_000,
}
_IDS = {
    "id": "27182818284590452",
    "threadId": "31415926535897932",
    "parentId": "16180339887498948",
    "value": "14142135623730950",
}
# Strings by (shape, field) first, then by field name.
_STRINGS: dict[str, str] = {
    "Bookmark.title": "Xiaomi Global",
    "Bookmark.url": "https://www.mi.com/global/",
    "Event.title": "家庭聚餐 🍜",
    "Event.description": "Dinner with the family.",
    "LockContent.content": "This phone is lost. Please call me.",
    "NoteHistory.content": "<text>Buy rice and tea</text>",
    "Contact.note": "Met at the 2024 conference.",
    "Email.value": "xiaoming@example.com",
    "InstantMessaging.value": "xiaoming_wx",
    "Website.value": "https://xiaoming.example.com",
    "PhoneNumber.value": "+86 138 0013 8000",
    "Name.formatted": "王小明",
    "Name.givenName": "小明",
    "Name.familyName": "王",
    "Email.type": "home",
    "InstantMessaging.type": "wechat",
    "Website.type": "homepage",
    "Address.type": "home",
    "Address.formatted": "Herengracht 1, 1015 BA Amsterdam, Netherlands",
    "Address.street": "Herengracht 1",
    "Address.city": "Amsterdam",
    "Address.region": "Noord-Holland",
    "Address.postalCode": "1015 BA",
    "Address.country": "NL",
    "Organization.company": "Example B.V.",
    "Organization.title": "Engineer",
    "PhoneInfo.model": "Xiaomi 14",
    "PhoneInfo.imei": "860000000000001",
    "PhoneInfo.phone": "+31 6 12345678",
    "PhoneInfo.version": "HyperOS 2.0",
    "PhoneInfo.deviceType": "phone",
    "displayName": "王小明",
    "nickname": "小明",
    "address": "+86 138 0013 8000",
    "body": "晚上八点见 🙂",
    "number": "+31 20 123 4567",
    "name": "王小明",
    "phone": "+31 6 12345678",
    "eventLocation": "Amsterdam",
}
_PATTERNS = {
    "URI": "https://cloud.example.com/file/27182818284590452",
    "SHA-1 hex": "2fd4e1c67a2d28fced849ee1bb76e7391b93eb12",
    "Android package name": "com.example.notes",
    "date": "--05-17",
    "IANA time zone": "Europe/Amsterdam",
    "RFC 5545 RRULE": "FREQ=WEEKLY;BYDAY=MO",
}
_NUMBERS: dict[str, int | float] = {
    "latitude": 52.3676,
    "longitude": 4.9041,
    "accuracy": 20.0,
    "powerLevel": 76,
    "duration": 65,
    "position": 0,
    "item": 15,
}
#: Optional fields left out of the examples, to keep them short.
_OMITTED = frozenset({"Name.middleName", "Name.prefix", "Name.suffix"})
_FALSE = frozenset({"isFolder", "allDay"})
def example_record(table: Table) -> dict[str, Any]:
    """A valid example record of ``table`` (checked against its JSON Schema)."""
    if table.example:
        record = dict(table.example)
    elif table.name in TABLE_RECORDS:
        record = max(TABLE_RECORDS[table.name](), key=_richness)
    else:
        record = _object(table.name, table.fields)
    errors = sorted(e.message for e in schema_validator(table.name).iter_errors(record))
    if errors:
        raise ValueError(f"example record of {table.name} is invalid: {errors}")
    return record


def from_sample(table: Table) -> bool:
    """Whether the example of ``table`` is a record of the sample fixture."""
    return not table.example and table.name in TABLE_RECORDS


def _richness(record: dict[str, Any]) -> int:
    """How much a record shows: the length of its JSON text (first one wins a tie)."""
    return len(json.dumps(record, ensure_ascii=False))


def _object(owner: str, fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        f.name: _value(owner, f)
        for f in fields
        if f.required or f"{owner}.{f.name}" not in _OMITTED
    }


def _value(owner: str, field: Field) -> Any:
    if field.example is not None:
        return field.example
    kind = field.kind
    if kind in (Kind.OBJECT, Kind.CONTENT):
        if field.shape is None:
            return {"key": "value"}
        return _object(field.shape.name, field.shape.fields)
    if kind is Kind.ARRAY:
        assert field.items is not None
        item = field.items
        return [_value(item.shape.name if item.shape else owner, item)]
    return _scalar(owner, field)


def _scalar(owner: str, field: Field) -> Any:
    kind, name = field.kind, field.name
    if kind is Kind.ID:
        return _IDS.get(name, _IDS["id"])
    if kind in (Kind.TIME, Kind.INSTANT):
        return _TIMES.get(name, 0)
    if kind is Kind.BOOLEAN:
        return name not in _FALSE
    if kind is Kind.BYTES:
        return 1_048_576
    if kind in (Kind.INTEGER, Kind.NUMBER):
        return _NUMBERS.get(name, 1)
    if kind is Kind.ENUM:
        return field.enum[0]
    if field.format_name is not None:
        return _STRINGS.get(f"{owner}.{name}", _PATTERNS[field.format_name])
    return _STRINGS.get(f"{owner}.{name}", _STRINGS.get(name, f"example {name}"))


def shape_example(shape: Shape) -> dict[str, Any]:
    """An example object of a content shape (every field present)."""
    return _object(shape.name, shape.fields)
