"""How fields read in the docs: type, constraints, and the page of kinds and formats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from docgen.common import cell, code, header, thousands
from mi_export.tables import SHAPES, TABLES, Field, Kind, Shape
from mi_export.tables._spec import (
    ID_PATTERN,
    MAX_SAFE_ID,
    MIN_INSTANT_MS,
    SECONDS_BELOW_MS,
    TIME_LIMIT_MS,
)

#: Kinds with their own section on the types page.
_KIND_NAMES = {
    Kind.ID: "id",
    Kind.TIME: "time",
    Kind.INSTANT: "instant",
    Kind.BYTES: "bytes",
    Kind.CONTENT: "content",
}
_PLAIN = {
    Kind.STRING: "string",
    Kind.NONEMPTY: "non-empty string",
    Kind.INTEGER: "integer",
    Kind.NUMBER: "number",
    Kind.BOOLEAN: "boolean",
    Kind.ENUM: "string (enum)",
}


def anchor(name: str) -> str:
    """The anchor of a shape or a format on its page (lowercase, dashes)."""
    return "".join(ch if ch.isalnum() else "-" for ch in name.lower()).strip("-")


def type_text(field: Field, up: str) -> str:
    """The type cell: links to the kind, format or shape; ``up`` leads to reference/."""
    kind = field.kind
    if kind in _KIND_NAMES:
        name = _KIND_NAMES[kind]
        text = f"[{name}]({up}types.md#{name})"
        if kind is Kind.CONTENT:
            text += ": " + (_shape_link(field.shape, up) if field.shape else "any object")
        return text
    if kind is Kind.OBJECT:
        return "object: " + (_shape_link(field.shape, up) if field.shape else "any object")
    if kind is Kind.ARRAY:
        assert field.items is not None
        return "array of " + type_text(field.items, up)
    return _PLAIN[kind]


def _shape_link(shape: Shape, up: str) -> str:
    return f"[{shape.name}]({up}shapes.md#{anchor(shape.name)})"


def constraints_text(field: Field, up: str) -> str:
    """The constraints cell: enum values, format, ranges (empty when the type says it all)."""
    parts: list[str] = []
    if field.kind is Kind.ENUM:
        parts.append("one of " + ", ".join(code(v) for v in field.enum))
        if field.open_enum:
            parts.append("or any non-empty custom label")
        if field.int_aliases:
            aliases = ", ".join(code(a) for a in field.int_aliases)
            parts.append(f"integers {aliases} accepted with warning "
                         f"[{code('field.coerced')}]({up}codes.md#field.coerced)")
    if field.pattern and field.kind is not Kind.ID:
        fmt = field.format_name or "pattern"
        parts.append(f"format: [{fmt}]({up}types.md#format-{anchor(fmt)})")
    if field.kind is Kind.NONEMPTY:
        parts.append("at least 1 character")
    elif field.kind in (Kind.INTEGER, Kind.NUMBER):
        parts.extend(_range(field))
    if field.kind is Kind.ARRAY and field.items is not None:
        inner = constraints_text(field.items, up)
        if inner:
            parts.append(f"each item: {inner}")
    return "; ".join(parts)


def _range(field: Field) -> list[str]:
    low, high = field.minimum, field.maximum
    if low is not None and high is not None:
        return [f"{_num(low)} to {_num(high)}"]
    if low is not None:
        return [f"≥ {_num(low)}"]
    if high is not None:
        return [f"≤ {_num(high)}"]
    return []


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def field_rows(fields: Iterable[Field], up: str) -> list[list[str]]:
    """Rows of the fields table: name, type, required, description, constraints."""
    return [
        [
            code(f.name),
            type_text(f, up),
            "yes" if f.required else "optional",
            cell(f.description),
            constraints_text(f, up),
        ]
        for f in fields
    ]


FIELD_HEAD = ("field", "type", "required", "description", "constraints")


def iter_patterned(fields: Iterable[Field]) -> Iterator[Field]:
    """Fields (array items included) that carry a pattern, ids excepted."""
    for f in fields:
        if f.pattern and f.kind is not Kind.ID:
            yield f
        if f.items is not None:
            yield from iter_patterned((f.items,))


def pattern_list(fields: Iterable[Field]) -> str:
    """A bullet list of the regular expressions of ``fields`` (kept out of tables)."""
    lines = [f"- {code(f.name)} ({f.format_name}): {code(f.pattern)}"
             for f in iter_patterned(fields)]
    return "\n".join(lines) + "\n" if lines else ""


def _formats() -> dict[str, str]:
    """Every named format used by the definitions, with its pattern."""
    found: dict[str, str] = {}
    groups = [t.fields for t in TABLES.values()] + [s.fields for s in SHAPES.values()]
    for fields in groups:
        for f in iter_patterned(fields):
            found.setdefault(f.format_name or "pattern", f.pattern or "")
    return dict(sorted(found.items(), key=lambda item: item[0].lower()))


def render_types_page() -> str:
    """``reference/types.md``: what each kind of value means, and every format."""
    out = [header("mi_export.tables"), "# Field types and formats\n\n",
           "Every field of every table has one of these types (FORMAT.md §2). JSON Schema "
           "expresses the type; the rules marked *validator* are checked by "
           "`mi-export validate` beyond the schema.\n\n"]
    out.append(_KINDS_TEXT.format(
        id_pattern=code(ID_PATTERN), safe=thousands(MAX_SAFE_ID),
        limit=thousands(TIME_LIMIT_MS), seconds=thousands(SECONDS_BELOW_MS - 1),
        min_instant=thousands(MIN_INSTANT_MS),
    ))
    out.append("## Formats\n\nStrings that must match a regular expression "
               "(ECMA-262, as in JSON Schema; a mismatch is "
               "[`field.format`](codes.md#field.format)).\n\n")
    for name, pattern in _formats().items():
        out.append(f"### {name} {{#format-{anchor(name)}}}\n\n{code(pattern)}\n\n")
    return "".join(out)


_KINDS_TEXT = """\
## id {{#id}}

A string of 1 to 20 decimal digits, {id_pattern}. Ids are typically 16 to 17 digits long
and often above 2^53, so they are never safe as JSON numbers. The fields `id`,
`threadId`, `parentId` and `groups[].value` are ids.

- a string with anything but digits: [`field.format`](codes.md#field.format);
- a JSON number is accepted with warning [`id.numeric`](codes.md#id.numeric), but one
  above 2^53 ({safe}) is an error [`id.precision`](codes.md#id.precision): it may
  already have been rounded by a float parser (*validator*).

## time {{#time}}

An integer, epoch milliseconds, UTC. `0` means unset or never (`null` is not used).

- negative, or at or after 2100-01-01T00:00:00Z ({limit}):
  [`time.range`](codes.md#time.range);
- from 1 to {seconds}: almost surely seconds, not milliseconds: warning
  [`time.seconds`](codes.md#time.seconds); the value is never converted (*validator*);
- order: `createTime` ≤ `updateTime`, and ≤ `deleteTime` and `uploadTime` when they are
  not 0: warning [`time.sequence`](codes.md#time.sequence) (*validator*).

Nothing depends on the machine's time zone.

## instant {{#instant}}

An integer, epoch milliseconds, UTC, any moment from year 1 ({min_instant}) to the end
of 2099; `0` is 1970-01-01, not "unset". Used by `dtstart` and `dtend` of calendar
events; `dtend < dtstart` is [`time.order`](codes.md#time.order).

## bytes {{#bytes}}

An integer ≥ 0, a size in bytes. As in JSON Schema 2020-12, a number with a zero
fractional part (`5000.0`, `1e3`) is an integer; `5000.5` is not
([`field.type`](codes.md#field.type)). Numbers are read exactly.

## content {{#content}}

An object of the shape given, **or a string holding that object as JSON** (Xiaomi's
habit). Both forms are valid and validated identically; readers return the decoded
object. A string that is not valid JSON, or whose JSON is not an object, is
[`content.invalid`](codes.md#content.invalid). Findings inside the decoded object have
pointers that run on into it (`/sms/3/content/body`), whichever form the content had.

## Other types

- **string**: any Unicode text. Unpaired surrogates are
  [`text.encoding`](codes.md#text.encoding); C0 control characters other than tab, LF
  and CR are warnings [`text.control`](codes.md#text.control); UTF-8 escaped byte by
  byte is [`text.mojibake`](codes.md#text.mojibake) (*validator*).
- **non-empty string**: a string of at least one character.
- **integer**, **number**, **boolean**: as in JSON. `"5"` is not 5 and `1` is not `true`.
- **string (enum)**: one of a closed list ([`field.enum`](codes.md#field.enum)), unless
  the field says "or any non-empty custom label".
- **array of ...**, **object**: as in JSON, with the item type or shape given.

Missing required fields are [`field.required`](codes.md#field.required); fields the
format does not define are kept, with warning [`field.unknown`](codes.md#field.unknown).

"""
