"""Stream one data file: ``{"table": [record, ...], ...}`` → events and findings.

One pass, in memory bounded by the largest record (FORMAT.md §7), whatever the
file's size. Records are decoded by the fast path (:mod:`._fast`) and, when it cannot
vouch for a record, by the exact parser (:mod:`._exact`), which is the reference for
every finding. ``fast=False`` sends every record through the exact parser: both
modes give the same events (the test suite checks it).
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from typing import Any

from mi_export.findings import Finding, pointer_join
from mi_export.jsonscan._exact import MISSING, ExactParser, StopParse, describe
from mi_export.jsonscan._fast import fast_decode
from mi_export.jsonscan._source import CHUNK_BYTES, ByteReader, TextSource
from mi_export.jsonscan.events import RawRecord, TableEnd, TableStart, fingerprint
from mi_export.jsonscan.textcheck import iter_text_problems
from mi_export.limits import DEFAULT_LIMITS, Limits

Event = TableStart | RawRecord | TableEnd | Finding
RECORD_DEPTH = 3  # the top-level object is 1, a table's array 2, a record 3
_RELEASE_AT = 1 << 20
_VALUE_STARTS = frozenset('{"-0123456789tfn')
#: white space, a comma, white space, and the start of the next record
_NEXT_RECORD = re.compile(r"[ \t\n\r]*,[ \t\n\r]*(?=[^ \t\n\r\]])").match


def scan_file(
    stream: ByteReader,
    *,
    file: str,
    limits: Limits = DEFAULT_LIMITS,
    fast: bool = True,
    show_values: bool = False,
    chunk_bytes: int = CHUNK_BYTES,
) -> Iterator[Event]:
    """Yield the tables, records and findings of one data file, in reading order.

    Args:
        stream: the file's bytes (read sequentially, ``chunk_bytes`` at a time).
        file: the file's path in the archive, for the findings.
        limits: depth, number, string and record limits.
        fast: decode records with the C decoder where it is safe (same results).
        show_values: put re-decoded values in text.mojibake findings.
        chunk_bytes: read size (small values are for tests of chunk boundaries).
    """
    yield from _FileScanner(stream, file, limits, fast, show_values, chunk_bytes).run()


class _FileScanner:
    def __init__(
        self,
        stream: ByteReader,
        file: str,
        limits: Limits,
        fast: bool,
        show_values: bool,
        chunk_bytes: int,
    ) -> None:
        self.src = TextSource(stream, chunk_bytes, limits.max_number_chars)
        self.file = file
        self.limits = limits
        self.fast = fast
        self.show_values = show_values
        self.table: str | None = None
        self.records = 0

    # -- findings ------------------------------------------------------------------------

    def _at(self, code: str, message: str, pos: int | None, **where: Any) -> Finding:
        if pos is not None and code.startswith("json."):
            line, column = self.src.line_column(pos)
            where.update(offset=self.src.byte_offset(pos), line=line, column=column)
        return Finding.make(code, message, file=self.file, **where)

    def _stop_finding(self, stop: StopParse) -> Finding:
        where: dict[str, Any] = {}
        if self.table is not None:
            where.update(table=self.table)
            if stop.pointer and stop.pointer.count("/") >= 2:
                where.update(index=self.records)
        if stop.kind == "eof" and self.src.problem is not None:
            problem = self.src.problem
            return Finding.make(
                "json.encoding", problem.message, file=self.file, offset=problem.offset, **where
            )
        if stop.kind == "eof":
            inside = f"table {self.table!r}" if self.table is not None else "the top-level object"
            message = (
                f"the file ends inside {inside} after {self.records} complete "
                f"record{'' if self.records == 1 else 's'}"
                if self.table is not None
                else f"the file ends inside {inside}"
            )
            return self._at("json.truncated", message, min(stop.pos, len(self.src.buf)), **where)
        code = "json.limits" if stop.kind == "limits" else "json.syntax"
        return self._at(code, stop.message, stop.pos, **where)

    # -- structure -----------------------------------------------------------------------

    def run(self) -> Iterator[Event]:
        parser = ExactParser(self.src, self.limits)
        try:
            self.src.fill()
            if self.src.bom:
                yield Finding.make(
                    "json.bom",
                    "the file starts with a UTF-8 byte order mark",
                    file=self.file,
                    offset=0,
                    line=1,
                    column=1,
                )
            pos = parser._skip_ws(0)
            if pos >= len(self.src.buf):
                if self.src.problem is not None:
                    raise StopParse("eof", "", pos)
                yield self._at("json.syntax", "the file is empty: no JSON value", pos)
                return
            if self.src.buf[pos] not in _VALUE_STARTS and self.src.buf[pos] != "[":
                char = describe(self.src.buf[pos])
                raise StopParse("syntax", f"unexpected character {char}: not JSON", pos)
            if self.src.buf[pos] != "{":
                yield from self._wrong_top(parser, pos)
                return
            yield from self._object(parser, pos)
        except StopParse as stop:
            # problems met in the value the file ends (or breaks) in come first
            where = {"table": self.table} if self.table is not None else {}
            for issue in parser.issues:
                yield self._at(issue.code, issue.message, issue.pos, pointer=issue.pointer, **where)
            yield self._stop_finding(stop)
            if self.table is not None:  # the records read completely before the fault
                yield TableEnd(self.table, self.records)

    def _wrong_top(self, parser: ExactParser, pos: int) -> Iterator[Event]:
        yield self._at(
            "json.shape",
            f"the top level must be an object of tables, found {_kind(self.src.buf[pos])}",
            pos,
        )
        if self.src.buf[pos] == "[":
            end = yield from self._array(parser, pos, None, "")
            self._expect_end(parser, end)
        else:
            _, end = parser.value(pos, "", 1)
            self._expect_end(parser, end)

    def _object(self, parser: ExactParser, pos: int) -> Generator[Event, None, None]:
        seen: set[str] = set()
        pos = parser._skip_ws(pos + 1)
        if parser._char(pos, "a table name or '}'", "") == "}":
            self._expect_end(parser, pos + 1)
            return
        while True:
            key_pos = pos
            name, pos = parser._key(pos, "")
            pointer = pointer_join("", name)
            if name in seen:
                yield self._at(
                    "json.duplicate-key",
                    "the same table key appears twice in the file; both arrays are read",
                    key_pos,
                    table=name,
                    pointer=pointer,
                )
            seen.add(name)
            pos = parser._skip_ws(pos)
            if parser._char(pos, "a value", pointer) == "[":
                self.table, self.records = name, 0
                yield TableStart(name, pointer)
                pos = yield from self._array(parser, pos, name, pointer)
                yield TableEnd(name, self.records)
                self.table = None
            else:
                if self.src.buf[pos] not in _VALUE_STARTS and self.src.buf[pos] != "[":
                    parser.value(pos, pointer, 2)  # raises the syntax error
                yield self._at(
                    "json.shape",
                    f"the value of table key {name!r} must be an "
                    f"array of records, found {_kind(self.src.buf[pos])}",
                    pos,
                    table=name,
                    pointer=pointer,
                )
                _, pos = parser.value(pos, pointer, 2)
            pos = parser._skip_ws(pos)
            char = parser._char(pos, "',' or '}'", "")
            if char == "}":
                self._expect_end(parser, pos + 1)
                return
            if char != ",":
                raise StopParse("syntax", f"expected ',' or '}}', found {describe(char)}", pos)
            pos = parser._skip_ws(pos + 1)
            if parser._char(pos, "a table name", "") == "}":
                raise StopParse("syntax", "trailing comma before '}'", pos)

    def _expect_end(self, parser: ExactParser, pos: int) -> None:
        pos = parser._skip_ws(pos)
        if pos < len(self.src.buf):
            raise StopParse("syntax", "unexpected data after the end of the JSON value", pos)
        if self.src.problem is not None:
            raise StopParse("eof", "", pos)

    def _array(
        self, parser: ExactParser, pos: int, table: str | None, pointer: str
    ) -> Generator[Event, None, int]:
        """Read the records of one table's array; return the position after ']'."""
        pos = parser._skip_ws(pos + 1)
        if parser._char(pos, "a record or ']'", pointer) == "]":
            return pos + 1
        index = 0
        src = self.src
        depth_left = self.limits.max_depth - RECORD_DEPTH + 1
        small = self.limits.max_record_bytes // 4
        long_chars = self.limits.max_string_bytes // 4
        while True:
            if pos > _RELEASE_AT and pos * 2 > len(src.buf):
                pos -= src.release(pos)
            decoded = None
            if self.fast:
                decoded = fast_decode(
                    src, pos, depth_left, self.limits.max_record_bytes, long_chars
                )
            if decoded is not None and decoded[2] is None and decoded[1] - pos <= small:
                # the hot path: a clean record, and most often a comma and the next one
                value, end, _ = decoded
                buf = src.buf
                if table is not None:
                    self.records += 1
                    yield RawRecord(
                        table, index, f"{pointer}/{index}", value, True, fingerprint(buf[pos:end])
                    )
                following = _NEXT_RECORD(buf, end)
                if following is not None:
                    pos = following.end()
                    index += 1
                    continue
                pos = end
            else:
                record_pointer = f"{pointer}/{index}"
                record, pos = yield from self._record(
                    parser, pos, table, index, record_pointer, decoded
                )
                if record is not None and table is not None:
                    self.records += 1
                    yield record
            pos = parser._skip_ws(pos)
            char = parser._char(pos, "',' or ']'", pointer)
            if char == "]":
                return pos + 1
            if char != ",":
                raise StopParse(
                    "syntax", f"expected ',' or ']', found {describe(char)}", pos, pointer
                )
            pos = parser._skip_ws(pos + 1)
            if parser._char(pos, "a record", pointer) == "]":
                raise StopParse("syntax", "trailing comma before ']'", pos, pointer)
            index += 1

    def _record(
        self,
        parser: ExactParser,
        pos: int,
        table: str | None,
        index: int,
        pointer: str,
        decoded: tuple[Any, int, tuple[bool, bool] | None] | None,
    ) -> Generator[Event, None, tuple[RawRecord | None, int]]:
        """Finish one record the fast path could not vouch for (``decoded`` is its try).

        Returns (RawRecord or None, end position).
        """
        src = self.src
        complete = True
        if decoded is None:
            parser.issues.clear()
            value, end = parser.value(pos, pointer, RECORD_DEPTH)
            suspect: tuple[bool, bool] | None = (True, True)
            for issue in parser.issues:
                complete = complete and issue.code == "json.duplicate-key"
                yield self._at(
                    issue.code,
                    issue.message,
                    issue.pos,
                    table=table,
                    index=index,
                    pointer=issue.pointer,
                )
            parser.issues.clear()
        else:
            value, end, suspect = decoded
        if end - pos > self.limits.max_record_bytes // 4 and (
            src.byte_offset(end) - src.byte_offset(pos) > self.limits.max_record_bytes
        ):
            yield self._at(
                "json.limits",
                f"the record is larger than the limit of {self.limits.max_record_bytes} bytes",
                pos,
                table=table,
                index=index,
                pointer=pointer,
            )
            return None, end
        if suspect is not None:
            escapes, latin = suspect
            for code, message, where, fixed in iter_text_problems(value, pointer, escapes, latin):
                shown = fixed if (self.show_values and fixed is not None) else None
                yield Finding.make(
                    code,
                    message,
                    file=self.file,
                    table=table,
                    index=index,
                    pointer=where,
                    value=shown,
                )
        if value is MISSING:
            complete = False
        text_hash = fingerprint(src.buf[pos:end])
        return RawRecord(table or "", index, pointer, value, complete, text_hash), end


def _kind(char: str) -> str:
    if char == "[":
        return "an array"
    if char == "{":
        return "an object"
    if char == '"':
        return "a string"
    return "a number or literal"
