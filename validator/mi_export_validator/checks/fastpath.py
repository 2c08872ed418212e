"""Compiled validity predicates: the fast path for records that are clean.

For each table, :func:`predicate` gives a function ``is_clean(record) -> bool``
generated from the table definitions as Python source (straight-line code: local
variables, ``type(v) is str``, inlined ranges, nested shapes inlined) and compiled once
per table and :class:`~mi_export.limits.Limits`. It returns True only when the
detailed checker (:mod:`.fields`) would report nothing at all, not even a warning;
it may return False for a clean record (a Decimal of 30 digits or more, a content
string with leading white space...), which the detailed checker then examines. So it
can only make validation faster, never change its findings (``tests/test_fastpath.py``
compares both on generated, mutated and hostile records).

:func:`source` shows the generated code of a table.
"""

from __future__ import annotations

import itertools
import json
import linecache
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from typing import Any

from mi_export.jsonscan.textcheck import iter_text_problems
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.schema._values import compile_pattern
from mi_export.tables import TABLES, TIME_SEQUENCE, Field, Kind
from mi_export.tables._spec import MIN_INSTANT_MS, SECONDS_BELOW_MS, TIME_LIMIT_MS
from mi_export.tables.formats import FORMAT_CHECKS

Predicate = Callable[[dict[str, Any]], bool]
RECORD_DEPTH = 3  # the nesting level of a record (FORMAT.md §7)
_MAX_INTEGRAL_DIGITS = 30  # wider integral Decimals go to the detailed checker


def _integral(value: Any) -> int | None:
    """A Decimal with a zero fraction (``5000.0``, ``1E+3``) as an int, else None."""
    if (
        type(value) is Decimal
        and value.is_finite()
        and value.adjusted() < _MAX_INTEGRAL_DIGITS
        and value == value.to_integral_value()
    ):
        return int(value)
    return None


#: Escapes after which a decoded string could need a text check (FORMAT.md §2): ``\b``,
#: ``\f`` and ``\u00XX`` (control or Latin-1 characters: mojibake), a surrogate escape
#: not in a pair (as Python's decoder pairs them: a high one directly followed by a low
#: one), and an escaped backslash ``\\``, after which ``\u`` may not be an escape at all.
_RISKY_ESCAPE = re.compile(
    r"\\\\|\\[bf]|\\u00"
    r"|\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F]"
).search


def _suspect(text: str) -> bool:
    """Whether the strings decoded from ``text`` could need a text check (FORMAT.md §2).

    When False they cannot, and the walk over the decoded value is skipped. Without
    escapes, decoded strings hold the characters of ``text`` as they are: a lone
    surrogate (it cannot be encoded) is text.encoding, and mojibake needs a character
    U+0080..U+00BF (UTF-8 ``C2 xx``: continuation bytes read as Latin-1). One encode is
    several times faster than a regex search.
    """
    if "\\" in text and _RISKY_ESCAPE(text) is not None:
        return True
    if text.isascii():
        return False
    try:
        return b"\xc2" in text.encode()
    except UnicodeEncodeError:
        return True


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key")
    return result


def _refuse(literal: str) -> Any:
    raise ValueError(f"{literal} is not JSON")


def _content_decoder(limits: Limits) -> Callable[[str, int], dict[str, Any] | None]:
    """``decoded(text, depth)``: the object a content string holds, when it is clean.

    None when :func:`~mi_export.jsonscan.embedded.decode_embedded` could report anything:
    not JSON or not an object, duplicate keys, too deep (counting every bracket, as it
    does), a number literal over the limit, or a text finding in the decoded strings
    (looked for only when :func:`_suspect` says there could be one). Number literals are
    measured as the decoder reads them: cheaper than a regex search over the text.
    """
    max_chars, max_depth = limits.max_number_chars, limits.max_depth

    def integer(literal: str) -> int:
        if len(literal) > max_chars:
            raise ValueError("number literal over the limit")
        return int(literal)

    def decimal(literal: str) -> Decimal:
        if len(literal) > max_chars:
            raise ValueError("number literal over the limit")
        return Decimal(literal)

    raw_decode = json.JSONDecoder(
        object_pairs_hook=_unique_pairs,
        parse_int=integer,
        parse_float=decimal,
        parse_constant=_refuse,
        strict=True,
    ).raw_decode

    def decoded(text: str, depth: int) -> dict[str, Any] | None:
        if len(text) + depth > max_depth and text.count("{") + text.count("[") + depth > max_depth:
            return None
        try:
            value, end = raw_decode(text)
        except (ValueError, ArithmeticError, RecursionError):
            return None
        if end != len(text) and text[end:].strip(" \t\n\r"):
            return None
        if type(value) is not dict:
            return None
        if _suspect(text) and next(iter_text_problems(value, ""), None) is not None:
            return None
        return value

    return decoded


class _Emitter:
    """Writes the body of one predicate: every check is a statement returning False."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.level = 1
        self.constants: dict[str, Any] = {}
        self._numbers = itertools.count()

    def line(self, text: str) -> None:
        self.lines.append("    " * self.level + text)

    def fail_if(self, condition: str) -> None:
        self.line(f"if {condition}:")
        self.line("    return False")

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.level += 1
        yield
        self.level -= 1

    def fresh(self, stem: str) -> str:
        return f"{re.sub(r'[^A-Za-z0-9]', '_', stem)}_{next(self._numbers)}"

    def constant(self, stem: str, value: Any) -> str:
        name = f"_{stem}_{next(self._numbers)}"
        self.constants[name] = value
        return name


# --- values: each emitter checks the value in ``var`` (and may rebind it to an int) --------


def _emit_id(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    # a numeric id is a warning at best (id.numeric): only digit strings are clean
    e.fail_if(
        f"type({var}) is not str or len({var}) > 20 or not {var}.isdigit() or not {var}.isascii()"
    )


def _emit_int(e: _Emitter, var: str) -> None:
    e.fail_if(f"type({var}) is not int and ({var} := _integral({var})) is None")


def _emit_time(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    _emit_int(e, var)  # 0 is unset; 1..SECONDS_BELOW_MS - 1 is time.seconds
    e.fail_if(f"{var} and not ({SECONDS_BELOW_MS:_} <= {var} < {TIME_LIMIT_MS:_})")


def _emit_instant(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    _emit_int(e, var)
    e.fail_if(f"not ({MIN_INSTANT_MS:_} <= {var} < {TIME_LIMIT_MS:_})")


def _emit_range(e: _Emitter, spec: Field, var: str) -> None:
    if spec.minimum is not None:
        e.fail_if(f"{var} < {spec.minimum!r}")
    if spec.maximum is not None:
        e.fail_if(f"{var} > {spec.maximum!r}")


def _emit_integer(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    _emit_int(e, var)
    _emit_range(e, spec, var)


def _emit_number(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    e.fail_if(f"type({var}) is not int and type({var}) is not Decimal")
    _emit_range(e, spec, var)


def _emit_boolean(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    e.fail_if(f"type({var}) is not bool")


def _emit_string(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    condition = f"type({var}) is not str"
    if spec.kind is Kind.NONEMPTY:
        condition += f" or not {var}"
    if spec.pattern is not None:
        search = e.constant("pattern", compile_pattern(spec.pattern).search)
        condition += f" or {search}({var}) is None"
        extra = FORMAT_CHECKS.get(spec.format_name or "")
        if extra is not None:
            condition += f" or not {e.constant('format', extra)}({var})"
    e.fail_if(condition)


def _emit_enum(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    # integer aliases are accepted with field.coerced: not clean
    if spec.open_enum:
        e.fail_if(f"type({var}) is not str or not {var}")
    else:
        allowed = ", ".join(repr(value) for value in spec.enum)
        e.fail_if(f"type({var}) is not str or {var} not in {{{allowed}}}")


def _emit_array(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    assert spec.items is not None
    e.fail_if(f"type({var}) is not list")
    item = e.fresh("item")
    with e.block(f"for {item} in {var}:"):
        _emit_value(e, spec.items, item, depth + 1)


def _emit_object(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    assert spec.shape is not None
    e.fail_if(f"type({var}) is not dict")
    _emit_fields(e, spec.shape.fields, var, depth)


def _emit_content(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    e.line(f"# {spec.shape.name if spec.shape else 'any object'}, or a string holding it")
    with e.block(f"if type({var}) is str:"):
        e.fail_if(f"({var} := _decoded({var}, {depth})) is None")
    with e.block(f"elif type({var}) is not dict:"):
        e.line("return False")
    if spec.shape is not None:
        _emit_fields(e, spec.shape.fields, var, depth)


_EMIT: Mapping[Kind, Callable[[_Emitter, Field, str, int], None]] = {
    Kind.ID: _emit_id,
    Kind.TIME: _emit_time,
    Kind.INSTANT: _emit_instant,
    Kind.STRING: _emit_string,
    Kind.NONEMPTY: _emit_string,
    Kind.BYTES: _emit_integer,
    Kind.INTEGER: _emit_integer,
    Kind.NUMBER: _emit_number,
    Kind.BOOLEAN: _emit_boolean,
    Kind.ENUM: _emit_enum,
    Kind.ARRAY: _emit_array,
    Kind.OBJECT: _emit_object,
    Kind.CONTENT: _emit_content,
}


def _emit_value(e: _Emitter, spec: Field, var: str, depth: int) -> None:
    """Checks of the value in ``var``, which sits at nesting level ``depth``."""
    _EMIT[spec.kind](e, spec, var, depth)


# --- objects ---------------------------------------------------------------------------


_COST = {Kind.ARRAY: 1, Kind.OBJECT: 1, Kind.CONTENT: 2}


def _emit_fields(e: _Emitter, fields: tuple[Field, ...], obj: str, depth: int) -> None:
    """Checks of the object in ``obj`` (at level ``depth``) holding ``fields``."""
    # cheap checks first: a record that fails one is not worth decoding content for
    ordered = sorted(fields, key=lambda f: _COST.get(f.kind, 0))
    required = [f for f in ordered if f.required]
    optional = [f for f in ordered if not f.required]
    names = {f.name: e.fresh(f.name) for f in fields}
    count = e.fresh("present")
    if optional:
        e.line(f"{count} = {len(required)}")
    else:  # every field present and nothing else: no field.required, no field.unknown
        e.fail_if(f"len({obj}) != {len(required)}")
    if required:
        with e.block("try:"):
            for f in required:
                e.line(f"{names[f.name]} = {obj}[{f.name!r}]")
        with e.block("except KeyError:"):
            e.line("return False")
    for f in required:
        _emit_value(e, f, names[f.name], depth + 1)
    for f in optional:
        # None is never a valid value: a key holding null counts as unknown, and fails
        e.line(f"{names[f.name]} = {obj}.get({f.name!r})")
        with e.block(f"if {names[f.name]} is not None:"):
            e.line(f"{count} += 1")
            _emit_value(e, f, names[f.name], depth + 1)
    if optional:
        e.fail_if(f"len({obj}) != {count}")
    _emit_time_rules(e, fields, names)


def _emit_time_rules(e: _Emitter, fields: tuple[Field, ...], names: dict[str, str]) -> None:
    """time.sequence (0 on either side is unset) and time.order, on checked ints."""
    for earlier, later, _ in TIME_SEQUENCE:
        if earlier in names and later in names:
            first, second = names[earlier], names[later]
            e.fail_if(f"{first} and {second} and {first} > {second}")
    if "dtstart" in names and "dtend" in names:
        start, end = names["dtstart"], names["dtend"]
        optional = [
            names[f.name] for f in fields if f.name in ("dtstart", "dtend") and not f.required
        ]
        guards = "".join(f"{var} is not None and " for var in optional)
        e.fail_if(f"{guards}{end} < {start}")


# --- compilation -----------------------------------------------------------------------


def _generate(table: str) -> tuple[str, str, dict[str, Any]]:
    """(function name, source, constants) of the predicate of ``table``."""
    e = _Emitter()
    _emit_fields(e, TABLES[table].fields, "record", RECORD_DEPTH)
    name = f"is_clean_{table}"
    header = [
        f"def {name}(record):",
        f'    """True when a {table} record has no finding at all (generated)."""',
    ]
    return name, "\n".join([*header, *e.lines, "    return True", ""]), e.constants


@cache
def _compiled(table: str, limits: Limits) -> tuple[str, Predicate]:
    name, text, constants = _generate(table)
    filename = f"<mi_export fastpath {table}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace: dict[str, Any] = {
        "Decimal": Decimal,
        "_integral": _integral,
        "_decoded": _content_decoder(limits),
        **constants,
    }
    exec(compile(text, filename, "exec"), namespace)
    function: Predicate = namespace[name]
    return text, function


def predicate(table: str, limits: Limits = DEFAULT_LIMITS) -> Predicate:
    """The compiled ``is_clean(record)`` of a known table (built once, then cached)."""
    return _compiled(table, limits)[1]


def source(table: str, limits: Limits = DEFAULT_LIMITS) -> str:
    """The generated Python source of :func:`predicate` (for reading and debugging)."""
    return _compiled(table, limits)[0]


def predicates(limits: Limits = DEFAULT_LIMITS) -> dict[str, Predicate]:
    """The predicates of every table, by name."""
    return {name: predicate(name, limits) for name in TABLES}
