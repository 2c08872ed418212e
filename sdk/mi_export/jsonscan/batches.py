"""The quick scan: a data file cut into batches of whole records, checked by the caller.

:func:`scan_batches` reads the bytes of a file shaped ``{"table": [record, ...], ...}``
and cuts each table's array into batches of about ``target`` bytes, ending after a
record. It does not parse records itself: it guesses a cut (a ``}`` followed by a comma
and ``{``, or by ``]``), then lets msgspec decode ``[`` + the batch + ``]`` as a list of
raw values. The bytes before the guess are the file's own, read from a record's start,
so that decoding succeeds only when the guess is a real boundary between records (a
guess inside a string or a nested array leaves the list unclosed); otherwise the next
guess is tried, a bounded number of times. ``check(table, batch)`` then says whether
every record of the batch is clean (and gives their duplicate keys).

Anything it is not sure of raises :class:`NeedsExactScan`: a byte order mark, a table
it was not given, a repeated table, a batch that fails its check, an odd layout, a
truncated file. The caller then reads the file again with :func:`scan_file`, which
finds and reports everything; records this scan already vouched for are in
``NeedsExactScan.done``. Memory is bounded by ``max_batch`` plus one read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Generator, Iterator
from dataclasses import dataclass
from typing import Any

import msgspec

from mi_export.jsonscan._source import ByteReader
from mi_export.jsonscan.events import TableEnd, TableStart

Check = Callable[[str, bytes], "list[Any] | None"]

_WS = rb"[ \t\r\n]*"
_HEAD = re.compile(_WS + rb"\{" + _WS)
_TABLE = re.compile(rb'"([A-Za-z_][A-Za-z0-9_]{0,63})"' + _WS + rb":" + _WS + rb"\[" + _WS)
_AFTER_TABLE = re.compile(_WS + rb"([,}])" + _WS)
#: a guess at the end of a record: '}', then ',' and the next record's '{', or ']'
_CUT = re.compile(rb"\}" + _WS + rb"(?:," + _WS + rb"(?=\{)|\])")
_MAX_GUESSES = 64
_SLACK = 1024  # bytes read beyond a batch's target, so the end of a record is in view
#: msgspec's message when a value ends before the input does (where the rest begins)
_TRAILING = re.compile(r"JSON is malformed: trailing characters \(byte (\d+)\)")
_raw_list = msgspec.json.Decoder(list[msgspec.Raw]).decode


class NeedsExactScan(Exception):
    """The quick scan cannot vouch for the rest of the file.

    ``done`` maps each table to the number of its records (from the start of its first
    array in the file) that were vouched for and handed to the caller.
    """

    def __init__(self, reason: str, done: dict[str, int]) -> None:
        super().__init__(reason)
        self.reason = reason
        self.done = done


@dataclass(frozen=True, slots=True)
class RecordBatch:
    """Records ``first_index`` … of ``table``, all clean: their keys and fingerprints.

    A fingerprint is the hash of the record's UTF-8 text, as :func:`scan_file` gives.
    """

    table: str
    first_index: int
    keys: list[Any]
    fingerprints: list[int]


class _Bytes:
    """The file's bytes from a window start, read ``read_size`` at a time."""

    def __init__(self, stream: ByteReader, read_size: int) -> None:
        self._stream = stream
        self._read_size = read_size
        self.buf = b""
        self.eof = False

    def more(self) -> bool:
        """Read once more; False at the end of the file."""
        if self.eof:
            return False
        data = self._stream.read(self._read_size)
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def have(self, pos: int, count: int) -> None:
        """Read until ``count`` bytes from ``pos`` are there, or the file ends."""
        while len(self.buf) - pos < count and self.more():
            pass

    def forget(self, pos: int) -> int:
        """Drop the bytes before ``pos`` once they are many; return the new position."""
        if pos > (1 << 20) and pos * 2 > len(self.buf):
            self.buf = self.buf[pos:]
            return 0
        return pos


def scan_batches(
    stream: ByteReader,
    check: Check,
    tables: Collection[str],
    *,
    target: int = 1 << 18,
    max_batch: int = 4 << 20,
    max_record: int | None = None,
    read_size: int = 1 << 20,
) -> Iterator[TableStart | RecordBatch | TableEnd]:
    """Yield the tables and clean record batches of one file; raise NeedsExactScan.

    Args:
        stream: the file's bytes.
        check: ``check(table, batch)`` gives the keys of the records of ``batch`` (a
            JSON array) when all are clean, else None.
        tables: the tables ``check`` knows; any other one stops the quick scan.
        target: the size of a batch, about.
        max_batch: the largest batch: a record that does not end within it stops
            the quick scan.
        max_record: the largest record (FORMAT.md §7); a larger one stops the quick
            scan. Default ``max_batch``.
        read_size: read size.
    """
    scan = _QuickScan(
        _Bytes(stream, read_size),
        check,
        tables,
        target,
        max_batch,
        max_batch if max_record is None else max_record,
    )
    try:
        yield from scan.run()
    except NeedsExactScan as stop:
        raise NeedsExactScan(stop.reason, scan.done) from None


def _stop(reason: str) -> NeedsExactScan:
    return NeedsExactScan(reason, {})


class _QuickScan:
    def __init__(
        self,
        source: _Bytes,
        check: Check,
        tables: Collection[str],
        target: int,
        max_batch: int,
        max_record: int,
    ) -> None:
        self.source = source
        self.check = check
        self.tables = tables
        self.target = target
        self.max_batch = max_batch
        self.max_record = max_record
        self.done: dict[str, int] = {}

    def run(self) -> Iterator[TableStart | RecordBatch | TableEnd]:
        source = self.source
        source.have(0, 256)
        head = _HEAD.match(source.buf)
        if head is None:
            raise _stop("the file does not start with '{'")
        pos = head.end()
        while True:
            source.have(pos, 256)
            table = _TABLE.match(source.buf, pos)
            if table is None:
                raise _stop("not a table key and array")
            name = table.group(1).decode("ascii")
            if name not in self.tables or name in self.done:
                raise _stop(f"table {name!r} is read record by record")
            self.done[name] = 0
            yield TableStart(name, "/" + name)
            pos = yield from self._array(table.end(), name)
            yield TableEnd(name, self.done[name])
            source.have(pos, 256)
            after = _AFTER_TABLE.match(source.buf, pos)
            if after is None:
                raise _stop("no ',' or '}' after a table")
            pos = after.end()
            if after.group(1) == b"}":
                break
        source.have(pos, 1)
        if len(source.buf) > pos or not source.eof:
            raise _stop("data after the top-level object")

    def _array(self, pos: int, name: str) -> Generator[RecordBatch, None, int]:
        """Batches of one table's array from its first record; return the position after ']'."""
        source, target = self.source, self.target
        if source.buf[pos : pos + 1] == b"]":
            return pos + 1
        while True:
            pos = source.forget(pos)
            source.have(pos, target + _SLACK)
            if source.eof and len(source.buf) - pos <= target + _SLACK:  # the end is in view
                return (yield from self._last_batch(pos, name))
            buf = source.buf
            cut = _CUT.search(buf, pos + target)
            guesses = 0
            while True:
                if cut is None:
                    searched = len(buf)
                    if searched - pos > self.max_batch or not source.more():
                        raise _stop("no end of a record within the batch limit")
                    buf = source.buf
                    cut = _CUT.search(buf, max(pos + target, searched - _SLACK))
                    continue
                batch = b"[" + buf[pos : cut.start() + 1] + b"]"
                try:
                    raws = _raw_list(batch)
                except RecursionError:  # msgspec recurses on nesting: the exact scan does not
                    raise _stop("deep nesting") from None
                except msgspec.DecodeError:
                    guesses += 1
                    if guesses >= _MAX_GUESSES:
                        raise _stop("no record boundary found") from None
                    cut = _CUT.search(buf, cut.start() + 1)
                    continue
                break
            yield self._vouch(name, batch, raws)
            pos = cut.end()
            if buf[pos - 1 : pos] == b"]":
                return pos

    def _last_batch(self, pos: int, name: str) -> Generator[RecordBatch, None, int]:
        """The rest of the array, all in view: msgspec finds where it ends."""
        buf = self.source.buf
        try:
            _raw_list(b"[" + buf[pos:])
        except RecursionError:
            raise _stop("deep nesting") from None
        except msgspec.DecodeError as exc:
            ended = _TRAILING.fullmatch(str(exc))
            if ended is None:
                raise _stop("the last records need a closer look") from None
            # "byte N": msgspec counts the first trailing character as read (N is one
            # past it; the '[' added is byte 0); accept the exact index too, should that
            # change
            after = pos + int(ended.group(1)) - 1
            end = next((i for i in (after - 1, after) if buf[i : i + 1] in (b",", b"}")), -1)
            if end < 0:
                raise _stop("the last records need a closer look") from None
        else:
            raise _stop("the file ends after the array")
        batch = b"[" + buf[pos:end]
        try:
            raws = _raw_list(batch)
        except (msgspec.DecodeError, RecursionError):
            raise _stop("the last records need a closer look") from None
        yield self._vouch(name, batch, raws)
        return end

    def _vouch(self, name: str, batch: bytes, raws: list[msgspec.Raw]) -> RecordBatch:
        if not raws or max(map(len, raws)) > self.max_record:
            raise _stop("a record over the size limit")
        keys = self.check(name, batch)
        if keys is None:
            raise _stop("a record needs a closer look")
        first = self.done[name]
        self.done[name] = first + len(raws)
        return RecordBatch(name, first, keys, list(map(hash, map(bytes, raws))))
