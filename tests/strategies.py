"""Hypothesis strategies for records of every table, derived from the table definitions.

Public entry points:

- :func:`records` -- valid records of a table (both content forms, Chinese and emoji
  text, long digit-string ids, boundary times); the SDK round-trip tests reuse it.
- :func:`invalid_records` -- records with exactly one known fault, and where it lies.
- :func:`mutated_records` -- records with one field replaced by an arbitrary JSON value
  (valid or not).

Values are what a JSON decoder gives: dict, list, str, int, float, bool, None, and, with
``alternative_forms``, :class:`~decimal.Decimal` (what the scanner yields for ``5000.0``).
"""

from __future__ import annotations

import json
from calendar import monthrange
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from mi_export.schema._values import matches
from mi_export.tables import TABLES, Field, Kind, Shape
from mi_export.tables._spec import MAX_SAFE_ID, MIN_INSTANT_MS, SECONDS_BELOW_MS, TIME_LIMIT_MS

JSON = Any
Strategy = st.SearchStrategy

# --- text --------------------------------------------------------------------------------

_CJK_AND_EMOJI = "你好世界短信联系人备忘录日历小米云服务中国北京上海😀🎉👍🏽❤️📱🇨🇳"


def text(min_size: int = 0, max_size: int = 24) -> Strategy[str]:
    """Unicode text, often Chinese and emoji, never a lone surrogate."""
    chars = st.one_of(st.sampled_from(_CJK_AND_EMOJI), st.characters(codec="utf-8"))
    return st.text(chars, min_size=min_size, max_size=max_size)


def json_values(max_leaves: int = 6) -> Strategy[JSON]:
    """Arbitrary JSON values (finite numbers, Unicode strings, nested arrays and objects)."""
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**64), 2**64),
        st.floats(allow_nan=False, allow_infinity=False),
        text(max_size=8),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(text(max_size=6), inner, max_size=3)
        ),
        max_leaves=max_leaves,
    )


def dumps(value: JSON, ensure_ascii: bool = False) -> str:
    """JSON text of a value; Decimals are written as numbers (through float)."""
    return json.dumps(value, ensure_ascii=ensure_ascii, default=float)


# --- leaf values -------------------------------------------------------------------------

TIME_BOUNDARIES = (0, 1, SECONDS_BELOW_MS - 1, SECONDS_BELOW_MS, TIME_LIMIT_MS - 1)
INSTANT_BOUNDARIES = (MIN_INSTANT_MS, -1, 0, TIME_LIMIT_MS - 1)
_BIG_IDS = ("0", "9007199254740993", "12345678901234567", "99999999999999999999")


def digit_ids() -> Strategy[str]:
    """Ids as written by Xiaomi: digit strings, often 16-17 digits and above 2^53."""
    return st.one_of(
        st.sampled_from(_BIG_IDS),
        st.integers(10**15, 10**17 - 1).map(str),
        st.from_regex(r"[0-9]{1,20}", fullmatch=True),
    )


def _integers(
    low: float | None, high: float | None, boundaries: Sequence[int] = ()
) -> Strategy[int]:
    # unbounded fields still get 64-bit values: Decimal forms are written to JSON strings
    # through float, which must stay finite
    lo = -(2**63) if low is None else int(low)
    hi = 2**63 if high is None else int(high)
    edges = [b for b in (*boundaries, lo, hi) if lo <= b <= hi]
    return st.one_of(st.sampled_from(edges), st.integers(lo, hi))


def _integral_forms(values: Strategy[int]) -> Strategy[JSON]:
    """An integer, or the same number as a float or Decimal with a zero fraction."""
    return values.flatmap(
        lambda n: st.sampled_from(
            [n, Decimal(f"{n}.0"), Decimal(n).scaleb(0)] + ([float(n)] if abs(n) < 2**53 else [])
        )
    )


def _numbers(field: Field) -> Strategy[JSON]:
    return st.one_of(
        st.floats(field.minimum, field.maximum, allow_nan=False, allow_infinity=False),
        _integers(field.minimum, field.maximum),
    )


def _uris() -> Strategy[str]:
    scheme = st.from_regex(r"[A-Za-z][A-Za-z0-9+.\-]{0,7}", fullmatch=True)
    rest = st.text(st.characters(codec="utf-8").filter(lambda c: not c.isspace()), max_size=30)
    samples = st.sampled_from(
        ["https://cdn.cnbj1.fds.api.mi-img.com/rec/录音.mp3?t=1", "http://x.mi.com/a", "ftp:x"]
    )
    return st.one_of(samples, st.builds(lambda s, r: f"{s}:{r}", scheme, rest))


def _dates() -> Strategy[str]:
    """Real days only (FORMAT_CHECKS): year 0001-9999 or none, day within its month."""
    year = st.one_of(st.just("-"), st.integers(1, 9999).map(lambda y: f"{y:04d}"))
    return st.builds(
        lambda y, m, d: f"{y}-{m:02d}-{min(d, 29 if y == '-' else monthrange(int(y), m)[1]):02d}",
        year,
        st.integers(1, 12),
        st.integers(1, 31),
    )


def _rrules() -> Strategy[str]:
    freq = st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY"]).map(
        lambda f: f"FREQ={f}"
    )
    extra = st.sampled_from(["INTERVAL=2", "COUNT=10", "BYDAY=MO,WE,FR", "UNTIL=20301231T000000Z"])
    parts = st.tuples(freq, st.lists(extra, max_size=3, unique=True), st.booleans())
    return parts.flatmap(
        lambda p: st.permutations([p[0], *p[1]]).map(
            lambda order: ("RRULE:" if p[2] else "") + ";".join(order)
        )
    )


_FORMATS: dict[str, Callable[[], Strategy[str]]] = {
    "URI": _uris,
    "SHA-1 hex": lambda: st.from_regex(r"[0-9a-f]{40}", fullmatch=True),
    "Android package name": lambda: st.one_of(
        st.sampled_from(["com.tencent.mm", "com.xiaomi.market", "com.miui.notes"]),
        st.from_regex(
            r"[A-Za-z][A-Za-z0-9_]{0,8}(\.[A-Za-z][A-Za-z0-9_]{0,8}){1,3}", fullmatch=True
        ),
    ),
    "date": _dates,
    "IANA time zone": lambda: st.sampled_from(
        [
            "Asia/Shanghai",
            "Europe/Amsterdam",
            "UTC",
            "GMT",
            "America/Argentina/Buenos_Aires",
            "Etc/GMT+8",
        ]
    ),
    "RFC 5545 RRULE": _rrules,
}


def _patterned(field: Field) -> Strategy[str]:
    assert field.pattern is not None
    pattern = field.pattern
    make = _FORMATS.get(field.format_name or "")
    base = make() if make else st.from_regex(pattern, fullmatch=True)
    return base.filter(lambda s: matches(pattern, s))


# --- fields ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How records are drawn (see :func:`records`)."""

    content_forms: tuple[str, ...] = ("object", "string")
    alternative_forms: bool = False
    extra_fields: bool = False


def _integer_field(field: Field, options: Options) -> Strategy[JSON]:
    edges = {Kind.TIME: TIME_BOUNDARIES, Kind.INSTANT: INSTANT_BOUNDARIES}.get(field.kind, ())
    values = _integers(field.minimum, field.maximum, edges)
    return _integral_forms(values) if options.alternative_forms else values


def _id_field(options: Options) -> Strategy[JSON]:
    if not options.alternative_forms:
        return digit_ids()
    return st.one_of(digit_ids(), _integral_forms(st.integers(0, MAX_SAFE_ID)))


def _enum_field(field: Field, options: Options) -> Strategy[JSON]:
    known = st.sampled_from(field.enum)
    if field.open_enum:
        return st.one_of(known, text(min_size=1))
    if options.alternative_forms and field.int_aliases:
        return st.one_of(known, _integral_forms(st.sampled_from(field.int_aliases)))
    return known


def _string_field(field: Field) -> Strategy[JSON]:
    if field.pattern:
        return _patterned(field)
    return text(min_size=1 if field.kind is Kind.NONEMPTY else 0)


def _content_field(field: Field, options: Options) -> Strategy[JSON]:
    if field.shape is not None:
        objects = shape_objects(field.shape, options)
    else:
        objects = st.dictionaries(text(max_size=8), json_values(), max_size=4)
    forms: list[Strategy[JSON]] = []
    if "object" in options.content_forms:
        forms.append(objects)
    if "string" in options.content_forms:
        forms.append(st.builds(dumps, objects, ensure_ascii=st.booleans()))
    return st.one_of(forms)


def field_values(field: Field, options: Options = Options()) -> Strategy[JSON]:
    """Valid values of one field."""
    kind = field.kind
    if kind is Kind.ID:
        return _id_field(options)
    if kind in (Kind.TIME, Kind.INSTANT, Kind.BYTES, Kind.INTEGER):
        return _integer_field(field, options)
    if kind is Kind.NUMBER:
        return _numbers(field)
    if kind is Kind.BOOLEAN:
        return st.booleans()
    if kind is Kind.ENUM:
        return _enum_field(field, options)
    if kind is Kind.ARRAY:
        assert field.items is not None
        return st.lists(field_values(field.items, options), max_size=3)
    if kind is Kind.OBJECT:
        assert field.shape is not None
        return shape_objects(field.shape, options)
    if kind is Kind.CONTENT:
        return _content_field(field, options)
    return _string_field(field)


def _objects(fields: Sequence[Field], options: Options) -> Strategy[dict[str, JSON]]:
    required = {f.name: field_values(f, options) for f in fields if f.required}
    optional = {f.name: field_values(f, options) for f in fields if not f.required}
    if options.extra_fields:
        optional["x-extra-字段"] = json_values(max_leaves=3)
    return st.fixed_dictionaries(required, optional=optional)


def shape_objects(shape: Shape, options: Options = Options()) -> Strategy[dict[str, JSON]]:
    """Valid objects of a content shape or nested object."""
    return _objects(shape.fields, options)


def records(
    table: str,
    *,
    content_forms: Sequence[str] = ("object", "string"),
    alternative_forms: bool = False,
    extra_fields: bool = False,
) -> Strategy[dict[str, JSON]]:
    """Valid records of ``table``.

    Args:
        table: A table name of format v1.
        content_forms: Which forms content fields take: ``"object"``, ``"string"`` (the
            object as a JSON string) or both.
        alternative_forms: Also use the accepted non-canonical forms: numeric ids,
            integer ``folder``, integers written ``5000.0`` (float or Decimal). Readers
            normalise these, so round-trip tests should leave this off.
        extra_fields: Sometimes add an unknown field (allowed, kept).
    """
    options = Options(tuple(content_forms), alternative_forms, extra_fields)
    return _objects(TABLES[table].fields, options)


# --- faults ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A field inside a record: its path (keys and indexes) and definition."""

    path: tuple[str | int, ...]
    field: Field


def _targets(
    obj: dict[str, JSON], fields: Sequence[Field], prefix: tuple[str | int, ...]
) -> list[Target]:
    found: list[Target] = []
    for field in fields:
        path = (*prefix, field.name)
        if field.name not in obj:
            continue
        found.append(Target(path, field))
        value = obj[field.name]
        if field.kind in (Kind.OBJECT, Kind.CONTENT) and field.shape and isinstance(value, dict):
            found += _targets(value, field.shape.fields, path)
        if field.kind is Kind.ARRAY and field.items is not None and field.items.shape:
            for index, item in enumerate(value):
                found += _targets(item, field.items.shape.fields, (*path, index))
    return found


def targets(record: dict[str, JSON], table: str) -> list[Target]:
    """Every field present in a record whose content is in object form, nested ones too."""
    return _targets(record, TABLES[table].fields, ())


#: Values at the edges of JSON's types: integral floats and decimals, signed zeros...
EDGE_VALUES: tuple[JSON, ...] = (
    0,
    -0.0,
    1.0,
    5000.0,
    Decimal("5000.0"),
    Decimal("1E+3"),
    Decimal("0E+99999999"),
    Decimal("1E+99999999"),
    1e300,
    2**53,
    2**53 + 1,
    2**64,
    -1,
    True,
    False,
    None,
    "",
    "0",
    "1",
    " 1",
    "1.0",
    "０",
    [],
    {},
    "{}",
    "[]",
)


def _wrong_types(field: Field) -> list[JSON]:
    kind = field.kind
    if kind in (Kind.STRING, Kind.NONEMPTY, Kind.ENUM):
        wrong: list[JSON] = [5, True, None, [], {}]
        return wrong if not field.int_aliases else [True, None, [], 1.5]
    if kind in (Kind.TIME, Kind.INSTANT, Kind.BYTES, Kind.INTEGER):
        return ["5", True, False, None, 5.5, Decimal("5.5"), [5]]
    if kind is Kind.ID:
        return [True, None, 1.5, [], {}]
    if kind is Kind.NUMBER:
        return ["1.0", True, None, []]
    if kind is Kind.BOOLEAN:
        return [1, 0, "true", None]
    if kind is Kind.ARRAY:
        return [{}, "[]", 5, None]
    if kind is Kind.OBJECT:
        return [[], "{}", 5, None]
    return [5, [], None, True]  # CONTENT


def _out_of_range(field: Field) -> list[JSON]:
    kind = field.kind
    if kind is Kind.ID:
        return [MAX_SAFE_ID + 1, -1, 2**64]
    if kind in (Kind.NONEMPTY,) or (kind is Kind.ENUM and field.open_enum):
        return [""]
    values: list[JSON] = []
    if field.minimum is not None:
        values.append(int(field.minimum) - 1 if kind is not Kind.NUMBER else field.minimum - 0.5)
    if field.maximum is not None:
        values.append(int(field.maximum) + 1 if kind is not Kind.NUMBER else field.maximum + 0.5)
    return values


def _bad_formats(field: Field) -> list[JSON]:
    if field.kind is Kind.ID:
        return ["12a", "", "123456789012345678901", "123\n", "-1", "１２３"]
    if field.pattern is None:
        return []
    return [v for v in ("", "not valid ~ 中文\n", "x", "a b") if not matches(field.pattern, v)]


def faults(field: Field) -> list[tuple[str, JSON]]:
    """(fault kind, value) pairs that make a value of ``field`` invalid."""
    found = [("type", v) for v in _wrong_types(field)]
    found += [("range", v) for v in _out_of_range(field)]
    found += [("format", v) for v in _bad_formats(field)]
    if field.kind is Kind.ENUM and not field.open_enum:
        found += [("enum", v) for v in ("zzz-not-listed", "2", "NORMAL")]
        if field.int_aliases:
            found += [("enum", max(field.int_aliases) + 1), ("enum", -1)]
    if field.kind is Kind.CONTENT:
        found += [("content", v) for v in ("{not json", "[1, 2]", '"text"', "NaN", "")]
    return found


@dataclass(frozen=True)
class Fault:
    """A record with one fault, and where it lies (RFC 6901 pointer in the record)."""

    record: dict[str, JSON]
    pointer: str
    kind: str


def pointer(path: Sequence[str | int]) -> str:
    """The JSON pointer of a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _set(record: dict[str, JSON], path: Sequence[str | int], value: JSON, delete: bool) -> None:
    parent: Any = record
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value


def _stringify_content(record: dict[str, JSON], table: str, which: Sequence[bool]) -> None:
    contents = [f for f in TABLES[table].fields if f.kind is Kind.CONTENT and f.name in record]
    for field, as_string in zip(contents, which, strict=False):
        if as_string and isinstance(record[field.name], dict):
            record[field.name] = dumps(record[field.name])


def _faulty(draw: st.DrawFn, table: str, base: dict[str, JSON]) -> Fault:
    target = draw(st.sampled_from(targets(base, table)))
    choices = faults(target.field) + ([("required", None)] if target.field.required else [])
    kind = draw(st.sampled_from(sorted({k for k, _ in choices})))
    kind, value = draw(st.sampled_from([c for c in choices if c[0] == kind]))
    _set(base, target.path, value, delete=kind == "required")
    return Fault(base, pointer(target.path), kind)


@st.composite
def invalid_records(draw: st.DrawFn, table: str) -> Fault:
    """Records of ``table`` with one fault (missing, type, enum, format, range, content).

    The fault may lie inside content, which is then written in either form: pointers run
    on into JSON-string content.
    """
    base = draw(records(table, content_forms=("object",), extra_fields=True))
    fault = _faulty(draw, table, base)
    which = draw(st.lists(st.booleans(), min_size=4, max_size=4))
    _stringify_content(fault.record, table, which)
    return fault


@st.composite
def mutated_records(draw: st.DrawFn, table: str) -> dict[str, JSON]:
    """Records of ``table`` with one field (maybe nested) replaced by any JSON value."""
    base = draw(records(table, content_forms=("object",), alternative_forms=True))
    target = draw(st.sampled_from(targets(base, table)))
    options = Options(alternative_forms=True)
    edge = st.sampled_from([v for _, v in faults(target.field)] + list(EDGE_VALUES))
    value = st.one_of(json_values(), edge, field_values(target.field, options))
    _set(base, target.path, draw(value), delete=False)
    which = draw(st.lists(st.booleans(), min_size=4, max_size=4))
    _stringify_content(base, table, which)
    return base
