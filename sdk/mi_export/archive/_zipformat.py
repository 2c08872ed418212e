"""ZIP structure: the end records and the central directory, read in one streaming pass.

We read the central directory ourselves rather than through ``zipfile``/``pyzipper``
so that an archive with millions of records stops at the entry limit instead of
building every record in memory, a damaged record is reported as a damaged
download, and ZIP64, WinZip AES (0x9901) and Info-ZIP Unicode path (0x7075) extras
are decoded in one place (PKWARE APPNOTE 6.3.10, sections 4.3.12-4.3.16, 4.5).
"""

from __future__ import annotations

import io
import stat
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from mi_export.archive._names import decode_name
from mi_export.errors import ArchiveError

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_EOCD = struct.Struct("<4s4H2LH")
_EOCD64_LOCATOR = struct.Struct("<4sLQL")
_EOCD64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4H3L5H2L")
_MAX_COMMENT = 0xFFFF
_AES_METHOD = 99
_FLAG_ENCRYPTED = 0x1
_FLAG_PATCH = 0x20
_FLAG_STRONG = 0x40
STORED, DEFLATED, BZIP2 = 0, 8, 12
SUPPORTED_METHODS = (STORED, DEFLATED, BZIP2)
_METHOD_NAMES = {
    1: "Shrink",
    6: "Implode",
    9: "Deflate64",
    14: "LZMA",
    93: "Zstandard",
    95: "XZ",
    96: "JPEG",
    97: "WavPack",
    98: "PPMd",
}
_UNIX = 3
TRUNCATED = "the ZIP is truncated or incomplete, download again"


@dataclass(frozen=True, slots=True)
class ZipRecord:
    """One central-directory record, with its extras decoded."""

    name: str
    raw_name: bytes
    name_fallback: bool
    flags: int
    method: int
    crc: int
    compress_size: int
    file_size: int
    header_offset: int
    raw_time: int
    external_attr: int
    create_system: int
    aes_strength: int | None
    aes_version: int | None

    @property
    def encryption(self) -> str:
        """``aes-128``/``aes-192``/``aes-256``, ``zipcrypto``, ``none`` or ``unknown``.

        ``unknown`` is an AES member whose AES extra field is missing or damaged, or
        PKWARE strong encryption: such members are never read.
        """
        if self.aes_strength is not None:
            return f"aes-{64 + 64 * self.aes_strength}"
        if self.method == _AES_METHOD or self.flags & _FLAG_STRONG:
            return "unknown"
        return "zipcrypto" if self.flags & _FLAG_ENCRYPTED else "none"

    @property
    def unsupported(self) -> str | None:
        """Why this member cannot be read by this tool, or ``None``."""
        if self.flags & _FLAG_STRONG:
            return "uses PKWARE strong encryption, which is not supported"
        if self.method == _AES_METHOD:
            return "is AES-encrypted but its AES extra field is missing or damaged"
        if self.flags & _FLAG_PATCH:
            return "holds patch data (flag bit 5), which is not supported"
        if self.method not in SUPPORTED_METHODS:
            label = _METHOD_NAMES.get(self.method, "unknown")
            return f"uses compression method {self.method} ({label}), which is not supported"
        return None

    @property
    def is_dir(self) -> bool:
        """A folder entry: its name ends with ``/``.

        The MS-DOS folder attribute alone is not trusted: a member flagged so but
        named like a file would be skipped here and read as a file elsewhere.
        """
        return self.name.endswith("/")

    @property
    def is_symlink(self) -> bool:
        """A symbolic link entry (Unix mode in the high 16 bits of the attributes)."""
        return stat.S_ISLNK(self.external_attr >> 16)


@dataclass(frozen=True)
class Directory:
    """Where the central directory lies and how many records it claims."""

    start: int
    size: int
    count: int
    shift: int


def locate_directory(handle: BinaryIO, file_size: int) -> Directory:
    """Find the central directory from the end records (ZIP64 aware).

    Raises:
        ArchiveError: ``archive.truncated`` when there is no end record or it points
            outside the file; ``archive.unreadable`` for a split (multi-part) ZIP.
    """
    tail_start = max(0, file_size - _EOCD.size - _MAX_COMMENT)
    handle.seek(tail_start)
    tail = handle.read()
    pos = _find_end_record(tail)
    if pos < 0:
        raise ArchiveError("archive.truncated", TRUNCATED)
    _, disk, cd_disk, _, count, size, offset, _ = _EOCD.unpack_from(tail, pos)
    end_pos = tail_start + pos
    if disk != 0 or cd_disk != 0:
        raise ArchiveError(
            "archive.unreadable", "this is one part of a split ZIP; join the parts first"
        )
    zip64 = _read_zip64_end(handle, end_pos)
    if zip64 is not None:
        end_pos, count, size, offset = zip64
    # Data put in front of the ZIP (self-extractors) shifts every offset.
    shift = end_pos - size - offset
    if shift < 0:
        raise ArchiveError("archive.truncated", TRUNCATED)
    return Directory(start=offset + shift, size=size, count=count, shift=shift)


def _find_end_record(tail: bytes) -> int:
    """Offset in ``tail`` of the end record whose comment reaches the end of the file."""
    last_full = -1
    pos = tail.rfind(b"PK\x05\x06")
    while pos >= 0:
        if pos + _EOCD.size <= len(tail):
            comment = struct.unpack_from("<H", tail, pos + 20)[0]
            if pos + _EOCD.size + comment == len(tail):
                return pos
            last_full = max(last_full, pos)
        pos = tail.rfind(b"PK\x05\x06", 0, pos)
    return last_full


def _read_zip64_end(handle: BinaryIO, end_pos: int) -> tuple[int, int, int, int] | None:
    """(position, count, size, offset) from the ZIP64 end record, if there is one."""
    locator_pos = end_pos - _EOCD64_LOCATOR.size
    if locator_pos < 0:
        return None
    handle.seek(locator_pos)
    sig, _, _, _ = _EOCD64_LOCATOR.unpack(handle.read(_EOCD64_LOCATOR.size))
    record_pos = locator_pos - _EOCD64.size
    if sig != b"PK\x06\x07" or record_pos < 0:
        return None
    handle.seek(record_pos)
    fields = _EOCD64.unpack(handle.read(_EOCD64.size))
    if fields[0] != b"PK\x06\x06":
        raise ArchiveError("archive.truncated", TRUNCATED)
    return record_pos, fields[7], fields[8], fields[9]


def iter_records(handle: BinaryIO, directory: Directory) -> Iterator[ZipRecord]:
    """Yield the central-directory records one by one, in container order.

    Args:
        handle: The ZIP file.
        directory: From :func:`locate_directory`.

    Raises:
        ArchiveError: ``archive.truncated`` when a record is cut or damaged.
    """
    handle.seek(directory.start)
    reader = io.BufferedReader(_Bounded(handle, directory.size), 1 << 16)
    while True:
        head = reader.read(_CENTRAL.size)
        if not head or head[:4] in (b"PK\x05\x06", b"PK\x06\x06"):
            return
        if len(head) < _CENTRAL.size or head[:4] != b"PK\x01\x02":
            raise ArchiveError("archive.truncated", f"{TRUNCATED} (damaged central directory)")
        fields = _CENTRAL.unpack(head)
        name_len, extra_len, comment_len = fields[12:15]
        raw_name = reader.read(name_len)
        extra = reader.read(extra_len)
        if len(raw_name) < name_len or len(extra) < extra_len:
            raise ArchiveError("archive.truncated", f"{TRUNCATED} (damaged central directory)")
        reader.read(comment_len)
        yield _record(fields, raw_name, extra, directory.shift)


def _record(fields: tuple[int, ...], raw_name: bytes, extra: bytes, shift: int) -> ZipRecord:
    flags, method, raw_time = fields[5], fields[6], fields[7]
    sizes = [fields[11], fields[10], fields[18]]  # file size, compressed size, offset
    aes: tuple[int, int, int] | None = None
    unicode_name: str | None = None
    for tag, body in _iter_extra(extra):
        if tag == 0x0001:
            _apply_zip64(sizes, body)
        elif tag == 0x9901 and len(body) == 7:
            version, _, strength, actual = struct.unpack("<H2sBH", body)
            aes = (version, strength, actual)
        elif tag == 0x7075 and len(body) > 5 and body[0] == 1:
            unicode_name = _unicode_path(body, raw_name)
    # The UTF-8 flag is not trusted: valid UTF-8 is UTF-8 either way, and a name
    # flagged UTF-8 that is not gets the same GB18030 fallback as an unflagged one.
    if unicode_name is not None:
        name, fallback = unicode_name, False
    else:
        name, fallback = decode_name(raw_name)
    aes_ok = aes is not None and method == _AES_METHOD and aes[1] in (1, 2, 3)
    return ZipRecord(
        name=name,
        raw_name=raw_name,
        name_fallback=fallback,
        flags=flags,
        method=aes[2] if aes_ok and aes is not None else method,
        crc=fields[9],
        compress_size=sizes[1],
        file_size=sizes[0],
        header_offset=sizes[2] + shift,
        raw_time=raw_time,
        external_attr=fields[17],
        create_system=fields[2],
        aes_strength=aes[1] if aes_ok and aes is not None else None,
        aes_version=aes[0] if aes_ok and aes is not None else None,
    )


def _iter_extra(extra: bytes) -> Iterator[tuple[int, bytes]]:
    pos = 0
    while pos + 4 <= len(extra):
        tag, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if len(body) < length:
            return
        yield tag, body
        pos += 4 + length


def _apply_zip64(sizes: list[int], body: bytes) -> None:
    """Replace the saturated 32-bit fields, in APPNOTE order, from the ZIP64 extra."""
    pos = 0
    for i in range(3):
        if sizes[i] == 0xFFFFFFFF and pos + 8 <= len(body):
            sizes[i] = struct.unpack_from("<Q", body, pos)[0]
            pos += 8


def _unicode_path(body: bytes, raw_name: bytes) -> str | None:
    """The Info-ZIP Unicode path, when it belongs to this (unchanged) name."""
    if struct.unpack_from("<L", body, 1)[0] != zlib.crc32(raw_name):
        return None
    try:
        return body[5:].decode("utf-8")
    except UnicodeDecodeError:
        return None


class _Bounded(io.RawIOBase):
    """A raw reader over ``size`` bytes of ``handle`` from its current position."""

    def __init__(self, handle: BinaryIO, size: int) -> None:
        self._handle = handle
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        view = memoryview(buffer).cast("B")
        want = min(len(view), self._left)
        data = self._handle.read(want) if want > 0 else b""
        view[: len(data)] = data
        self._left -= len(data)
        return len(data)
