"""Member decryption: WinZip AES (through pyzipper) and legacy ZipCrypto.

The password is held in a :class:`Secret` so that it never shows in a ``repr``, a
traceback's locals summary or an exception message.
"""

from __future__ import annotations

import hmac
from types import SimpleNamespace
from typing import Protocol

from pyzipper.zipfile_aes import AESZipDecrypter

_AES_SALT = {1: 8, 2: 12, 3: 16}
AES_MAC_SIZE = 10
ZIPCRYPTO_HEADER = 12


class Secret:
    """A password, as UTF-8 bytes, that never shows in ``repr`` or ``str``."""

    __slots__ = ("_value",)

    def __init__(self, value: str | bytes) -> None:
        self._value = value.encode("utf-8") if isinstance(value, str) else bytes(value)

    def reveal(self) -> bytes:
        """The password bytes, for the decrypter only."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


class BadPassword(Exception):
    """The member's password check (AES verifier, ZipCrypto check byte) failed."""


class Decrypter(Protocol):
    """Decrypts a member's bytes in order, chunk by chunk."""

    def decrypt(self, data: bytes) -> bytes:
        """Decrypt the next chunk."""
        ...


def aes_header_size(strength: int) -> int:
    """Salt plus password verifier, in bytes, for AES strength 1, 2 or 3."""
    return _AES_SALT[strength] + 2


class AesDecrypter:
    """WinZip AE-1/AE-2: AES-CTR and HMAC-SHA1 over the encrypted bytes."""

    def __init__(self, secret: Secret, strength: int, header: bytes) -> None:
        info = SimpleNamespace(filename="member", wz_aes_strength=strength)
        try:
            self._inner = AESZipDecrypter(info, secret.reveal(), header)
        except RuntimeError:  # pyzipper's "Bad password": the 2-byte verifier differs
            raise BadPassword() from None

    def decrypt(self, data: bytes) -> bytes:
        """Decrypt the next chunk and feed it to the HMAC."""
        return bytes(self._inner.decrypt(data))

    def mac_matches(self, mac: bytes) -> bool:
        """Whether the member's stored 10-byte HMAC matches what was read."""
        expected: bytes = self._inner.hmac.digest()[:AES_MAC_SIZE]
        return hmac.compare_digest(expected, mac)


def _crc_table() -> list[int]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC_TABLE = _crc_table()
# The keystream byte depends on the low 16 bits of key 2 only: look it up.
_MASK = bytes((((k | 2) * ((k | 2) ^ 1)) >> 8) & 0xFF for k in range(1 << 16))


class ZipCryptoDecrypter:
    """Traditional PKWARE encryption (APPNOTE 6.1). Its check is one byte only."""

    def __init__(self, secret: Secret, header: bytes, check_byte: int) -> None:
        self._keys = [0x12345678, 0x23456789, 0x34567890]
        for byte in secret.reveal():
            self._update(byte)
        if self.decrypt(header)[-1] != check_byte:
            raise BadPassword()

    def _update(self, byte: int) -> None:
        k0, k1, k2 = self._keys
        k0 = (k0 >> 8) ^ _CRC_TABLE[(k0 ^ byte) & 0xFF]
        k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
        k2 = (k2 >> 8) ^ _CRC_TABLE[(k2 ^ (k1 >> 24)) & 0xFF]
        self._keys = [k0, k1, k2]

    def decrypt(self, data: bytes) -> bytes:
        """Decrypt the next chunk (a tight loop: ZipCrypto is byte-serial)."""
        k0, k1, k2 = self._keys
        table, mask = _CRC_TABLE, _MASK
        out = bytearray(len(data))
        for i, c in enumerate(data):
            c ^= mask[k2 & 0xFFFF]
            out[i] = c
            k0 = (k0 >> 8) ^ table[(k0 ^ c) & 0xFF]
            k1 = ((k1 + (k0 & 0xFF)) * 134775813 + 1) & 0xFFFFFFFF
            k2 = (k2 >> 8) ^ table[(k2 ^ (k1 >> 24)) & 0xFF]
        self._keys = [k0, k1, k2]
        return bytes(out)
