"""Ed25519 signatures of ``manifest.json`` (FORMAT.md §3).

The signature file ``manifest.json.sig`` holds a detached Ed25519 signature over the
exact bytes of ``manifest.json``, in standard base64 followed by a newline. Since the
manifest lists the SHA-256 of every data file, a valid signature authenticates the
whole archive. Private keys are PKCS#8 PEM (optionally passphrase-encrypted); public
keys are SubjectPublicKeyInfo PEM.

Example:
    >>> private_pem, public_pem = generate_keypair(None)
    >>> key = load_private_key(private_pem, None)
    >>> sig = sign_manifest(b'{"format": "mi-export"}', key)
    >>> verify_manifest(b'{"format": "mi-export"}', sig, load_public_key(public_pem))
    True
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from mi_export.errors import MiExportError

__all__ = [
    "Ed25519PrivateKey",
    "Ed25519PublicKey",
    "SigningKeyError",
    "generate_keypair",
    "load_private_key",
    "load_public_key",
    "private_key_from_seed",
    "serialize_keypair",
    "sign_manifest",
    "verify_manifest",
]


class SigningKeyError(MiExportError):
    """A key cannot be loaded: not PEM, not Ed25519, or a wrong or missing passphrase."""


def generate_keypair(passphrase: bytes | None) -> tuple[bytes, bytes]:
    """Make a new Ed25519 key pair.

    Args:
        passphrase: encrypts the private key (PKCS#8, best available encryption);
            None or empty leaves it unencrypted.

    Returns:
        ``(private_pem, public_pem)``: PKCS#8 PEM and SubjectPublicKeyInfo PEM.
    """
    return _pems(Ed25519PrivateKey.generate(), passphrase)


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    """Build a key from a 32-byte seed: only for reproducible *test* keys.

    Args:
        seed: exactly 32 bytes.

    Returns:
        The private key (the same seed always gives the same key).
    """
    return Ed25519PrivateKey.from_private_bytes(seed)


def _pems(key: Ed25519PrivateKey, passphrase: bytes | None) -> tuple[bytes, bytes]:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private_pem, public_pem


def serialize_keypair(
    key: Ed25519PrivateKey, passphrase: bytes | None = None
) -> tuple[bytes, bytes]:
    """Serialise an existing key pair, as :func:`generate_keypair` does.

    Args:
        key: the private key.
        passphrase: encrypts the private key; None leaves it unencrypted.

    Returns:
        ``(private_pem, public_pem)``.
    """
    return _pems(key, passphrase)


def load_private_key(pem: bytes, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Load a PKCS#8 PEM Ed25519 private key.

    Args:
        pem: the PEM text.
        passphrase: the key's passphrase, or None for an unencrypted key.

    Returns:
        The private key.

    Raises:
        SigningKeyError: not a PEM private key, not Ed25519, encrypted without a
            passphrase given, or a wrong passphrase.
    """
    try:
        key = serialization.load_pem_private_key(pem, password=passphrase or None)
    except TypeError as exc:
        if passphrase:
            raise SigningKeyError("the private key is not encrypted; give no passphrase") from None
        raise SigningKeyError(
            "the private key is encrypted: give its passphrase "
            "(--key-passphrase-file or MI_EXPORT_KEY_PASSPHRASE)"
        ) from exc
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError(
            "cannot load the private key: not a PKCS#8 PEM key, or a wrong passphrase"
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError("the private key is not an Ed25519 key")
    return key


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """Load a SubjectPublicKeyInfo PEM Ed25519 public key.

    Args:
        pem: the PEM text.

    Returns:
        The public key.

    Raises:
        SigningKeyError: not a PEM public key, or not Ed25519.
    """
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, UnsupportedAlgorithm):
        raise SigningKeyError("cannot load the public key: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise SigningKeyError("the public key is not an Ed25519 key")
    return key


def sign_manifest(manifest_bytes: bytes, key: Ed25519PrivateKey) -> bytes:
    """Sign the exact bytes of ``manifest.json``.

    Args:
        manifest_bytes: the manifest as stored in the archive.
        key: the signing key.

    Returns:
        The content of ``manifest.json.sig``: standard base64 and a newline.
    """
    return base64.b64encode(key.sign(manifest_bytes)) + b"\n"


def verify_manifest(manifest_bytes: bytes, sig_bytes: bytes, public_key: Ed25519PublicKey) -> bool:
    """Check ``manifest.json.sig`` against ``manifest.json``.

    Args:
        manifest_bytes: the manifest as stored in the archive.
        sig_bytes: the signature file's content; whitespace around the base64 is
            ignored.
        public_key: the trusted key.

    Returns:
        True when the signature is valid for these bytes and this key; False for a
        wrong signature, another key, or a signature file that is not base64.
    """
    try:
        signature = base64.b64decode(sig_bytes.strip(), validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        public_key.verify(signature, manifest_bytes)
    except InvalidSignature:
        return False
    return True
