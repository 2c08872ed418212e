"""A text window over a binary stream: incremental UTF-8 decoding with exact offsets.

The parsers look at ``buf[pos:]``; :meth:`TextSource.fill` appends the next chunk,
:meth:`TextSource.release` forgets text before a position so memory stays bounded.
Byte offsets, lines and columns of any position are computed on demand, so the
hot path pays nothing for them.
"""

from __future__ import annotations

import codecs
import re
from typing import Protocol

CHUNK_BYTES = 1 << 20
UTF8_BOM = b"\xef\xbb\xbf"
_DIGITS_TO_ZERO = bytes(0x30 if chr(i) in "0123456789+-.eE" else 0x20 for i in range(256))

_ENCODED_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")

_WIDE_BOMS = (
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
)


def sniff_wide_encoding(head: bytes) -> str | None:
    """Name the UTF-16/32 encoding of a JSON text from its first bytes, if it is one."""
    for bom, name in _WIDE_BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        if head[0] == 0 and head[1] == 0 and head[2] == 0 and head[3] != 0:
            return "UTF-32 (big-endian)"
        if head[0] != 0 and head[1] == 0 and head[2] == 0 and head[3] == 0:
            return "UTF-32 (little-endian)"
    if len(head) >= 2:
        if head[0] == 0 and head[1] != 0:
            return "UTF-16 (big-endian)"
        if head[0] != 0 and head[1] == 0:
            return "UTF-16 (little-endian)"
    return None


class ByteReader(Protocol):
    """Anything with ``read(size) -> bytes`` (files, archive members, wrappers)."""

    def read(self, size: int = -1, /) -> bytes: ...


class EncodingProblem:
    """Where and why the byte stream stopped being UTF-8."""

    __slots__ = ("message", "offset")

    def __init__(self, offset: int, message: str) -> None:
        self.offset = offset
        self.message = message


class TextSource:
    """Decoded text of a UTF-8 byte stream, read chunk by chunk."""

    def __init__(
        self, stream: ByteReader, chunk_bytes: int = CHUNK_BYTES, max_number_chars: int = 100
    ) -> None:
        self._stream = stream
        self._chunk_bytes = chunk_bytes
        # surrogatepass: an encoded surrogate (ED A0..BF xx) is no reason to stop reading;
        # it comes out as a lone surrogate, reported as text.encoding at its pointer
        # (FORMAT.md §2: "an unpaired surrogate (escaped or not)").
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        self.buf = ""
        self.eof = False
        self.problem: EncodingProblem | None = None
        self.bom = False
        self.wide_encoding: str | None = None
        self._bytes_fed = 0  # raw bytes given to the decoder
        self._base_bytes = 0  # byte offset of buf[0]
        self._base_line = 1  # line number of buf[0]
        self._base_column = 0  # characters between the last newline and buf[0]
        self._started = False
        #: ranges [start, end) of buf (char indices) that may hold a long number literal
        self.number_alerts: list[tuple[int, int]] = []
        #: True when some chunk held characters U+0080..U+00FF (mojibake candidates)
        self.latin_seen = False
        #: True when some chunk held an encoded surrogate (ED A0..BF)
        self.surrogates_seen = False
        self._tail = b""
        self._long_number = b"0" * (max_number_chars + 1)  # a run of number characters

    # -- reading -------------------------------------------------------------------------

    def fill(self) -> bool:
        """Append the next chunk of text; False when nothing more can be read."""
        if self.eof or self.problem is not None:
            return False
        while True:
            data = self._stream.read(self._chunk_bytes)
            if not self._started:
                data = self._start(data)
                if self.problem is not None:
                    return False
            if not data:
                return self._finish()
            before = len(self.buf)
            self._decode(data)
            if len(self.buf) > before:
                return True
            if self.problem is not None:
                return False

    def _start(self, data: bytes) -> bytes:
        self._started = True
        while len(data) < 4:
            more = self._stream.read(self._chunk_bytes)
            if not more:
                break
            data += more
        if data.startswith(UTF8_BOM):
            self.bom = True
            self._bytes_fed = self._base_bytes = len(UTF8_BOM)
            return data[len(UTF8_BOM) :]
        wide = sniff_wide_encoding(data[:4])
        if wide is not None:
            self.wide_encoding = wide
            self.problem = EncodingProblem(0, f"the file is {wide}; data files must be UTF-8")
        return data

    def _decode(self, data: bytes) -> None:
        pending = len(self._decoder.getstate()[0])
        start_of_data = self._bytes_fed - pending
        self._bytes_fed += len(data)
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError as exc:
            # exc.object is the pending bytes followed by data
            self.problem = EncodingProblem(start_of_data + exc.start, "invalid UTF-8 byte sequence")
            prefix = exc.object[: exc.start]
            if prefix:
                self._append(prefix.decode("utf-8", "surrogatepass"), prefix)
            return
        self._append(text, data)  # also when a chunk ends inside a character

    def _finish(self) -> bool:
        try:
            self._decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            pending_start = self._bytes_fed - len(exc.object)
            self.problem = EncodingProblem(
                pending_start + exc.start, "the file ends inside a UTF-8 character"
            )
            return False
        self.eof = True
        return False

    def _append(self, text: str, raw: bytes) -> None:
        start = len(self.buf)
        self.buf = self.buf + text if self.buf else text
        joined = self._tail + raw  # so that a pattern cut by the chunk boundary is seen
        if self._long_number in joined.translate(_DIGITS_TO_ZERO):
            self.number_alerts.append((max(0, start - len(self._tail)), len(self.buf)))
        self._tail = raw[-len(self._long_number) :]
        if not self.latin_seen and (b"\xc2" in joined or b"\xc3" in joined or b"\\u00" in joined):
            self.latin_seen = True
        if not self.surrogates_seen and _ENCODED_SURROGATE.search(joined) is not None:
            self.surrogates_seen = True

    # -- housekeeping ----------------------------------------------------------------

    def release(self, pos: int) -> int:
        """Forget ``buf[:pos]``; return how many characters were dropped."""
        if pos <= 0:
            return 0
        dropped = self.buf[:pos]
        self._base_bytes += len(dropped.encode("utf-8", "surrogatepass"))
        newlines = dropped.count("\n")
        if newlines:
            self._base_line += newlines
            self._base_column = len(dropped) - dropped.rfind("\n") - 1
        else:
            self._base_column += len(dropped)
        self.buf = self.buf[pos:]
        self.number_alerts = [(max(0, a - pos), b - pos) for a, b in self.number_alerts if b > pos]
        return pos

    def number_alert(self, start: int, end: int) -> bool:
        """True when ``buf[start:end]`` may hold a number literal over 100 characters."""
        return any(a < end and start < b for a, b in self.number_alerts)

    # -- positions -------------------------------------------------------------------

    def byte_offset(self, pos: int) -> int:
        """Byte offset in the file (BOM included) of ``buf[pos]``."""
        return self._base_bytes + len(self.buf[:pos].encode("utf-8", "surrogatepass"))

    def line_column(self, pos: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``buf[pos]``."""
        newlines = self.buf.count("\n", 0, pos)
        if newlines:
            return self._base_line + newlines, pos - self.buf.rfind("\n", 0, pos)
        return self._base_line, self._base_column + pos + 1
