"""Typed batch checks: many clean records at once, decoded and checked in C by msgspec.

For each table whose rules msgspec can hold, :func:`batch_checker` builds
``msgspec.Struct`` classes from the table definitions (constraints msgspec checks
itself: types, closed enums, ranges, lengths, unknown fields; a generated
``__post_init__`` for the rest: id digits, "0 or milliseconds", patterns, calendar
dates, time order, JSON-string content). :meth:`BatchChecker.check` decodes a JSON
array of records with them and answers with the records' duplicate keys only when
*every* record is clean: when the validator's detailed checker
(``mi_export_validator.checks.fields``), its text checks and the scanner's limits would
report nothing at all. Anything else answers None and the caller reads the same records
the exact way. So this can make validation (and the writer's :meth:`write_many
<mi_export.writer.TableWriter.write_many>`) faster and never change a finding
(``tests/test_typed.py``).

What msgspec does not see is guarded on the bytes of the batch before decoding:

- duplicate keys (msgspec keeps the last): the number of ``":`` in the batch must equal
  the number in the batch re-encoded from the decoded structs (which hold each key
  once); with no ``\\\\`` in the batch and no space between a key and its colon
  (both guarded), a ``":`` outside a string is always a key, and inside strings the
  ``\\":`` occurrences re-encode one for one;
- escapes after which a string could need a text check (``\\b``, ``\\f``, ``\\u00XX``,
  a lone surrogate escape, ``\\\\``) and UTF-8 that could be mojibake
  (a character U+00C2..U+00F4 followed by one in U+0080..U+00BF);
- number literals over the limit (integers are bounded to as many characters; tables
  with non-integral numbers are not batched), nesting (only tables whose typed shape
  fits in ``max_depth``), strings over the limit (``max_length``), records over the
  limit (a batch is never larger than ``max_record_bytes``).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache
from operator import attrgetter
from typing import Annotated, Any, Literal, Union

import msgspec
from msgspec import UNSET, Meta, UnsetType

from mi_export.limits import Limits
from mi_export.schema._values import compile_pattern
from mi_export.tables import TABLES, TIME_SEQUENCE, Field, Kind, Shape, Table
from mi_export.tables._spec import MIN_INSTANT_MS, SECONDS_BELOW_MS, TIME_LIMIT_MS
from mi_export.tables.formats import FORMAT_CHECKS

RECORD_DEPTH = 3  # the nesting level of a record (FORMAT.md §7)
KeyList = list[str | None]

#: what makes a batch need the exact path: an escape after which a decoded
#: string could need a text check (as in .fastpath: ``\\``, ``\b``, ``\f``, ``\u00XX``,
#: a surrogate escape not in a pair) or white space between a key and its colon
_RISKY_ESCAPE = re.compile(
    rb"\\(?:\\|[bf]|u00|u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])|u[dD][c-fC-F])"
).finditer
_SPACED_KEY_BYTES = re.compile(rb'"[ \t\r\n]+:').search
_HIGH_ESCAPE = re.compile(rb"\\u[dD][89abAB][0-9a-fA-F]{2}").fullmatch
#: a Latin-1 character that could lead a UTF-8 sequence, then a continuation one, as
#: UTF-8: only such pairs can be mojibake
_MOJIBAKE = re.compile(rb"\xc3[\x82-\xb4]\xc2[\x80-\xbf]").search
_SPACED_KEY = re.compile(r'"[ \t\r\n]+:').search


class Unbatchable(Exception):
    """The table has a rule the typed structs cannot hold; it is read record by record."""


class BatchChecker:
    """Decodes and checks a JSON array of one table's records in one call."""

    def __init__(
        self, table: str, decode: Callable[[bytes], list[Any]], key: Callable[[Any], Any] | None
    ) -> None:
        self.table = table
        self._decode = decode
        self._key = key
        self._encode = msgspec.json.Encoder().encode

    def check(self, batch: bytes) -> KeyList | None:
        """The duplicate keys of the records of ``batch`` (``[rec, ...]``), or None.

        None: some record may have a finding (or the batch needs a closer look); the
        caller then reads them record by record. Keys are None for a table without
        a duplicate rule.
        """
        if _needs_care(batch):
            return None
        if b"\xc2" in batch and _MOJIBAKE(batch) is not None:
            return None
        try:
            records = self._decode(batch)
        except (msgspec.DecodeError, ValueError, TypeError, RecursionError):
            return None
        if batch.count(b'":') != self._encode(records).count(b'":'):
            return None  # a duplicate key
        if self._key is None:
            return [None] * len(records)
        return list(map(self._key, records))


def _needs_care(batch: bytes) -> bool:
    if _SPACED_KEY_BYTES(batch) is not None:
        return True
    if b"\\" not in batch:
        return False
    for match in _RISKY_ESCAPE(batch):
        found, start = match.group(), match.start()
        if len(found) == 4 and found[2:3] in (b"d", b"D") and _HIGH_ESCAPE(batch, start - 6, start):
            continue  # the low half of a pair (a lone high half is a 6-byte match)
        return True
    return False


@cache
def batch_checker(table: str, limits: Limits) -> BatchChecker | None:
    """The batch checker of a known table, or None when its records go one by one."""
    try:
        builder = _Builder(limits)
        struct = builder.table(TABLES[table])
    except Unbatchable:
        return None
    decode = msgspec.json.Decoder(list[struct]).decode  # type: ignore[valid-type]
    return BatchChecker(table, decode, _key_function(TABLES[table], builder.names[table]))


def batch_checkers(limits: Limits) -> dict[str, BatchChecker]:
    """Batch checkers of every table that has one."""
    found = {name: batch_checker(name, limits) for name in TABLES}
    return {name: checker for name, checker in found.items() if checker is not None}


def _key_function(table: Table, names: dict[str, str]) -> Callable[[Any], Any] | None:
    if not table.key:
        return None
    if table.key == ("id",):
        return attrgetter(names["id"])
    fields = {f.name: f for f in table.fields}
    if any(not fields[name].required for name in table.key):
        raise Unbatchable(f"{table.name}: optional key field")
    getters = [attrgetter(names[name]) for name in table.key]
    numbers = [fields[name].kind in _INTEGRAL for name in table.key]
    if any(fields[name].kind not in (*_INTEGRAL, *_TEXTUAL) for name in table.key):
        raise Unbatchable(f"{table.name}: key of another kind")

    def composite(record: Any) -> str:
        # as records.RecordChecker.key_of: strings as they are, integers in decimal
        return "\x1f".join(
            str(get(record)) if number else get(record)
            for get, number in zip(getters, numbers, strict=True)
        )

    return composite


_INTEGRAL = (Kind.TIME, Kind.INSTANT, Kind.INTEGER, Kind.BYTES)
_TEXTUAL = (Kind.ID, Kind.STRING, Kind.NONEMPTY, Kind.ENUM)


# --- building the structs --------------------------------------------------------------


class _Builder:
    """Builds the msgspec types of a table: structs, constraints and post-checks."""

    def __init__(self, limits: Limits) -> None:
        if limits.max_number_chars < 21:  # an epoch-ms time is 13 digits, an int64 up to 20
            raise Unbatchable("number limit below 21 characters")
        self.limits = limits
        self.long_chars = max(limits.max_string_bytes // 4, 0)
        self.names: dict[str, dict[str, str]] = {}
        self._count = itertools.count()
        self._shapes: dict[tuple[str, int], Any] = {}

    def table(self, table: Table) -> Any:
        struct, names = self._struct(table.name, table.fields, RECORD_DEPTH)
        self.names[table.name] = names
        return struct

    # -- structs ---------------------------------------------------------------------

    def _struct(
        self, name: str, fields: tuple[Field, ...], depth: int
    ) -> tuple[Any, dict[str, str]]:
        """A struct for an object at nesting level ``depth`` holding ``fields``."""
        if depth + 2 > self.limits.max_depth:  # its arrays and their objects, with margin
            raise Unbatchable("deeper than the depth limit")
        names = {f.name: f"f{i}" for i, f in enumerate(fields)}
        post = _Emitter()
        members: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        for f in sorted(fields, key=lambda f: not f.required):
            kind = self._type(f, depth + 1, post, f"self.{names[f.name]}")
            if f.required:
                members.append((names[f.name], kind))
            else:
                members.append((names[f.name], Union[kind, UnsetType], UNSET))  # noqa: UP007
        _time_rules(post, fields, names)
        namespace: dict[str, Any] = {}
        if post.lines:
            namespace["__post_init__"] = post.compile(f"{name}_{next(self._count)}")
        struct = msgspec.defstruct(
            re.sub(r"\W", "_", name),
            members,
            kw_only=True,
            forbid_unknown_fields=True,
            rename={names[f.name]: f.name for f in fields},
            namespace=namespace,
        )
        return struct, names

    def _shape(self, shape: Shape, depth: int) -> Any:
        known = self._shapes.get((shape.name, depth))
        if known is None:
            known = self._shapes[(shape.name, depth)] = self._struct(
                shape.name, shape.fields, depth
            )[0]
        return known

    # -- fields ----------------------------------------------------------------------

    def _string(self, minimum: int = 0) -> Any:
        return Annotated[str, Meta(min_length=minimum or None, max_length=self.long_chars)]

    def _type(self, f: Field, depth: int, post: _Emitter, var: str) -> Any:
        """The msgspec type of field ``f`` (value at level ``depth``); post-checks into ``post``."""
        optional = not f.required
        guard = f"{var} is not _UNSET and " if optional else ""
        kind = f.kind
        if kind is Kind.ID:
            post.fail_if(f"{guard}(len({var}) > 20 or not {var}.isdigit() or not {var}.isascii())")
            return self._string(1)
        if kind is Kind.TIME:
            post.fail_if(f"{guard}0 < {var} < {SECONDS_BELOW_MS:_}")
            return Annotated[int, Meta(ge=0, lt=TIME_LIMIT_MS)]
        if kind is Kind.INSTANT:
            return Annotated[int, Meta(ge=MIN_INSTANT_MS, lt=TIME_LIMIT_MS)]
        if kind in (Kind.INTEGER, Kind.BYTES):
            # msgspec bounds must fit in int64; the rest (and the number literal limit,
            # as msgspec reads integer literals of any length) is a post-check
            n = self.limits.max_number_chars
            floor = -(10 ** (n - 1)) + 1  # "-" and n - 1 digits
            low = floor if f.minimum is None else max(_ceil(f.minimum), floor)
            high = 10**n if f.maximum is None else min(_floor(f.maximum) + 1, 10**n)
            post.fail_if(f"{guard}not ({low!r} <= {var} < {high!r})")
            return int
        if kind is Kind.NUMBER:
            raise Unbatchable("non-integral numbers")
        if kind is Kind.BOOLEAN:
            return bool
        if kind in (Kind.STRING, Kind.NONEMPTY):
            if f.pattern is not None:
                search = post.constant("pattern", compile_pattern(f.pattern).search)
                condition = f"{search}({var}) is None"
                extra = FORMAT_CHECKS.get(f.format_name or "")
                if extra is not None:
                    condition += f" or not {post.constant('format', extra)}({var})"
                post.fail_if(f"{guard}({condition})")
            return self._string(1 if kind is Kind.NONEMPTY else 0)
        if kind is Kind.ENUM:
            if f.open_enum:
                return self._string(1)
            return Literal[f.enum]
        if kind is Kind.ARRAY:
            assert f.items is not None
            if f.items.kind is Kind.OBJECT:
                return list[self._type(f.items, depth + 1, post, "_")]  # type: ignore[misc]
            item = _Emitter()
            item_type = self._type(f.items, depth + 1, item, "item")
            if item.lines:
                check = post.constant("items", item.compile_function(f"items_{f.name}"))
                post.fail_if(f"{guard}not {check}({var})")
            return list[item_type]  # type: ignore[valid-type]
        if kind is Kind.OBJECT:
            assert f.shape is not None
            return self._shape(f.shape, depth)
        if kind is Kind.CONTENT:
            if f.shape is None:
                raise Unbatchable("content of any shape")
            struct = self._shape(f.shape, depth)
            decoder = post.constant("content", _content_decoder(struct))
            post.line(f"if type({var}) is str:")
            post.line(f"    {decoder}({var})")  # checks only: the string is kept
            return Union[struct, self._string()]  # noqa: UP007
        raise Unbatchable(f"kind {kind}")


def _ceil(value: float) -> int:
    return int(value) if value == int(value) else int(value) + (value > 0)


def _floor(value: float) -> int:
    return int(value) if value == int(value) else int(value) - (value < 0)


def _content_decoder(struct: Any) -> Callable[[str], Any]:
    """Decode a JSON-string content value into ``struct``; raise ValueError unless clean.

    Clean as :func:`mi_export.jsonscan.embedded.decode_embedded` would find it: the text
    starts with ``{`` (no leading white space), holds no backslash (so no escapes: the
    outer batch guard has already looked for mojibake in these characters), and no
    duplicate or spaced key.
    """
    decode = msgspec.json.Decoder(struct).decode
    encode = msgspec.json.Encoder().encode

    def decoded(text: str) -> Any:
        if text[:1] != "{" or "\\" in text:
            raise ValueError("needs the exact path")
        if ('" ' in text or '"\t' in text or '"\n' in text or '"\r' in text) and _SPACED_KEY(
            text
        ) is not None:
            raise ValueError("needs the exact path")
        value = decode(text)
        if text.count('":') != encode(value).count(b'":'):
            raise ValueError("duplicate key")
        return value

    return decoded


def _time_rules(e: _Emitter, fields: Sequence[Field], names: dict[str, str]) -> None:
    """time.sequence (0 on either side is unset) and time.order."""
    required = {f.name for f in fields if f.required}

    def value(name: str) -> str:
        return f"self.{names[name]}"

    def present(name: str) -> str:
        return "" if name in required else f"{value(name)} is not _UNSET and "

    for earlier, later, _ in TIME_SEQUENCE:
        if earlier in names and later in names:
            a, b = value(earlier), value(later)
            e.fail_if(f"{present(earlier)}{present(later)}{a} and {b} and {a} > {b}")
    if "dtstart" in names and "dtend" in names:
        start, end = value("dtstart"), value("dtend")
        e.fail_if(f"{present('dtstart')}{present('dtend')}{end} < {start}")


class _Emitter:
    """The generated body of a ``__post_init__``: each check raises ValueError."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {"_UNSET": UNSET}
        self._numbers = itertools.count()

    def line(self, text: str) -> None:
        self.lines.append("    " + text)

    def fail_if(self, condition: str) -> None:
        self.line(f"if {condition}:")
        self.line("    raise ValueError")

    def constant(self, stem: str, value: Any) -> str:
        name = f"_{stem}_{next(self._numbers)}"
        self.constants[name] = value
        return name

    def compile(self, name: str) -> Callable[[Any], None]:
        """A ``__post_init__(self)`` running the checks."""
        text = "\n".join([f"def __post_init__(self):  # {name}", *self.lines, ""])
        namespace = dict(self.constants)
        exec(compile(text, f"<mi_export typed {name}>", "exec"), namespace)
        function: Callable[[Any], None] = namespace["__post_init__"]
        return function

    def compile_function(self, name: str) -> Callable[[list[Any]], bool]:
        """``check(items) -> bool`` running the checks on each ``item`` of a list."""
        body = [f"    {line}" for line in self.lines]
        text = "\n".join(
            [
                f"def check(items):  # {name}",
                "    try:",
                "        for item in items:",
                *[f"    {line}" for line in body],
                "    except ValueError:",
                "        return False",
                "    return True",
                "",
            ]
        )
        namespace = dict(self.constants)
        exec(compile(text, f"<mi_export typed {name}>", "exec"), namespace)
        function: Callable[[list[Any]], bool] = namespace["check"]
        return function
