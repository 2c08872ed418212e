"""Decode JSON held inside a string field (object-or-JSON-string content, FORMAT.md §2).

The same rules as for data files hold inside: duplicate keys, depth and number
limits, and the text checks, with pointers that run on into the content. There is no
byte offset: the text is not the file's.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from mi_export.jsonscan._exact import ExactParser, StopParse
from mi_export.jsonscan._fast import decode_text
from mi_export.jsonscan.textcheck import iter_text_problems
from mi_export.limits import Limits

Problem = tuple[str, str, str, Any]  # code, message, pointer, shown value (or None)
_SUSPECT = re.compile(r"\\u|\\b|\\f|[\x80-\xff]|[\ud800-\udfff]")


@functools.cache
def _long_number(limit: int) -> re.Pattern[str]:
    return re.compile(f"[-+0-9.eE]{{{limit + 1}}}")


class _StaticWindow:
    """A complete text, as a window the exact parser can read."""

    def __init__(self, text: str) -> None:
        self.buf = text
        self.eof = True

    def fill(self) -> bool:
        return False


def decode_embedded(
    text: str, pointer: str, depth: int, limits: Limits
) -> tuple[Any, list[Problem], str | None]:
    """Decode ``text``: (value, problems, error message if it is not valid JSON).

    ``depth`` is the nesting level the decoded value counts as (the field's level).
    """
    problems: list[Problem] = []
    fast_ok = (
        text.count("{") + text.count("[") + depth <= limits.max_depth
        and _long_number(limits.max_number_chars).search(text) is None
    )
    value: Any = None
    if fast_ok:
        try:
            value = decode_text(text)
        except ValueError:
            fast_ok = False
    if not fast_ok:
        parser = ExactParser(_StaticWindow(text), limits)
        try:
            value, end = parser.value(0, pointer, depth)
            end = parser._skip_ws(end)
            if end < len(text):
                return None, problems, "unexpected data after the JSON value"
        except StopParse as stop:
            return None, problems, stop.message or "the text ends inside its JSON value"
        problems.extend((i.code, i.message, i.pointer, None) for i in parser.issues)
    if not fast_ok or _SUSPECT.search(text):
        problems.extend(iter_text_problems(value, pointer))
    return value, problems, None
