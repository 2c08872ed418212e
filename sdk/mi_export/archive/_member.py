"""Streaming reader of one ZIP member: decrypt, inflate, check, in constant memory.

Why not ``zipfile``/``pyzipper``'s ``ZipExtFile``: it cuts a member that inflates
past its declared size silently at that size (a bomb whose CRC was forged over its
first bytes reads as valid data), returns an AE-2 member shorter than its declared
size without complaint (its CRC field is 0, and the HMAC does not cover sizes), and
lets ``zlib.error``, ``EOFError`` and ``RuntimeError`` escape. Here every read is
bounded, the declared size is enforced both ways, and every failure is a
:class:`MemberError`.
"""

from __future__ import annotations

import bz2
import io
import zlib
from typing import Protocol

from mi_export.archive._crypto import (
    AES_MAC_SIZE,
    ZIPCRYPTO_HEADER,
    AesDecrypter,
    BadPassword,
    Decrypter,
    Secret,
    ZipCryptoDecrypter,
    aes_header_size,
)
from mi_export.archive._zipformat import BZIP2, DEFLATED, LOCAL_HEADER, ZipRecord
from mi_export.errors import MemberError

_IN_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 20
_STEP = 1 << 16
_FLAG_DESCRIPTOR = 0x8


class DamagedHeader(MemberError):
    """The member's headers are missing or damaged: nothing was decrypted yet."""


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...

    @property
    def needs_input(self) -> bool: ...

    def decompress(self, data: bytes, max_length: int) -> bytes: ...


class _Stored:
    """Method 0: the bytes as they are, handed out ``max_length`` at a time."""

    def __init__(self) -> None:
        self.eof = False
        self.needs_input = True
        self._buffer = b""
        self._pos = 0

    def decompress(self, data: bytes, max_length: int) -> bytes:
        if data:  # only given when needs_input: the buffer is used up
            self._buffer, self._pos = data, 0
        out = self._buffer[self._pos : self._pos + max_length]
        self._pos += len(out)
        self.needs_input = self._pos >= len(self._buffer)
        return out


class _Inflate:
    """Method 8, with zlib's unconsumed input kept here so calls look like ``bz2``'s."""

    def __init__(self) -> None:
        self._zlib = zlib.decompressobj(-15)
        self._tail = b""
        self.needs_input = True

    @property
    def eof(self) -> bool:
        return self._zlib.eof

    def decompress(self, data: bytes, max_length: int) -> bytes:
        out = self._zlib.decompress(self._tail + data, max_length)
        self._tail = self._zlib.unconsumed_tail
        # A full output buffer may leave output pending inside zlib: ask again.
        self.needs_input = not self._tail and len(out) < max_length
        return out


def _decompressor(method: int) -> _Decompressor:
    if method == DEFLATED:
        return _Inflate()
    if method == BZIP2:
        return bz2.BZ2Decompressor()
    return _Stored()


class MemberStream(io.BufferedIOBase):
    """Read-only binary stream of one member's plain bytes.

    ``read(n)`` returns at most ``n`` bytes and never holds more than about a
    megabyte; at the end of the member it checks the size, CRC-32 and AES HMAC.
    """

    def __init__(
        self, path: str, record: ZipRecord, bound: int, secret: Secret | None, member: str
    ) -> None:
        super().__init__()
        self._record = record
        self._member = member
        try:
            self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        except OSError as exc:
            raise self._fail("archive.integrity", f"cannot be read ({exc.strerror})") from None
        self._left_in = 0
        self._produced = 0
        self._crc = 0
        self._done = False
        self._pending = b""
        self._pos = 0
        self._error: MemberError | None = None
        self._decrypter: Decrypter | None = None
        try:
            self._start(bound, secret)
        except OSError as exc:
            self._handle.close()
            raise self._fail("archive.integrity", f"cannot be read ({exc})") from None
        except BaseException:
            self._handle.close()
            raise
        self._decompressor = _decompressor(record.method)

    # -- opening -----------------------------------------------------------------

    def _start(self, bound: int, secret: Secret | None) -> None:
        record = self._record
        self._handle.seek(record.header_offset)
        head = self._handle.read(LOCAL_HEADER.size)
        if len(head) < LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
            raise self._damaged("its local header is missing or damaged")
        name_len, extra_len = LOCAL_HEADER.unpack(head)[-2:]
        if self._handle.read(name_len) != record.raw_name:
            raise self._damaged("its local header names another file than the directory")
        data_start = record.header_offset + LOCAL_HEADER.size + name_len + extra_len
        if data_start + record.compress_size > bound:
            raise self._fail("archive.limits", "its data overlaps the next member (zip bomb?)")
        self._handle.seek(data_start)
        self._left_in = record.compress_size
        if record.encryption != "none":
            self._decrypter = self._open_decrypter(secret)

    def _open_decrypter(self, secret: Secret | None) -> Decrypter:
        record = self._record
        if secret is None:
            raise self._fail("archive.password-required", "is encrypted; a password is needed")
        try:
            if record.aes_strength is not None:
                header = self._take(aes_header_size(record.aes_strength))
                self._left_in -= AES_MAC_SIZE
                self._check_payload()
                return AesDecrypter(secret, record.aes_strength, header)
            header = self._take(ZIPCRYPTO_HEADER)
            self._check_payload()
            check = record.raw_time >> 8 if record.flags & _FLAG_DESCRIPTOR else record.crc >> 24
            return ZipCryptoDecrypter(secret, header, check & 0xFF)
        except BadPassword:
            raise self._fail(
                "archive.integrity",
                "does not open with the password (damaged, or encrypted with another one)",
            ) from None

    def _check_payload(self) -> None:
        if self._left_in < 0:
            raise self._damaged("is shorter than its encryption header")

    def _take(self, size: int) -> bytes:
        data = self._handle.read(size)
        self._left_in -= size
        if len(data) < size:
            raise self._damaged("is cut short (the file ends inside it)")
        return data

    def _damaged(self, message: str) -> DamagedHeader:
        return DamagedHeader("archive.integrity", message, member=self._member)

    # -- reading -----------------------------------------------------------------

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all that is left when ``size`` is negative)."""
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(_OUT_CHUNK), b""))
        out = bytearray()
        while len(out) < size:
            piece = self.read1(size - len(out))
            if not piece:
                break
            out += piece
        return bytes(out)

    def read1(self, size: int = -1) -> bytes:
        """Read up to ``size`` bytes with at most one decompression step's work."""
        if size == 0 or not self._fill(size):
            return b""
        end = len(self._pending) if size < 0 else self._pos + size
        if self._pos == 0 and end >= len(self._pending):
            out = self._pending
        else:
            out = self._pending[self._pos : end]
        self._pos += len(out)
        return out

    def peek(self, size: int = 0) -> bytes:
        """Bytes ready to be read, without consuming them (makes ``readline`` fast)."""
        return self._pending[self._pos :] if self._fill(size) else b""

    def _fill(self, size: int) -> bool:
        """Make sure some output is pending; ``False`` at the end of the member."""
        if self.closed:
            raise ValueError("I/O operation on closed member stream")
        if self._error is not None:
            raise self._error
        if self._pos < len(self._pending):
            return True
        if self._done:
            return False
        want = _OUT_CHUNK if size < 0 else min(max(size, _STEP), _OUT_CHUNK)
        try:
            self._pending, self._pos = self._next(want), 0
        except MemberError as exc:
            self._error = exc
            raise
        except (zlib.error, OSError, EOFError, ValueError, RuntimeError) as exc:
            self._error = self._fail("archive.integrity", f"cannot be read ({exc})")
            raise self._error from None
        return bool(self._pending)

    def _next(self, want: int) -> bytes:
        """The next piece of plain bytes; ``b""`` once the member has ended and checked."""
        dec = self._decompressor
        while True:
            if dec.eof or (dec.needs_input and self._left_in <= 0):
                self._finish()
                return b""
            data = self._read_input() if dec.needs_input else b""
            room = self._record.file_size - self._produced
            # With no room left, ask for one byte: getting it means a bomb.
            out = dec.decompress(data, min(want, room) if room > 0 else 1)
            if out:
                if room <= 0:
                    raise self._fail(
                        "archive.limits",
                        f"inflates past its declared size of {self._record.file_size} bytes",
                    )
                self._produced += len(out)
                self._crc = zlib.crc32(out, self._crc)
                return out

    def _read_input(self) -> bytes:
        size = min(_IN_CHUNK, self._left_in)
        data = self._handle.read(size)
        self._left_in -= size
        if len(data) < size:
            raise self._fail("archive.integrity", "is cut short (the file ends inside it)")
        return self._decrypter.decrypt(data) if self._decrypter is not None else data

    def _finish(self) -> None:
        """End-of-member checks: size, then HMAC (AES) and CRC-32."""
        record = self._record
        if self._produced < record.file_size:
            raise self._fail(
                "archive.integrity",
                f"is cut short: {self._produced} of {record.file_size} bytes",
            )
        if isinstance(self._decrypter, AesDecrypter):
            while self._left_in > 0:  # trailing bytes still count in the HMAC
                self._read_input()
            mac = self._handle.read(AES_MAC_SIZE)
            if not self._decrypter.mac_matches(mac):
                raise self._fail("archive.integrity", "fails its AES authentication (HMAC)")
        # AE-2 stores CRC 0 by design: its HMAC is the check. AE-1 has both.
        crc_expected = not (record.aes_version == 2 and record.crc == 0)
        if crc_expected and self._crc != record.crc:
            raise self._fail("archive.integrity", "fails its CRC-32 check")
        self._done = True

    def _fail(self, code: str, message: str) -> MemberError:
        return MemberError(code, message, member=self._member)

    def close(self) -> None:
        """Close the underlying file."""
        try:
            self._handle.close()
        finally:
            super().close()
