"""Inputs of ``mi-export pack``: JSON files, JSON Lines files and directories of them.

A JSON input is ``{"table": [record, ...], ...}``, read with the validator's streaming
scanner (:func:`mi_export.jsonscan.scan_file`): one pass, exact numbers (big integers
stay ints, decimals come as :class:`~decimal.Decimal`), memory bounded by the largest
record, and syntax errors located by byte offset, line and column. A JSON Lines input
holds one record a line; its table is ``--table`` or the file name's stem.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, Literal

from mi_export.findings import Finding
from mi_export.jsonscan import RawRecord, TableEnd, TableStart, scan_file
from mi_export.limits import DEFAULT_LIMITS

JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
_SKIPPED_NAMES = frozenset({"manifest.json"})
_PART_SUFFIX = re.compile(r"-[0-9]+$")


class InputError(Exception):
    """An input cannot be used at all (a usage error: exit 2)."""


@dataclass(frozen=True)
class InputFile:
    """One input file; ``name`` is how messages call it."""

    path: Path
    name: str
    kind: Literal["json", "jsonl"]
    table: str | None = None

    @property
    def size(self) -> int:
        """Size in bytes (for the progress bar)."""
        return self.path.stat().st_size


@dataclass(frozen=True)
class InputRecord:
    """A record read from an input: ``where`` says where, for messages."""

    table: str
    value: Any
    where: str
    pointer: str


Event = TableStart | InputRecord | TableEnd | Finding


def _order(path: Path) -> str:
    # As readers order split files: by path with the suffix removed ("sms" < "sms-2").
    return str(path.with_suffix(""))


def discover(paths: Sequence[Path], table: str | None) -> list[InputFile]:
    """The input files, in order; directories give their JSON and JSON Lines files.

    Raises:
        InputError: a file of another type, or a directory with no input in it.
    """
    found: list[InputFile] = []
    for path in paths:
        if path.is_dir():
            files = [
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix in JSON_SUFFIXES | JSONL_SUFFIXES
                and not p.name.startswith(".")
                and p.name not in _SKIPPED_NAMES
            ]
            if not files:
                raise InputError(f"{path}: no .json, .jsonl or .ndjson file inside")
            found += [
                _input(p, str(p.relative_to(path.parent)), table) for p in sorted(files, key=_order)
            ]
        else:
            found.append(_input(path, str(path), table))
    return found


def _input(path: Path, name: str, table: str | None) -> InputFile:
    if path.suffix in JSON_SUFFIXES:
        return InputFile(path, name, "json")
    if path.suffix in JSONL_SUFFIXES:
        return InputFile(path, name, "jsonl", table or _PART_SUFFIX.sub("", path.stem))
    raise InputError(f"{name}: not a .json, .jsonl or .ndjson file")


def iter_input(source: InputFile, stream: BinaryIO) -> Iterator[Event]:
    """Tables, records and problems of one input, in reading order."""
    if source.kind == "json":
        yield from _iter_json(source, stream)
    else:
        yield from _iter_jsonl(source, io.BufferedReader(stream))  # type: ignore[arg-type]


def _iter_json(source: InputFile, stream: BinaryIO) -> Iterator[Event]:
    for event in scan_file(stream, file=source.name):
        if isinstance(event, RawRecord):
            if event.complete:  # an incomplete record comes with its error finding
                where = f"record {event.index}"
                yield InputRecord(event.table, event.value, where, event.pointer)
        else:
            yield event


def _iter_jsonl(source: InputFile, stream: io.BufferedReader) -> Iterator[Event]:
    table = source.table
    assert table is not None
    yield TableStart(table, "")
    count = 0
    limit = DEFAULT_LIMITS.max_record_bytes
    for number, line in enumerate(iter(lambda: stream.readline(limit + 1), b""), start=1):
        if len(line) > limit:
            yield Finding.make(
                "json.limits",
                "the line is longer than the record limit",
                file=source.name,
                line=number,
                table=table,
            )
            return
        value = _parse_line(line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line)
        if isinstance(value, Finding):
            yield value.located(file=source.name, line=number, table=table)
        elif value is not _BLANK:
            yield InputRecord(table, value, f"line {number}", "")
            count += 1
    yield TableEnd(table, count)


_BLANK = object()


def _parse_line(line: bytes) -> Any:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Finding.make("json.encoding", "the line is not UTF-8", column=exc.start + 1)
    if not text.strip():
        return _BLANK
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        return Finding.make("json.syntax", exc.msg, column=exc.colno)
    except (ValueError, RecursionError) as exc:
        return Finding.make("json.syntax", str(exc))


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class CountingReader(io.RawIOBase):
    """A binary file that counts the bytes read through it (for the progress bar)."""

    def __init__(self, raw: BinaryIO, on_read: Any) -> None:
        self._raw = raw
        self._on_read = on_read

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._on_read(len(data))
        return len(data)
