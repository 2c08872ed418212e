"""The fast path: decode a whole record with the C scanner of :mod:`json`.

:func:`fast_decode` returns the value, or ``None`` when the record must go to the
exact parser instead: anything the C decoder hides or gets wrong (duplicate keys,
NaN, nesting it would recurse on, number literals past the limit, syntax errors)
sends the record there, so both paths give the same values and findings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from mi_export.jsonscan._source import TextSource


class _Fallback(Exception):
    """The record needs the exact parser."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Fallback
    return result


def _constant(name: str) -> Any:
    raise _Fallback


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=Decimal, parse_constant=_constant, strict=True
)
_raw_decode = _DECODER.raw_decode
#: the C scanner itself, without raw_decode's Python wrapper (StopIteration on no value)
_scan_once: Callable[[str, int], tuple[Any, int]] = _DECODER.scan_once  # type: ignore[attr-defined]
#: a Latin-1 character that could start a UTF-8 sequence, then a continuation one:
#: only such pairs can be mojibake ("café" has none)
_LATIN = re.compile("[\xc2-\xf4][\x80-\xbf]")
_SURROGATE = re.compile("[\ud800-\udfff]")  # raw surrogates (encoded, not escaped)
_NEED_MORE_MARGIN = 64
_NUMBER_CHARS = frozenset("-+0123456789.eE")


def fast_decode(
    src: TextSource, pos: int, max_depth_left: int, max_chars: int, long_chars: int
) -> tuple[Any, int, tuple[bool, bool] | None] | None:
    """Decode the value at ``src.buf[pos]``: (value, end, text checks needed) or None.

    The text checks needed are (escape checks, mojibake check), or None for none.

    Reads more of the stream while the value may be cut by the end of the buffer.
    ``max_depth_left`` is how many nested containers the value may open; a value of
    more than ``long_chars`` characters may hold a string over the limit (a character
    is at most 4 UTF-8 bytes) and goes to the exact parser.
    """
    while True:
        buf = src.buf
        try:
            value, end = _scan_once(buf, pos)
        except (json.JSONDecodeError, StopIteration) as exc:
            if src.eof or src.problem is not None:
                return None
            if isinstance(exc, StopIteration):  # "expecting a value" at exc.value
                error_pos, unterminated = exc.value, False
            else:
                error_pos, unterminated = exc.pos, exc.msg.startswith("Unterminated string")
            if not (error_pos >= len(buf) - _NEED_MORE_MARGIN or unterminated):
                return None
            if not _grow(src, pos, max_chars):
                return None
            continue
        except (_Fallback, RecursionError, ValueError, ArithmeticError):
            return None
        cut = end >= len(buf) or (
            end > len(buf) - _NEED_MORE_MARGIN and type(value) not in (dict, list, str)
        )  # a number may go on past the end of the buffer ("0" of "0e+1")
        if cut and not src.eof:
            if not _grow(src, pos, max_chars):
                return None
            continue
        break
    if end - pos > long_chars:
        return None
    if type(value) in (int, Decimal) and end < len(buf) and buf[end] in _NUMBER_CHARS:
        return None  # "-01", "1eE2": the exact parser names the bad literal
    if buf.count("{", pos, end) + buf.count("[", pos, end) > max_depth_left:
        return None
    if src.number_alerts and src.number_alert(pos, end):
        return None
    escapes = (
        buf.find("\\u", pos, end) >= 0
        or buf.find("\\b", pos, end) >= 0
        or buf.find("\\f", pos, end) >= 0
    )
    if escapes or (src.surrogates_seen and _SURROGATE.search(buf, pos, end) is not None):
        # \u00XX escapes may decode to mojibake too
        return value, end, (True, True)
    if src.latin_seen and _LATIN.search(buf, pos, end) is not None:
        return value, end, (False, True)
    return value, end, None


def _grow(src: TextSource, pos: int, max_chars: int) -> bool:
    """Read until the text after ``pos`` doubles; False when nothing more came."""
    have = len(src.buf) - pos
    if have > max_chars:
        return False
    want = max(have * 2, 1 << 16)
    grew = False
    while len(src.buf) - pos < want and src.fill():
        grew = True
    return grew


def decode_text(text: str) -> Any:
    """Decode a complete JSON text with the fast decoder; raise ValueError if it cannot."""
    try:
        value, end = _raw_decode(text, 0)
    except (_Fallback, RecursionError, ArithmeticError) as exc:
        raise ValueError("needs the exact parser") from exc
    if text[end:].strip(" \t\n\r"):
        raise ValueError("extra data")
    return value
