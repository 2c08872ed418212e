"""The exact JSON value parser: slow, iterative, and the reference for every finding.

It parses one value from a :class:`TextSource`-like window, building Python values
(ints exact, non-integers as :class:`~decimal.Decimal`), and reports with JSON
pointers: duplicate keys, nesting past the depth limit, number literals and strings
over their limits. Syntax errors and the end of input stop it with :class:`StopParse`.
It never recurses, so no input can raise RecursionError.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from json import decoder as _json_decoder
from json.decoder import JSONDecodeError
from typing import Any, Protocol

from mi_export.findings import pointer_join
from mi_export.limits import Limits

#: the C-accelerated string scanner of the standard library (absent from typeshed)
scanstring: Callable[[str, int, bool], tuple[str, int]] = _json_decoder.scanstring  # type: ignore[attr-defined]
_WS = re.compile(r"[ \t\n\r]*")
_NUMBER_RUN = re.compile(r"[-+0-9.eE]+")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_NON_JSON = ("NaN", "Infinity", "-Infinity")
_SKIM = re.compile(r'["\[\]{}]')
MISSING: Any = object()  # a value that could not be built (over a limit)


class Window(Protocol):
    """What the parsers need of a text source."""

    buf: str
    eof: bool

    def fill(self) -> bool: ...


class StopParse(Exception):
    """Parsing cannot go on: ``kind`` is "syntax", "eof", "encoding" or "limits"."""

    def __init__(self, kind: str, message: str, pos: int, pointer: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.pos = pos
        self.pointer = pointer


class Issue:
    """A non-fatal problem met while parsing (json.duplicate-key, json.depth, json.limits)."""

    __slots__ = ("code", "message", "pointer", "pos")

    def __init__(self, code: str, message: str, pointer: str, pos: int) -> None:
        self.code = code
        self.message = message
        self.pointer = pointer
        self.pos = pos


def describe(char: str) -> str:
    """Name a character for a syntax message without quoting record text at length."""
    if char in '{}[],:"':
        return repr(char)
    if char.isprintable() and char.isascii():
        return repr(char)
    return f"U+{ord(char):04X}"


class ExactParser:
    """Parse one JSON value at ``pos`` of a window; see the module docstring."""

    def __init__(self, src: Window, limits: Limits) -> None:
        self.src = src
        self.limits = limits
        self.issues: list[Issue] = []

    # -- helpers -----------------------------------------------------------------------

    def _need(self, pos: int, count: int = 1) -> None:
        src = self.src
        while len(src.buf) < pos + count:
            if not src.fill():
                return

    def _skip_ws(self, pos: int) -> int:
        src = self.src
        while True:
            pos = _WS.match(src.buf, pos).end()  # type: ignore[union-attr]
            if pos < len(src.buf) or not src.fill():
                return pos

    def _char(self, pos: int, what: str, pointer: str) -> str:
        self._need(pos)
        if pos >= len(self.src.buf):
            raise StopParse("eof", f"the file ends where {what} was expected", pos, pointer)
        return self.src.buf[pos]

    def _syntax(self, pos: int, message: str, pointer: str) -> StopParse:
        return StopParse("syntax", message, pos, pointer)

    # -- scalars -----------------------------------------------------------------------

    def string(self, pos: int, pointer: str) -> tuple[str, int]:
        """Parse the string whose opening quote is at ``pos``."""
        src = self.src
        while True:
            end = src.buf.find('"', pos + 1)
            while end != -1:
                # a quote preceded by an odd number of backslashes is escaped
                back = end - 1
                while src.buf[back] == "\\":
                    back -= 1
                if (end - back) % 2 == 1:
                    break
                end = src.buf.find('"', end + 1)
            if end != -1:
                break
            if len(src.buf) - pos > 6 * self.limits.max_string_bytes + 2:
                raise StopParse("limits", "a string is longer than the limit", pos, pointer)
            if not src.fill():
                raise StopParse("eof", "the file ends inside a string", pos, pointer)
        try:
            value, after = scanstring(src.buf, pos + 1, True)
        except JSONDecodeError as exc:
            raise self._syntax(exc.pos, exc.msg.lower(), pointer) from None
        if len(value) > self.limits.max_string_bytes // 4 and (
            len(value.encode("utf-8", "surrogatepass")) > self.limits.max_string_bytes
        ):
            self.issues.append(
                Issue(
                    "json.limits",
                    f"a string is longer than the limit of {self.limits.max_string_bytes} bytes",
                    pointer,
                    pos,
                )
            )
        return value, after

    def number(self, pos: int, pointer: str) -> tuple[Any, int]:
        """Parse the number literal at ``pos`` (exact: int or Decimal)."""
        src = self.src
        while True:
            run = _NUMBER_RUN.match(src.buf, pos)
            end = run.end() if run else pos
            if end < len(src.buf) or src.eof or not src.fill():
                break
        if end - pos > self.limits.max_number_chars:
            self.issues.append(
                Issue(
                    "json.limits",
                    f"a number literal is longer than {self.limits.max_number_chars} characters",
                    pointer,
                    pos,
                )
            )
            return MISSING, end
        match = _NUMBER.match(src.buf, pos, end)
        if match is None or match.end() != end:
            bad = match.end() if match else pos
            if src.buf.startswith("-Infinity", pos):
                raise self._syntax(pos, "-Infinity is not JSON", pointer)
            raise self._syntax(bad, "invalid number", pointer)
        literal = match.group()
        if "." not in literal and "e" not in literal and "E" not in literal:
            return int(literal), end
        try:
            return Decimal(literal), end
        except ArithmeticError:  # an exponent beyond what Decimal can hold
            self.issues.append(
                Issue("json.limits", "a number's exponent is out of range", pointer, pos)
            )
            return MISSING, end

    def scalar(self, pos: int, pointer: str) -> tuple[Any, int]:
        """Parse a literal, number or string at ``pos``."""
        src = self.src
        char = src.buf[pos]
        if char == '"':
            return self.string(pos, pointer)
        if char == "-" or "0" <= char <= "9":
            self._need(pos, 9)
            if src.buf.startswith("-Infinity", pos):
                raise self._syntax(pos, "-Infinity is not JSON", pointer)
            return self.number(pos, pointer)
        self._need(pos, 8)
        for word, value in _LITERALS.items():
            if src.buf.startswith(word, pos):
                return value, pos + len(word)
        for word in _NON_JSON:
            if src.buf.startswith(word, pos):
                raise self._syntax(pos, f"{word} is not JSON", pointer)
        tail = src.buf[pos:]
        if src.eof and any(w.startswith(tail) for w in (*_LITERALS, *_NON_JSON)):
            raise StopParse("eof", "the file ends inside a literal", pos, pointer)
        raise self._syntax(pos, f"unexpected character {describe(char)}", pointer)

    # -- containers --------------------------------------------------------------------

    def value(self, pos: int, pointer: str, depth: int) -> tuple[Any, int]:
        """Parse the value at ``pos`` (after white space); ``depth`` is its nesting level."""
        pos = self._skip_ws(pos)
        char = self._char(pos, "a value", pointer)
        if char not in "[{":
            return self.scalar(pos, pointer)
        if depth > self.limits.max_depth:
            self.issues.append(
                Issue(
                    "json.depth",
                    f"nesting deeper than the limit of {self.limits.max_depth}",
                    pointer,
                    pos,
                )
            )
            return MISSING, self.skim(pos, pointer)
        return self._container(pos, pointer, depth)

    def _container(self, pos: int, pointer: str, depth: int) -> tuple[Any, int]:
        # One frame per open container: [container, its pointer, current key, key position].
        stack: list[list[Any]] = []
        while True:
            char = self.src.buf[pos]
            value: Any
            if char in "[{":
                if depth + len(stack) > self.limits.max_depth:
                    self.issues.append(
                        Issue(
                            "json.depth",
                            f"nesting deeper than the limit of {self.limits.max_depth}",
                            pointer,
                            pos,
                        )
                    )
                    value, pos = MISSING, self.skim(pos, pointer)
                else:
                    frame: list[Any] = [{} if char == "{" else [], pointer, "", pos]
                    pos = self._skip_ws(pos + 1)
                    close = "}" if char == "{" else "]"
                    if self._char(pos, f"a value or '{close}'", pointer) == close:
                        value, pos = frame[0], pos + 1
                    else:
                        stack.append(frame)
                        pointer, pos = self._first_slot(frame, pos)
                        continue
            else:
                value, pos = self.scalar(pos, pointer)
            while True:  # hand the value to its parent, then find the next slot
                if not stack:
                    return value, pos
                frame = stack[-1]
                self._place(frame, value)
                pos = self._skip_ws(pos)
                parent = frame[0]
                close = "]" if isinstance(parent, list) else "}"
                char = self._char(pos, f"',' or '{close}'", frame[1])
                if char == close:
                    stack.pop()
                    value, pointer, pos = parent, frame[1], pos + 1
                    continue
                if char != ",":
                    raise self._syntax(
                        pos, f"expected ',' or '{close}', found {describe(char)}", frame[1]
                    )
                pos = self._skip_ws(pos + 1)
                if self._char(pos, "a value", frame[1]) == close:
                    raise self._syntax(pos, f"trailing comma before '{close}'", frame[1])
                pointer, pos = self._next_slot(frame, pos)
                break

    def _first_slot(self, frame: list[Any], pos: int) -> tuple[str, int]:
        if isinstance(frame[0], list):
            return pointer_join(frame[1], 0), pos
        return self._next_slot(frame, pos)

    def _next_slot(self, frame: list[Any], pos: int) -> tuple[str, int]:
        """Pointer and position of the next value in the container of ``frame``."""
        parent, pointer = frame[0], frame[1]
        if isinstance(parent, list):
            return pointer_join(pointer, len(parent)), pos
        frame[3] = pos
        key, pos = self._key(pos, pointer)
        frame[2] = key
        pos = self._skip_ws(pos)
        value_pointer = pointer_join(pointer, key)
        self._char(pos, "a value", value_pointer)
        return value_pointer, pos

    def _key(self, pos: int, pointer: str) -> tuple[str, int]:
        char = self.src.buf[pos]
        if char != '"':
            raise self._syntax(pos, f"expected a key, found {describe(char)}", pointer)
        key, pos = self.string(pos, pointer)
        pos = self._skip_ws(pos)
        char = self._char(pos, "':'", pointer)
        if char != ":":
            raise self._syntax(pos, f"expected ':', found {describe(char)}", pointer)
        return key, pos + 1

    def _place(self, frame: list[Any], value: Any) -> None:
        parent = frame[0]
        if isinstance(parent, list):
            parent.append(value)
            return
        key = frame[2]
        if key in parent:
            self.issues.append(
                Issue(
                    "json.duplicate-key",
                    "duplicate key in an object",
                    pointer_join(frame[1], key),
                    frame[3],
                )
            )
        parent[key] = value

    def skim(self, pos: int, pointer: str) -> int:
        """Skip the container at ``pos`` without building it; return the end position."""
        src = self.src
        level = 0
        while True:
            match = _SKIM.search(src.buf, pos)
            if match is None:
                pos = len(src.buf)
                if not src.fill():
                    raise StopParse("eof", "the file ends inside a nested value", pos, pointer)
                continue
            pos = match.start()
            char = match.group()
            if char == '"':
                _, pos = self.string(pos, pointer)
                continue
            level += 1 if char in "[{" else -1
            pos += 1
            if level == 0:
                return pos
