"""Ed25519 signatures of manifest.json and key loading."""

from __future__ import annotations

import pytest

from mi_export.signing import (
    SigningKeyError,
    generate_keypair,
    load_private_key,
    load_public_key,
    private_key_from_seed,
    serialize_keypair,
    sign_manifest,
    verify_manifest,
)

MANIFEST = b'{"format": "mi-export", "files": []}\n'


@pytest.fixture(scope="module")
def keys() -> tuple[bytes, bytes]:
    return generate_keypair(None)


def test_sign_then_verify(keys: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keys
    sig = sign_manifest(MANIFEST, load_private_key(private_pem, None))
    assert sig.endswith(b"\n") and len(sig) == 89  # 64 bytes -> 88 base64 chars
    assert verify_manifest(MANIFEST, sig, load_public_key(public_pem))


def test_flipped_byte_or_other_key_fails(keys: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keys
    sig = sign_manifest(MANIFEST, load_private_key(private_pem, None))
    public = load_public_key(public_pem)
    for i in range(len(MANIFEST)):
        changed = bytearray(MANIFEST)
        changed[i] ^= 0x01
        assert not verify_manifest(bytes(changed), sig, public)
    _, other_pub = generate_keypair(None)
    assert not verify_manifest(MANIFEST, sig, load_public_key(other_pub))


def test_signature_whitespace_and_bad_base64(keys: tuple[bytes, bytes]) -> None:
    private_pem, public_pem = keys
    public = load_public_key(public_pem)
    sig = sign_manifest(MANIFEST, load_private_key(private_pem, None))
    assert verify_manifest(MANIFEST, b"  \r\n" + sig.strip() + b"\r\n\n", public)
    assert not verify_manifest(MANIFEST, b"not base64 !!", public)
    assert not verify_manifest(MANIFEST, b"", public)
    assert not verify_manifest(MANIFEST, sig[:40] + b"\n", public)


def test_encrypted_private_key_needs_its_passphrase() -> None:
    private_pem, _ = generate_keypair(b"correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in private_pem
    load_private_key(private_pem, b"correct horse")
    with pytest.raises(SigningKeyError, match="encrypted"):
        load_private_key(private_pem, None)
    with pytest.raises(SigningKeyError, match="wrong passphrase"):
        load_private_key(private_pem, b"wrong")


def test_unencrypted_key_with_passphrase_is_refused(keys: tuple[bytes, bytes]) -> None:
    with pytest.raises(SigningKeyError, match="not encrypted"):
        load_private_key(keys[0], b"something")


def test_bad_pem_and_wrong_key_type(keys: tuple[bytes, bytes]) -> None:
    with pytest.raises(SigningKeyError):
        load_private_key(b"garbage", None)
    with pytest.raises(SigningKeyError):
        load_public_key(b"garbage")
    with pytest.raises(SigningKeyError):
        load_public_key(keys[0])  # a private key is not a public key


def test_non_ed25519_keys_are_refused() -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    pub = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(SigningKeyError, match="Ed25519"):
        load_private_key(pem, None)
    with pytest.raises(SigningKeyError, match="Ed25519"):
        load_public_key(pub)


def test_seeded_keys_are_reproducible() -> None:
    one = serialize_keypair(private_key_from_seed(bytes(32)))
    two = serialize_keypair(private_key_from_seed(bytes(32)))
    assert one == two
    # Ed25519 signatures are deterministic too: a fixture's .sig is reproducible.
    key = private_key_from_seed(bytes(32))
    assert sign_manifest(MANIFEST, key) == sign_manifest(MANIFEST, key)
