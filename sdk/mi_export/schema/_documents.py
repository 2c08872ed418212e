"""Build the JSON Schema (draft 2020-12) documents from the table definitions.

One document per table (``{table}.schema.json``) and one of shared definitions
(``defs.schema.json``: the value kinds id, time, instant, bytes, non-empty string, and
every object shape). Table documents point into the shared one with relative ``$ref``s,
resolved against the ``$id`` base.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from mi_export.tables import SHAPES, TABLES, Field, Kind, Shape, Table
from mi_export.tables._spec import ID_PATTERN, MAX_SAFE_ID, MIN_INSTANT_MS, TIME_LIMIT_MS

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_URI = "https://mi-export.org/schemas/v1/"
DEFS_FILE = "defs.schema.json"
GENERATED_NOTE = (
    "Generated from mi_export.tables.definitions by scripts/generate_schemas.py; do not edit."
)

#: Value kinds that are named in the shared document, with their canonical schema.
KIND_DEFS: dict[Kind, tuple[str, Schema]] = {
    Kind.ID: (
        "id",
        {
            "description": "An id: a string of 1-20 decimal digits. A JSON integer from 0 to "
            "2^53 is accepted (the validator warns id.numeric); a larger one may already be "
            "corrupted (id.precision).",
            "anyOf": [
                {"type": "string", "pattern": ID_PATTERN},
                {"type": "integer", "minimum": 0, "maximum": MAX_SAFE_ID},
            ],
        },
    ),
    Kind.TIME: (
        "time",
        {
            "description": "Epoch milliseconds, UTC; 0 means unset or never. Before "
            "2100-01-01T00:00:00Z.",
            "type": "integer",
            "minimum": 0,
            "maximum": TIME_LIMIT_MS - 1,
        },
    ),
    Kind.INSTANT: (
        "instant",
        {
            "description": "Epoch milliseconds, UTC, any instant from year 1 to the end of "
            "2099 (0 is 1970-01-01, not unset).",
            "type": "integer",
            "minimum": MIN_INSTANT_MS,
            "maximum": TIME_LIMIT_MS - 1,
        },
    ),
    Kind.BYTES: (
        "bytes",
        {"description": "A size in bytes.", "type": "integer", "minimum": 0},
    ),
    Kind.NONEMPTY: (
        "nonEmptyString",
        {"description": "A free non-empty string.", "type": "string", "minLength": 1},
    ),
}


def file_name(table: str) -> str:
    """The file name of a table's schema document."""
    return f"{table}.schema.json"


def schema_id(name: str) -> str:
    """The ``$id`` of a schema document, from its file name."""
    return BASE_URI + name


def _number(value: float) -> int | float:
    """Bounds are written as integers whenever they are integral."""
    return int(value) if float(value).is_integer() else value


def _range(field: Field) -> Schema:
    out: Schema = {}
    if field.minimum is not None:
        out["minimum"] = _number(field.minimum)
    if field.maximum is not None:
        out["maximum"] = _number(field.maximum)
    return out


def _enum_schema(field: Field) -> Schema:
    if field.open_enum:
        return {"type": "string", "minLength": 1, "examples": list(field.enum)}
    closed: Schema = {"type": "string", "enum": list(field.enum)}
    if not field.int_aliases:
        return closed
    return {"anyOf": [closed, {"type": "integer", "enum": list(field.int_aliases)}]}


def _leaf_schema(field: Field) -> Schema:
    """The plain keywords of a field, before shared kinds are replaced by ``$ref``s."""
    kind = field.kind
    if kind is Kind.ID:
        return KIND_DEFS[Kind.ID][1]
    if kind in (Kind.TIME, Kind.INSTANT, Kind.BYTES, Kind.INTEGER):
        return {"type": "integer", **_range(field)}
    if kind is Kind.NUMBER:
        return {"type": "number", **_range(field)}
    if kind is Kind.NONEMPTY:
        return {"type": "string", "minLength": 1}
    if kind is Kind.BOOLEAN:
        return {"type": "boolean"}
    if kind is Kind.ENUM:
        return _enum_schema(field)
    return {"type": "string"}


def _shared_kind(field: Field, ref: str) -> Schema:
    """A ``$ref`` to the shared kind, plus whatever this field adds to it."""
    name, shared = KIND_DEFS[field.kind]
    own = _leaf_schema(field)
    extra = {k: v for k, v in own.items() if shared.get(k) != v}
    return {"$ref": ref + name, **extra}


def _content_schema(shape: Shape | None, ref: str) -> Schema:
    target: Schema = {"$ref": ref + shape.name} if shape else {"type": "object"}
    as_string: Schema = {
        "type": "string",
        "contentMediaType": "application/json",
        "contentSchema": target,
    }
    return {"anyOf": [target, as_string]}


def value_schema(field: Field, ref: str) -> Schema:
    """The schema of a field's value (without its description).

    Args:
        field: The field definition.
        ref: The prefix of ``$ref``s into the shared definitions
            (``"#/$defs/"`` inside them, ``"defs.schema.json#/$defs/"`` elsewhere).
    """
    kind = field.kind
    if kind in KIND_DEFS:
        body = _shared_kind(field, ref)
    elif kind is Kind.ARRAY:
        assert field.items is not None, f"array field {field.name} has no items"
        body = {"type": "array", "items": field_schema(field.items, ref)}
    elif kind is Kind.OBJECT:
        assert field.shape is not None, f"object field {field.name} has no shape"
        body = {"$ref": ref + field.shape.name}
    elif kind is Kind.CONTENT:
        body = _content_schema(field.shape, ref)
    else:
        body = _leaf_schema(field)
    if field.pattern and kind is not Kind.ID:
        body["pattern"] = field.pattern
    return body


def field_schema(field: Field, ref: str) -> Schema:
    """The schema of a field: its description and value schema."""
    return {"description": field.description, **value_schema(field, ref)}


def object_schema(fields: Iterable[Field], ref: str) -> Schema:
    """``type``, ``required`` and ``properties`` of an object with these fields.

    Unknown properties are allowed: the validator reports them as warnings.
    """
    fields = tuple(fields)
    out: Schema = {"type": "object"}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    out["properties"] = {f.name: field_schema(f, ref) for f in fields}
    return out


def iter_shapes(fields: Iterable[Field]) -> Iterator[Shape]:
    """Every shape reachable from ``fields``, nested ones first, each once per path."""
    for field in fields:
        inner = field.items if field.kind is Kind.ARRAY else field
        if inner is not None and inner.shape is not None:
            yield from iter_shapes(inner.shape.fields)
            yield inner.shape


def all_shapes() -> dict[str, Shape]:
    """Every shape used by a table or listed in SHAPES, dependencies first, by name."""
    found: dict[str, Shape] = {}
    for table in TABLES.values():
        for shape in iter_shapes(table.fields):
            found.setdefault(shape.name, shape)
    for name, shape in SHAPES.items():
        for inner in iter_shapes(shape.fields):
            found.setdefault(inner.name, inner)
        found.setdefault(name, shape)
    return found


def schema_version() -> str:
    """The highest ``schema_version`` of the tables: the version of the shared document."""
    versions = {t.schema_version for t in TABLES.values()}
    return max(versions, key=lambda v: tuple(int(part) for part in v.split(".")))


def _header(name: str, title: str, description: str, version: str) -> Schema:
    return {
        "$schema": DRAFT,
        "$id": schema_id(name),
        "$comment": GENERATED_NOTE,
        "title": title,
        "description": description,
        "version": version,
    }


def build_definitions() -> Schema:
    """Build the shared-definitions document (``defs.schema.json``)."""
    defs: Schema = {name: schema for name, schema in KIND_DEFS.values()}
    for shape in all_shapes().values():
        defs[shape.name] = {
            "title": shape.name,
            "description": shape.description,
            **object_schema(shape.fields, "#/$defs/"),
        }
    doc = _header(
        DEFS_FILE,
        "mi-export v1 shared definitions",
        "Value kinds (id, time, instant, bytes, non-empty string) and the object shapes "
        "(content shapes and nested objects) used by the table schemas.",
        schema_version(),
    )
    return {**doc, "$defs": defs}


def build_table(table: Table) -> Schema:
    """Build the schema document of one table (a record of that table)."""
    role = "Metadata table" if table.metadata else f"Service: {table.service}"
    doc = _header(
        file_name(table.name),
        table.name,
        f"A record of table {table.name}: {table.description} {role}.",
        table.schema_version,
    )
    return {**doc, **object_schema(table.fields, DEFS_FILE + "#/$defs/")}
