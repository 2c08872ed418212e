"""Build small ZIP archives byte by byte for the archive-layer tests.

``build_zip`` writes every header itself so tests can make what ordinary writers
refuse to: ZipCrypto next to AES in one archive, GBK names without the UTF-8 flag,
symlink entries, lying sizes, damaged bytes, overlapping members. AES bodies come
from pyzipper's own encrypter; ``zipfile`` reads the plain results back in a test,
which checks the builder itself.
"""

from __future__ import annotations

import bz2
import random
import struct
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyzipper.zipfile_aes import AESZipEncrypter

PASSWORD = "pa55-wörd"
STORED, DEFLATED, BZIP2 = 0, 8, 12
DOS_TIME, DOS_DATE = 0x6A21, 0x5A61
SYMLINK_ATTR = 0o120777 << 16
_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s4B4H3L5H2L")


@dataclass
class Member:
    """One member to write; the tampering fields let a test lie in the headers."""

    name: str | bytes
    data: bytes = b""
    method: int = DEFLATED
    encryption: str = "none"  # "none", "zipcrypto", "aes-128", "aes-192", "aes-256"
    password: str | None = None  # another password than the archive's
    external_attr: int = 0
    utf8_flag: bool | None = None  # default: set when the name is non-ASCII text
    descriptor: bool = False  # flag bit 3 (ZipCrypto then checks the time byte)
    declared_size: int | None = None  # lie about the uncompressed size
    declared_compressed: int | None = None  # lie about the stored size
    tamper: Callable[[bytes], bytes] | None = None  # change the stored body
    offset_of: int | None = None  # point the central record at another member's header


def zipcrypto_keys(password: bytes) -> list[int]:
    """The three ZipCrypto keys after the password (APPNOTE 6.1.5)."""
    keys = [0x12345678, 0x23456789, 0x34567890]
    for byte in password:
        _update(keys, byte)
    return keys


def _update(keys: list[int], byte: int) -> None:
    keys[0] = _crc_byte(keys[0], byte)
    keys[1] = ((keys[1] + (keys[0] & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
    keys[2] = _crc_byte(keys[2], keys[1] >> 24)


def _crc_byte(crc: int, byte: int) -> int:
    return zlib.crc32(bytes([byte]), crc ^ 0xFFFFFFFF) ^ 0xFFFFFFFF


def zipcrypto(password: bytes, data: bytes, *, decrypt: bool = False) -> bytes:
    """Encrypt (or decrypt) ``data`` with ZipCrypto from a fresh key state."""
    keys = zipcrypto_keys(password)
    out = bytearray()
    for byte in data:
        k = keys[2] | 2
        mask = ((k * (k ^ 1)) >> 8) & 0xFF
        out.append(byte ^ mask)
        _update(keys, byte ^ mask if decrypt else byte)
    return bytes(out)


def _compress(data: bytes, method: int) -> bytes:
    if method == DEFLATED:
        packer = zlib.compressobj(9, zlib.DEFLATED, -15)
        return packer.compress(data) + packer.flush()
    if method == BZIP2:
        return bz2.compress(data)
    return data


def _body(member: Member, password: bytes, rng: random.Random) -> tuple[bytes, int, bytes, int]:
    """(stored body, method field, extra, crc field) of a member."""
    crc = zlib.crc32(member.data)
    packed = _compress(member.data, member.method)
    pwd = member.password.encode() if member.password is not None else password
    if member.encryption == "zipcrypto":
        check = (DOS_TIME >> 8) if member.descriptor else (crc >> 24)
        header = bytes(rng.randrange(256) for _ in range(11)) + bytes([check & 0xFF])
        return zipcrypto(pwd, header + packed), member.method, b"", crc
    if member.encryption.startswith("aes-"):
        bits = int(member.encryption[4:])
        enc = AESZipEncrypter(pwd, nbits=bits)
        body = enc.encryption_header() + enc.encrypt(packed) + enc.flush()
        extra = struct.pack("<HHH2sBH", 0x9901, 7, 2, b"AE", bits // 64 - 1, member.method)
        return body, 99, extra, 0
    return packed, member.method, b"", crc


def build_zip(
    members: Sequence[Member],
    *,
    password: str = PASSWORD,
    zip64: bool = False,
    prefix: bytes = b"",
    comment: bytes = b"",
    seed: int = 1,
) -> bytes:
    """The bytes of a ZIP holding ``members``, optionally with ZIP64 records forced."""
    rng = random.Random(seed)
    out = bytearray(prefix)
    central = bytearray()
    offsets: list[int] = []
    for member in members:
        raw = member.name.encode() if isinstance(member.name, str) else member.name
        utf8 = member.utf8_flag
        if utf8 is None:
            utf8 = isinstance(member.name, str) and not member.name.isascii()
        flags = (0x800 if utf8 else 0) | (0x8 if member.descriptor else 0)
        body, method, extra, crc = _body(member, password.encode(), rng)
        if member.encryption != "none":
            flags |= 0x1
        if member.tamper is not None:
            body = member.tamper(body)
        size = len(member.data) if member.declared_size is None else member.declared_size
        offset = len(out) - len(prefix)
        offsets.append(offset)
        if member.offset_of is not None:
            offset = offsets[member.offset_of]
        local_extra, cd_extra = extra, extra
        stored = len(body) if member.declared_compressed is None else member.declared_compressed
        fields = (size, stored, offset)
        if zip64:
            local_extra = struct.pack("<HHQQ", 1, 16, size, stored) + extra
            cd_extra = struct.pack("<HHQQQ", 1, 24, *fields) + extra
            fields = (0xFFFFFFFF,) * 3
        out += _LOCAL.pack(
            b"PK\x03\x04",
            45 if zip64 else 20,
            flags,
            method,
            DOS_TIME,
            DOS_DATE,
            crc,
            fields[1],
            fields[0],
            len(raw),
            len(local_extra),
        )
        out += raw + local_extra + body
        if member.descriptor:
            out += struct.pack("<4s3L", b"PK\x07\x08", crc, len(body), size)
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            45 if zip64 else 20,
            3,
            45 if zip64 else 20,
            0,
            flags,
            method,
            DOS_TIME,
            DOS_DATE,
            crc,
            fields[1],
            fields[0],
            len(raw),
            len(cd_extra),
            0,
            0,
            0,
            member.external_attr,
            fields[2],
        )
        central += raw + cd_extra
    return bytes(out + _end_records(len(out) - len(prefix), central, len(members), zip64, comment))


def _end_records(cd_offset: int, central: bytes, count: int, zip64: bool, comment: bytes) -> bytes:
    out = bytearray(central)
    if zip64:
        end64 = cd_offset + len(central)
        out += struct.pack(
            "<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, len(central), cd_offset
        )
        out += struct.pack("<4sLQL", b"PK\x06\x07", 0, end64, 1)
        count, size, cd_offset = 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF
    else:
        size = len(central)
    out += struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, size, cd_offset, len(comment))
    return bytes(out + comment)


def write(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` and return the path."""
    path.write_bytes(data)
    return path


def json_member(name: str, table: str = "contact", records: int = 2, **kw: object) -> Member:
    """A small data file ``{table: [...]}`` as a member."""
    body = "[" + ",".join(f'{{"id":"{i + 1}"}}' for i in range(records)) + "]"
    return Member(name, f'{{"{table}":{body}}}'.encode(), **kw)  # type: ignore[arg-type]
