"""Text checks on decoded values: unpaired surrogates, control characters, mojibake.

They run on the decoded Python strings, so they do not depend on how a parser
backend treats escapes (some replace a lone surrogate with ``?``): the scanner only
hands over values from decoders that keep lone surrogates as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from mi_export.findings import pointer_join

_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def unmojibake(text: str) -> str | None:
    """The text re-decoded when it is UTF-8 escaped byte by byte, else None.

    Only code points up to U+00FF whose Latin-1 bytes form valid multi-byte UTF-8
    qualify: ``"Rados\\u00c5\\u0082aw"`` gives ``"Radosław"``, ``"Zoë"`` gives None.
    """
    if text.isascii() or max(text) > "\xff":
        return None
    try:
        fixed = text.encode("latin-1").decode("utf-8")
    except UnicodeDecodeError:
        return None
    return fixed if fixed != text else None


def string_problems(text: str) -> Iterator[tuple[str, str, str | None]]:
    """(code, message, re-decoded value or None) for each problem of one string."""
    if _SURROGATE.search(text):
        yield "text.encoding", "unpaired UTF-16 surrogate in a string", None
    if _CONTROL.search(text):
        yield "text.control", "control character in a string", None
    fixed = unmojibake(text)
    if fixed is not None:
        yield "text.mojibake", "text looks like UTF-8 escaped byte by byte (mojibake)", fixed


def iter_text_problems(
    value: Any, pointer: str
) -> Iterator[tuple[str, str, str, str | None]]:
    """Walk a decoded value: (code, message, pointer, re-decoded) per problem found.

    Keys are checked too (a problem in a key points at its member). Iterative, so a
    deep value cannot exhaust the stack.
    """
    stack: list[tuple[bool, Any, str]] = [(False, value, pointer)]
    while stack:
        is_key, item, where = stack.pop()
        if is_key:
            for code, message, fixed in string_problems(item):
                yield code, "in a key: " + message, where, fixed
        elif isinstance(item, str):
            for code, message, fixed in string_problems(item):
                yield code, message, where, fixed
        elif isinstance(item, dict):
            children: list[tuple[bool, Any, str]] = []
            for key, child in item.items():
                child_pointer = pointer_join(where, key)
                children.append((True, key, child_pointer))
                children.append((False, child, child_pointer))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(
                (False, child, pointer_join(where, i))
                for i, child in reversed(list(enumerate(item)))
            )
