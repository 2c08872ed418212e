"""Record checks compiled from the table definitions (FORMAT.md §2, §4).

Each :class:`~mi_export.tables.Field` becomes a small function ``check(value)`` that
returns ``None`` when the value is right (the hot path allocates nothing) or a list of
problems ``(code, message, relative pointer, value)``. Compilation happens once per
process; the record loop only calls the compiled functions.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from mi_export.jsonscan.embedded import decode_embedded
from mi_export.limits import Limits
from mi_export.schema._values import MAX_INTEGER_DIGITS, compile_pattern
from mi_export.tables import TIME_SEQUENCE, Field, Kind, Shape
from mi_export.tables._spec import MAX_SAFE_ID, MIN_INSTANT_MS, SECONDS_BELOW_MS, TIME_LIMIT_MS
from mi_export.tables.formats import FORMAT_CHECKS

Problem = tuple[str, str, str, Any]  # code, message, pointer relative to the field, value
Problems = list[Problem] | None
Checker = Callable[[Any], Problems]

_JSON_TYPE = {
    str: "string",
    bool: "boolean",
    int: "integer",
    Decimal: "number",
    dict: "object",
    list: "array",
    type(None): "null",
}


def json_type(value: Any) -> str:
    """The JSON type name of a decoded value."""
    return _JSON_TYPE.get(type(value), "value")


def as_integer(value: Any) -> int | None:
    """The value as an int when it is a JSON integer (5000.0 counts), else None.

    As in the schemas (:func:`mi_export.schema._values.is_json_integer`), an integral
    Decimal of more than ``MAX_INTEGER_DIGITS`` digits is not an integer: ``1E+99999999``
    is 11 bytes of JSON, and expanding it into an int would take hours.
    """
    kind = type(value)
    if kind is int:
        return value  # type: ignore[no-any-return]
    if kind is Decimal and value.is_finite() and value == value.to_integral_value():
        if value.is_zero():
            return 0
        return int(value) if value.adjusted() < MAX_INTEGER_DIGITS else None
    return None


def _wrong(expected: str, value: Any) -> Problems:
    if type(value) is Decimal and value.is_finite() and value.adjusted() >= MAX_INTEGER_DIGITS:
        # 1e999999 has no fraction but is no usable integer: out of range, not a type error
        return [("field.range", "number out of range", "", value)]
    return [("field.type", f"expected {expected}, got {json_type(value)}", "", value)]


class FieldCompiler:
    """Turns field definitions into checker functions (one compiler per limits)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    def field(self, spec: Field, depth: int) -> Checker:
        """The checker of one field whose value sits at nesting level ``depth``."""
        kind = spec.kind
        if kind is Kind.ID:
            return _check_id
        if kind is Kind.TIME:
            return _check_time
        if kind is Kind.INSTANT:
            return _check_instant
        if kind is Kind.ENUM:
            return _enum_checker(spec)
        if kind in (Kind.STRING, Kind.NONEMPTY):
            return _string_checker(spec)
        if kind in (Kind.BYTES, Kind.INTEGER):
            return _integer_checker(spec)
        if kind is Kind.NUMBER:
            return _number_checker(spec)
        if kind is Kind.BOOLEAN:
            return _check_boolean
        if kind is Kind.ARRAY:
            assert spec.items is not None
            return _array_checker(self.field(spec.items, depth + 1))
        if kind is Kind.OBJECT:
            assert spec.shape is not None
            return _object_checker(self.shape(spec.shape, depth))
        return self._content(spec, depth)

    def shape(
        self, shape: Shape | None, depth: int, fields: tuple[Field, ...] | None = None
    ) -> Callable[[dict[str, Any]], Problems]:
        """The checker of an object of ``shape`` (or of ``fields``) at level ``depth``."""
        specs = fields if fields is not None else (shape.fields if shape else ())
        plan = tuple((f.name, f.required, self.field(f, depth + 1)) for f in specs)
        known = frozenset(f.name for f in specs)
        sequence = tuple((a, b, z) for a, b, z in TIME_SEQUENCE if a in known and b in known)
        event = "dtstart" in known and "dtend" in known

        def check_shape(obj: dict[str, Any]) -> Problems:
            problems: Problems = None
            for name, required, check in plan:
                value = obj.get(name, _ABSENT)
                if value is _ABSENT:
                    if required:
                        problems = problems or []
                        problems.append(
                            (
                                "field.required",
                                "required field is missing",
                                "/" + _escape(name),
                                None,
                            )
                        )
                    continue
                found = check(value)
                if found:
                    problems = problems or []
                    problems.extend(_nest(name, found))
            if len(obj) > len(known) or not known.issuperset(obj):
                problems = problems or []
                problems.extend(
                    ("field.unknown", "field not defined by format v1", "/" + _escape(key), None)
                    for key in obj
                    if key not in known
                )
            if sequence or event:
                problems = _time_rules(obj, sequence, event, problems)
            return problems

        return check_shape

    def _content(self, spec: Field, depth: int) -> Checker:
        check_object: Callable[[dict[str, Any]], Problems] = (
            self.shape(spec.shape, depth) if spec.shape is not None else _any_object
        )
        limits = self.limits

        def check_content(value: Any) -> Problems:
            if type(value) is dict:
                return check_object(value)
            if type(value) is not str:
                return _wrong("an object or a string holding a JSON object", value)
            decoded, problems, error = decode_embedded(value, "", depth, limits)
            if error is not None:
                return [
                    ("content.invalid", f"content string is not valid JSON: {error}", "", value)
                ]
            if type(decoded) is not dict:
                return [
                    (
                        "content.invalid",
                        f"content string holds JSON {json_type(decoded)}, not an object",
                        "",
                        value,
                    )
                ]
            found = list(problems)
            if all(code == "json.duplicate-key" or code.startswith("text.") for code, *_ in found):
                found.extend(check_object(decoded) or ())
            return found or None

        return check_content


_ABSENT: Any = object()


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _nest(name: str, problems: list[Problem]) -> list[Problem]:
    prefix = "/" + _escape(name)
    return [(code, message, prefix + where, value) for code, message, where, value in problems]


def _any_object(obj: dict[str, Any]) -> Problems:
    return None


def _check_id(value: Any) -> Problems:
    if type(value) is str:
        if 0 < len(value) <= 20 and value.isascii() and value.isdigit():
            return None
        return [("field.format", "id must be 1 to 20 decimal digits", "", value)]
    number = as_integer(value) if type(value) is not bool else None
    if number is None:
        return _wrong("an id (string of digits)", value)
    if number < 0:
        return [("field.format", "id must be 1 to 20 decimal digits", "", value)]
    if number > MAX_SAFE_ID:
        return [
            (
                "id.precision",
                "numeric id above 2^53: it may already be corrupted; write ids as strings",
                "",
                value,
            )
        ]
    return [("id.numeric", "id written as a JSON number; write it as a string", "", value)]


def _check_time(value: Any) -> Problems:
    number = as_integer(value) if type(value) is not bool else None
    if number is None:
        return _wrong("integer (epoch milliseconds)", value)
    if number == 0:
        return None
    if number < 0 or number >= TIME_LIMIT_MS:
        return [
            (
                "time.range",
                "time must be from 0 to before 2100-01-01 (epoch milliseconds)",
                "",
                value,
            )
        ]
    if number < SECONDS_BELOW_MS:
        return [
            (
                "time.seconds",
                "time looks like seconds, not milliseconds (kept as written)",
                "",
                value,
            )
        ]
    return None


def _check_instant(value: Any) -> Problems:
    number = as_integer(value) if type(value) is not bool else None
    if number is None:
        return _wrong("integer (epoch milliseconds)", value)
    if MIN_INSTANT_MS <= number < TIME_LIMIT_MS:
        return None
    return [("time.range", "instant must be from year 1 to before 2100", "", value)]


def _check_boolean(value: Any) -> Problems:
    return None if type(value) is bool else _wrong("boolean", value)


def _enum_checker(spec: Field) -> Checker:
    allowed = frozenset(spec.enum)
    aliases = frozenset(spec.int_aliases)
    listed = ", ".join(spec.enum)

    def check_enum(value: Any) -> Problems:
        if type(value) is str:
            if value in allowed or (spec.open_enum and value):
                return None
            if spec.open_enum:
                return [("field.range", "label must not be empty", "", value)]
            return [("field.enum", f"value not allowed (allowed: {listed})", "", value)]
        # 1.0 is the integer 1 (FORMAT.md §2), accepted like it, as the schemas do
        number = as_integer(value) if aliases and type(value) is not bool else None
        if number is not None and number in aliases:
            return [
                (
                    "field.coerced",
                    f"integer accepted for a string value; write {str(number)!r}",
                    "",
                    value,
                )
            ]
        return _wrong("string", value)

    return check_enum


def _string_checker(spec: Field) -> Checker:
    # ECMA-262 anchors, as in the schemas: Python's $ would accept a final newline
    pattern = compile_pattern(spec.pattern).search if spec.pattern else None
    nonempty = spec.kind is Kind.NONEMPTY
    fmt = spec.format_name or "the required format"
    extra = FORMAT_CHECKS.get(spec.format_name or "")

    def check_string(value: Any) -> Problems:
        if type(value) is not str:
            return _wrong("string", value)
        if nonempty and not value:
            return [("field.range", "string must not be empty", "", value)]
        if pattern is not None and pattern(value) is None:
            return [("field.format", f"not a valid {fmt}", "", value)]
        if extra is not None and not extra(value):
            return [("field.format", f"not a valid {fmt}", "", value)]
        return None

    return check_string


def _range_problem(number: Any, spec: Field) -> Problems:
    if spec.minimum is not None and number < spec.minimum:
        return [("field.range", f"must be >= {spec.minimum:g}", "", number)]
    if spec.maximum is not None and number > spec.maximum:
        return [("field.range", f"must be <= {spec.maximum:g}", "", number)]
    return None


def _integer_checker(spec: Field) -> Checker:
    bounded = spec.minimum is not None or spec.maximum is not None

    def check_integer(value: Any) -> Problems:
        if type(value) is int:
            number = value
        else:
            converted = as_integer(value) if type(value) is not bool else None
            if converted is None:
                return _wrong("integer", value)
            number = converted
        return _range_problem(number, spec) if bounded else None

    return check_integer


def _number_checker(spec: Field) -> Checker:
    def check_number(value: Any) -> Problems:
        if type(value) not in (int, Decimal):
            return _wrong("number", value)
        return _range_problem(value, spec)

    return check_number


def _array_checker(item: Checker) -> Checker:
    def check_array(value: Any) -> Problems:
        if type(value) is not list:
            return _wrong("array", value)
        problems: Problems = None
        for index, element in enumerate(value):
            found = item(element)
            if found:
                problems = problems or []
                problems.extend((c, m, f"/{index}{w}", v) for c, m, w, v in found)
        return problems

    return check_array


def _object_checker(check_shape: Callable[[dict[str, Any]], Problems]) -> Checker:
    def check_object(value: Any) -> Problems:
        if type(value) is not dict:
            return _wrong("object", value)
        return check_shape(value)

    return check_object


def _time_rules(
    obj: dict[str, Any],
    sequence: tuple[tuple[str, str, bool], ...],
    event: bool,
    problems: Problems,
) -> Problems:
    for earlier, later, zero_means_unset in sequence:
        first, second = as_integer(obj.get(earlier)), as_integer(obj.get(later))
        if first is None or second is None or type(obj.get(earlier)) is bool:
            continue
        if zero_means_unset and second == 0:
            continue
        if first and second and first > second:
            problems = problems or []
            problems.append(("time.sequence", f"{earlier} is after {later}", "/" + later, None))
    if event:
        start, end = as_integer(obj.get("dtstart")), as_integer(obj.get("dtend"))
        if start is not None and end is not None and end < start:
            problems = problems or []
            problems.append(("time.order", "dtend is before dtstart", "/dtend", None))
    return problems
