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


def string_problems(
    text: str, escapes: bool = True, latin: bool = True
) -> Iterator[tuple[str, str, str | None]]:
    """(code, message, re-decoded value or None) for each problem of one string.

    ``escapes`` False skips the surrogate and control checks, ``latin`` False the
    mojibake check: the scanner knows from the raw text when they cannot match.
    """
    if text.isascii():
        if escapes and _CONTROL.search(text):
            yield "text.control", "control character in a string", None
        return
    if escapes:
        if _SURROGATE.search(text):
            yield "text.encoding", "unpaired UTF-16 surrogate in a string", None
        if _CONTROL.search(text):
            yield "text.control", "control character in a string", None
    if latin:
        fixed = unmojibake(text)
        if fixed is not None:
            yield "text.mojibake", "text looks like UTF-8 escaped byte by byte (mojibake)", fixed


def iter_text_problems(
    value: Any, pointer: str, escapes: bool = True, latin: bool = True
) -> Iterator[tuple[str, str, str, str | None]]:
    """Walk a decoded value: (code, message, pointer, re-decoded) per problem found.

    Keys are checked too (a problem in a key points at its member). Iterative, so a
    deep value cannot exhaust the stack; pointers are built only for problems.
    """
    # each entry: (is a key, item, parent entry's pointer or None, token)
    stack: list[tuple[bool, Any, Any, Any]] = [(False, value, None, pointer)]
    while stack:
        is_key, item, parent, token = stack.pop()
        if type(item) is str:
            for code, message, fixed in string_problems(item, escapes, latin):
                where = _pointer(parent, token)
                yield code, ("in a key: " + message) if is_key else message, where, fixed
        elif type(item) is dict:
            here = (parent, token)
            children: list[tuple[bool, Any, Any, Any]] = []
            for key, child in item.items():
                children.append((True, key, here, key))
                children.append((False, child, here, key))
            stack.extend(reversed(children))
        elif type(item) is list:
            here = (parent, token)
            stack.extend((False, child, here, i) for i, child in reversed(list(enumerate(item))))


def _pointer(parent: Any, token: Any) -> str:
    """Rebuild the pointer from the chain of (parent, token) links."""
    tokens = []
    while parent is not None:
        tokens.append(token)
        parent, token = parent
    base = token  # the root's token is the base pointer
    for part in reversed(tokens):
        base = pointer_join(base, part)
    return str(base)
