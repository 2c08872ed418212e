"""Exact JSON encoding of records for the writer (private).

Records are written as UTF-8 (never ``\\uXXXX`` escapes for non-ASCII text), compact,
one record a line. Numbers stay exact: Python ints of any size are written in full,
:class:`~decimal.Decimal` values verbatim (``1.50`` stays ``1.50``), floats by their
shortest round-trip ``repr``. NaN and infinities, lone surrogates and values that are
not JSON are refused with a finding that points at the value.

The fast path is :func:`json.dumps` (C encoder); a record holding a Decimal, or that
fails there, goes through :func:`_encode`, which is slower but locates problems.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from mi_export.findings import Finding, pointer_join


class EncodeError(Exception):
    """A record cannot be written as JSON; ``finding`` says where and why."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


class _SlowPath(Exception):
    pass


def _refuse(value: object) -> object:
    """What the C encoder does with what JSON lacks: a pydantic model is dumped."""
    dump = getattr(value, "model_dump", None)
    if callable(dump):  # a shape's model inside a dict record (Event as content)
        return dump(mode="python", by_alias=True, exclude_unset=True)
    raise _SlowPath


_ENCODER = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_refuse
)
# json.dumps builds this C encoder anew on every call; made once, it is what the writer
# calls for every record. Without the markers of circular references: a circular value
# ends in RecursionError, and then the slow path.
_C_ENCODE = (
    None
    if c_make_encoder is None
    else c_make_encoder(None, _refuse, encode_basestring, None, ":", ",", False, False, False)
)


def json_text(value: Any) -> str | None:
    """``value`` as compact JSON text, as :func:`json.dumps` writes it, or None.

    None when :func:`encode_record` would take its slow path (a Decimal, NaN, a type
    JSON does not have). The text may still hold a lone surrogate, which only encoding
    it to UTF-8 refuses.
    """
    try:
        if _C_ENCODE is None or isinstance(value, str):
            return _ENCODER.encode(value)
        return "".join(_C_ENCODE(value, 0))
    except (_SlowPath, ValueError, TypeError, RecursionError):
        return None


def encode_record(record: Any) -> bytes:
    """Encode one record as compact UTF-8 JSON.

    Args:
        record: a JSON-like value (dicts with string keys, lists, tuples, str, int,
            float, Decimal, bool, None).

    Returns:
        The UTF-8 bytes, without a trailing newline.

    Raises:
        EncodeError: the value holds NaN or an infinity, a lone surrogate, a non-string
            key or a type JSON does not have. The finding's pointer is relative to the
            record (``/content/body``); the message never shows the value.
    """
    text = json_text(record)
    if text is not None:
        with contextlib.suppress(UnicodeEncodeError):
            return text.encode("utf-8")
    parts: list[str] = []
    _encode(record, "", parts)
    return "".join(parts).encode("utf-8")


def _fail(code: str, pointer: str, message: str) -> EncodeError:
    return EncodeError(Finding.make(code, message, pointer=pointer))


def _encode_number(value: float | Decimal, pointer: str) -> str:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _fail("field.type", pointer, "NaN and infinities cannot be written as JSON")
        return str(value)  # always a valid JSON number for finite values: 1.50, 1E+3
    if not math.isfinite(value):
        raise _fail("field.type", pointer, "NaN and infinities cannot be written as JSON")
    return float.__repr__(value)


def _encode_str(value: str, pointer: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(
            "text.encoding", pointer, "text holds an unpaired surrogate, not valid UTF-8"
        ) from None
    result: str = encode_basestring(value)
    return result


def _encode(value: Any, pointer: str, out: list[str]) -> None:
    if value is None or value is True or value is False:
        out.append("null" if value is None else ("true" if value else "false"))
    elif isinstance(value, str):
        out.append(_encode_str(value, pointer))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, (float, Decimal)):
        out.append(_encode_number(value, pointer))
    elif isinstance(value, Mapping):
        _encode_object(value, pointer, out)
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, pointer_join(pointer, index), out)
        out.append("]")
    else:
        raise _fail("field.type", pointer, f"a value of type {type(value).__name__} is not JSON")


def _plain_key(key: object, pointer: str) -> str:
    # As json.dumps does on the fast path: 1 -> "1", None -> "null", True -> "true".
    if key is None or isinstance(key, (int, float)):
        return json.dumps(key)
    raise _fail("field.type", pointer, "object keys must be strings")


def _encode_object(value: Mapping[Any, Any], pointer: str, out: list[str]) -> None:
    out.append("{")
    for index, (key, item) in enumerate(value.items()):
        if not isinstance(key, str):
            key = _plain_key(key, pointer)
        if index:
            out.append(",")
        child = pointer_join(pointer, key)
        out.append(_encode_str(key, child))
        out.append(":")
        _encode(item, child, out)
    out.append("}")
