"""Base classes of the models and the field rules that the generated models use.

Every field of a generated model is annotated ``Annotated[T, rule("owner.field")]``:
:func:`rule` reads that field's definition from :mod:`mi_export.tables.definitions` and
returns the pydantic validator that enforces it, with the same semantics as the JSON
Schema (strict JSON types, integral floats and decimals as integers, ids as digit strings
or integers up to 2^53, object-or-JSON-string content, closed and open enums, patterns,
ranges). Rules are built once, when the model classes are created.

Validation errors carry a finding code as their pydantic error type (``field.type``,
``field.range``...) and a message that never quotes the value.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, ClassVar, NoReturn

from pydantic import BaseModel, BeforeValidator, ConfigDict, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from mi_export.schema._documents import all_shapes
from mi_export.schema._values import (
    ContentError,
    as_int,
    decode_json_object,
    is_json_integer,
    is_json_number,
    matches,
)
from mi_export.tables import SHAPES, TABLES, Field, Kind, Shape, Table
from mi_export.tables._spec import MAX_SAFE_ID
from mi_export.tables.formats import FORMAT_CHECKS

Check = Callable[[Any], Any]


def fail(code: str, message: str) -> NoReturn:
    """Raise a pydantic error whose type is the finding ``code``."""
    raise PydanticCustomError(code, message)


def _require_object(data: Any, code: str) -> Any:
    if isinstance(data, (dict, BaseModel)):
        return data
    fail(code, "expected an object")


class _JsonObject(BaseModel):
    """A JSON object whose unknown fields are allowed and kept (``model_extra``)."""

    model_config = ConfigDict(extra="allow")

    #: The error code when the value is not an object at all.
    not_object_code: ClassVar[str] = "field.type"

    @model_validator(mode="before")
    @classmethod
    def _json_object(cls, data: Any) -> Any:
        return _require_object(data, cls.not_object_code)


class Record(_JsonObject):
    """Base class of the record models, one per table (see :data:`MODELS`).

    Fields that format v1 does not define are allowed and kept (``model_extra``).
    Optional fields that are absent read as ``None``; an explicit ``null`` is refused,
    as in the JSON Schema. Dump with ``exclude_unset=True`` to write back what was read.
    """

    not_object_code: ClassVar[str] = "record.type"

    #: The table this model describes.
    table_name: ClassVar[str]

    @classmethod
    def definition(cls) -> Table:
        """The table definition this model was generated from."""
        return TABLES[cls.table_name]


class ShapeModel(_JsonObject):
    """Base class of content shapes and nested objects (see :data:`SHAPE_MODELS`).

    Unknown fields are allowed and kept, as in :class:`Record`.
    """

    #: The shape this model describes.
    shape_name: ClassVar[str]

    @classmethod
    def definition(cls) -> Shape:
        """The shape definition this model was generated from."""
        return SHAPES[cls.shape_name]


# --- leaf checks: each returns the normalised value or raises ---------------------------


def _show(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _bounds(field: Field) -> str:
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        return f"from {_show(low)} to {_show(high)}"
    return f"at least {_show(low)}" if low is not None else f"at most {_show(high or 0)}"


def _in_range(field: Field, value: int | float | Decimal) -> bool:
    low, high = field.minimum, field.maximum
    return (low is None or value >= low) and (high is None or value <= high)


def _integer_check(field: Field) -> Check:
    is_time = field.kind in (Kind.TIME, Kind.INSTANT)
    what = "an integer (epoch milliseconds)" if is_time else "an integer"
    code = "time.range" if is_time else "field.range"

    def check(value: Any) -> int:
        if not is_json_integer(value):
            fail("field.type", f"expected {what}")
        if not _in_range(field, value):
            fail(code, f"expected a value {_bounds(field)}")
        return as_int(value)

    return check


def _number_check(field: Field) -> Check:
    def check(value: Any) -> float:
        if not is_json_number(value):
            fail("field.type", "expected a number")
        if not _in_range(field, value):
            fail("field.range", f"expected a value {_bounds(field)}")
        return float(value) if isinstance(value, Decimal) else value

    return check


def _string_check(field: Field) -> Check:
    nonempty = field.kind is Kind.NONEMPTY or (field.kind is Kind.ENUM and field.open_enum)
    pattern, fmt = field.pattern, field.format_name or "required"
    extra = FORMAT_CHECKS.get(field.format_name or "")

    def check(value: Any) -> str:
        if not isinstance(value, str):
            fail("field.type", "expected a string")
        if nonempty and not value:
            fail("field.range", "expected a non-empty string")
        if pattern is not None and not matches(pattern, value):
            fail("field.format", f"does not have the {fmt} format")
        if extra is not None and not extra(value):
            fail("field.format", f"does not have the {fmt} format")
        return value

    return check


def _bool_check(field: Field) -> Check:
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            fail("field.type", "expected a boolean (true or false)")
        return value

    return check


def _enum_check(field: Field) -> Check:
    values = frozenset(field.enum)
    aliases = {alias: str(alias) for alias in field.int_aliases}
    assert set(aliases.values()) <= values, f"{field.name}: alias outside the enum"
    expected = "expected one of: " + ", ".join(field.enum)

    def check(value: Any) -> str:
        if isinstance(value, str):
            if value in values:
                return value
            fail("field.enum", expected)
        if aliases and is_json_integer(value):
            number = as_int(value)
            if number in aliases:
                return aliases[number]
            fail("field.enum", expected)
        fail("field.type", "expected a string")

    return check


def _id_check(field: Field) -> Check:
    pattern = field.pattern or r"^[0-9]{1,20}$"

    def check(value: Any) -> str:
        if isinstance(value, str):
            if not matches(pattern, value):
                fail("field.format", "expected an id: a string of 1 to 20 decimal digits")
            return value
        if not is_json_integer(value):
            fail("field.type", "expected an id: a string of 1 to 20 decimal digits")
        number = as_int(value)
        if number > MAX_SAFE_ID:
            fail("id.precision", "a numeric id above 2^53 may be corrupted: write it as a string")
        if number < 0:
            fail("field.range", "expected an id: a string of 1 to 20 decimal digits")
        return str(number)

    return check


_LEAF_CHECKS: dict[Kind, Callable[[Field], Check]] = {
    Kind.ID: _id_check,
    Kind.TIME: _integer_check,
    Kind.INSTANT: _integer_check,
    Kind.BYTES: _integer_check,
    Kind.INTEGER: _integer_check,
    Kind.NUMBER: _number_check,
    Kind.STRING: _string_check,
    Kind.NONEMPTY: _string_check,
    Kind.BOOLEAN: _bool_check,
}


def leaf_check(field: Field) -> Check:
    """The check function of a field that holds a single JSON value (not an object)."""
    if field.kind is Kind.ENUM:
        return _string_check(field) if field.open_enum else _enum_check(field)
    return _LEAF_CHECKS[field.kind](field)


# --- container checks -------------------------------------------------------------------


def _require_array(value: Any) -> Any:
    if not isinstance(value, list):
        fail("field.type", "expected an array")
    return value


def _require_field_object(value: Any) -> Any:
    return _require_object(value, "field.type")


def _decode_content(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return decode_json_object(value)
        except ContentError as exc:
            fail("content.invalid", str(exc))
    if isinstance(value, (dict, ShapeModel)):
        return value
    fail("field.type", "expected an object, or a string holding one as JSON")


_CONTAINER_CHECKS: dict[Kind, Check] = {
    Kind.ARRAY: _require_array,
    Kind.OBJECT: _require_field_object,
    Kind.CONTENT: _decode_content,
}


def _lookup(path: str) -> Field:
    owner, _, name = path.partition(".")
    definition: Table | Shape = TABLES[owner] if owner in TABLES else all_shapes()[owner]
    return definition.field_map()[name]


def rule(path: str) -> PlainValidator | BeforeValidator:
    """The pydantic validator of a field, built from its definition.

    Args:
        path: ``"owner.field"``, where owner is a table name (``"sms"``) or a shape name
            (``"Message"``).

    Returns:
        A plain validator for single values; for arrays, objects and content a before
        validator, after which pydantic validates the items or the shape model.
    """
    field = _lookup(path)
    if field.kind in _CONTAINER_CHECKS:
        return BeforeValidator(_CONTAINER_CHECKS[field.kind])
    return PlainValidator(leaf_check(field))


def item_rule(path: str) -> PlainValidator:
    """The validator of the items of an array field whose items are single values."""
    items = _lookup(path).items
    assert items is not None, f"{path} is not an array"
    return PlainValidator(leaf_check(items))
