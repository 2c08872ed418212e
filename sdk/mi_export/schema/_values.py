"""JSON value semantics shared by the JSON Schema validator and the pydantic models.

Both layers must accept exactly the same values, so the rules that Python's types do not
give for free live here, once:

- what counts as a JSON integer or number (``5000.0`` and ``Decimal("1E+3")`` are
  integers, ``True`` is not a number, NaN and infinities are not JSON);
- how a schema ``pattern`` is matched: with ECMA-262's ``$`` (end of input), not
  Python's (which also matches before a final newline, so ``"123\\n"`` would pass as an id);
- how object-or-JSON-string content is decoded (exact decimals, no NaN, an object or
  nothing).
"""

from __future__ import annotations

import json
import math
import re
from decimal import Decimal
from functools import cache
from typing import Any

#: An integral value with more digits than this is not accepted as an integer. It is
#: Python's own limit for int conversion and keeps ``Decimal("1E+99999999")`` (11 bytes
#: of JSON) from being expanded into a 100-million-digit int.
MAX_INTEGER_DIGITS = 4300


class ContentError(ValueError):
    """A JSON-string content value is not JSON, or its JSON is not an object."""


def is_json_number(value: object) -> bool:
    """Whether ``value`` is a JSON number (int, finite float or Decimal; not a bool)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, Decimal):
        return value.is_finite()
    return False


def is_json_integer(value: object) -> bool:
    """Whether ``value`` is a JSON integer: a number with a zero fractional part."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return value.is_integer()
    if isinstance(value, Decimal):
        if not value.is_finite() or value != value.to_integral_value():
            return False
        return value.is_zero() or value.adjusted() < MAX_INTEGER_DIGITS
    return False


def as_int(value: int | float | Decimal) -> int:
    """The int of a value for which :func:`is_json_integer` is true."""
    if isinstance(value, Decimal) and value.is_zero():
        return 0  # Decimal("0E+99999999") is zero, whatever its exponent
    return int(value)


def _ecma_pattern(pattern: str) -> str:
    """Rewrite ``$`` (outside classes, unescaped) as ``\\Z``: ECMA-262's end of input."""
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append(r"\Z")
            continue
        out.append(char)
    return "".join(out)


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a JSON Schema ``pattern`` for :meth:`re.Pattern.search`, ECMA-262 anchors."""
    return re.compile(_ecma_pattern(pattern))


def matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches the JSON Schema ``pattern`` (unanchored search, as specified)."""
    return compile_pattern(pattern).search(text) is not None


def _reject_constant(name: str) -> Any:
    raise ContentError(f"{name} is not valid JSON")


def _object_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):  # json.loads would keep the last silently
        raise ContentError("the string's JSON has the same key twice")
    return value


def decode_json_object(text: str) -> dict[str, Any]:
    """Decode a JSON-string content value.

    Numbers with a fraction or exponent become :class:`~decimal.Decimal` (read exactly,
    as the validator reads files); ``NaN``, ``Infinity`` and an object with a key twice
    are refused.

    Args:
        text: The string held by the content field.

    Returns:
        The decoded object.

    Raises:
        ContentError: The text is not valid JSON (a key twice included), or its JSON is
            not an object.
    """
    try:
        value = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_reject_constant,
            object_pairs_hook=_object_once,
        )
    except ContentError:
        raise
    except (ValueError, RecursionError) as exc:
        raise ContentError("the string is not valid JSON") from exc
    if not isinstance(value, dict):
        raise ContentError("the string's JSON is not an object")
    return value
