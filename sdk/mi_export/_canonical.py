"""Canonical forms the writer applies to valid records, and its one extra rule (private).

A record that passed validation may still use an accepted alternative form that the
validator warns about: an id written as a JSON number (``id.numeric``) or an enum
written as one of its integer aliases, such as ``folder: 0`` (``field.coerced``), also
in the form ``42.0``. The writer writes the canonical string instead (``"42"``,
``"0"``): exact, since Python ints are. Everything else is written as given: in
particular content held as a JSON string stays a string, and numbers keep their exact
form. Which fields to visit is worked out once per table from the definitions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from typing import Any

from mi_export.findings import Finding
from mi_export.tables import TABLES, Field, Kind, Shape


def _needs_visit(field: Field) -> bool:
    if field.kind is Kind.ID or field.int_aliases:
        return True
    if field.items is not None and _needs_visit(field.items):
        return True
    return field.shape is not None and bool(_visited_fields(field.shape))


_SHAPE_FIELDS: dict[str, tuple[Field, ...]] = {}


def _visited_fields(shape: Shape) -> tuple[Field, ...]:
    # Keyed by name: definitions hold unhashable examples, so no functools.cache here.
    fields = _SHAPE_FIELDS.get(shape.name)
    if fields is None:
        fields = _SHAPE_FIELDS[shape.name] = tuple(f for f in shape.fields if _needs_visit(f))
    return fields


@cache
def _table_fields(table: str) -> tuple[Field, ...]:
    return tuple(f for f in TABLES[table].fields if _needs_visit(f))


def _canonical(value: Any, field: Field) -> Any:
    kind = type(value)  # exact types first: this runs for every visited field of every record
    if kind is str:
        return value  # JSON-string content included: it is written as given
    if kind is int:  # not bool, whose type is bool
        return str(value) if field.kind is Kind.ID or value in field.int_aliases else value
    if kind is float or kind is Decimal:  # 7.0 is the integer 7 (an accepted form)
        if value.is_finite() if kind is Decimal else math.isfinite(value):
            integral = int(value)
            if integral == value and (field.kind is Kind.ID or integral in field.int_aliases):
                return str(integral)
        return value
    if field.shape is not None and (kind is dict or isinstance(value, Mapping)):
        return _canonical_object(value, _visited_fields(field.shape))
    if field.items is not None and (kind is list or kind is tuple):
        return [_canonical(item, field.items) for item in value]
    return value


def _canonical_object(value: Mapping[str, Any], fields: tuple[Field, ...]) -> Any:
    out = None
    for field in fields:
        if field.name in value:
            old = value[field.name]
            new = _canonical(old, field)
            if new is not old:
                if out is None:
                    out = dict(value)
                out[field.name] = new
    return value if out is None else out


def canonical_record(table: str, record: Any) -> Any:
    """``record`` with ids as strings and enum aliases as their strings (a copy if changed)."""
    fields = _table_fields(table)
    if not fields or not isinstance(record, Mapping):
        return record
    return _canonical_object(record, fields)


@cache
def _event_fields(table: str) -> tuple[str, ...]:
    return tuple(
        f.name
        for f in TABLES[table].fields
        if f.kind is Kind.CONTENT
        and f.shape is not None
        and {"dtstart", "dtend"} <= set(f.shape.field_map())
    )


def event_order_findings(table: str, record: Any) -> list[Finding]:
    """``time.order`` when an event ends before it starts (a rule the models lack).

    Only called on records the model accepted, so content strings hold valid JSON
    objects with integral times.
    """
    findings = []
    for name in _event_fields(table):
        event = record.get(name)
        if event is None:
            continue
        if isinstance(event, str):
            event = json.loads(event)
        if event["dtend"] < event["dtstart"]:
            findings.append(
                Finding.make("time.order", "dtend is before dtstart", pointer=f"/{name}/dtend")
            )
    return findings
