"""pack, then validate: the archive is valid; tampering and wrong keys are caught."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import pyzipper

from mi_export_validator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "fixtures" / "sample-export.zip"
PASSWORD_FILE = ROOT / "fixtures" / "sample-export.password"
TRUST = ROOT / "fixtures" / "sample-signing.pub"


def _validate(archive: Path, capsys: Any, *options: str) -> tuple[int, list[tuple[str, Any]]]:
    capsys.readouterr()
    code = main(["validate", str(archive), "--format", "json", *options])
    report = json.loads(capsys.readouterr().out)
    return code, [(f["code"], f.get("file")) for f in report["findings"]]


@pytest.fixture
def packed(tmp_path: Path) -> Path:
    """The sample's records, unpacked to a directory and packed again by `pack`."""
    source = tmp_path / "source"
    source.mkdir()
    with pyzipper.AESZipFile(SAMPLE) as zf:
        zf.setpassword(PASSWORD_FILE.read_bytes().strip())
        for name in zf.namelist():
            if name.endswith(".json") and name != "manifest.json":
                (source / name).write_bytes(zf.read(name))
    assert main(["keygen", str(tmp_path / "signer")]) == 0
    out = tmp_path / "out.zip"
    argv = ["pack", str(source), "-o", str(out), "--password-file", str(PASSWORD_FILE)]
    assert main([*argv, "--sign-key", str(tmp_path / "signer.key")]) == 0
    return out


def test_pack_then_validate_with_trust_key(packed: Path, capsys: Any) -> None:
    trust = packed.parent / "signer.pub"
    options = ("--password-file", str(PASSWORD_FILE), "--trust-key", str(trust))
    assert _validate(packed, capsys, *options) == (0, [])


def test_wrong_trust_key(packed: Path, capsys: Any) -> None:
    options = ("--password-file", str(PASSWORD_FILE), "--trust-key", str(TRUST))
    code, findings = _validate(packed, capsys, *options)
    assert code == 1
    assert findings == [("manifest.signature-invalid", "manifest.json")]


def _rewrite(src: Path, dst: Path, change: Any) -> None:
    """Copy an archive, re-encrypted, with member bytes changed by ``change``."""
    password = PASSWORD_FILE.read_bytes().strip()
    with pyzipper.AESZipFile(src) as zin:
        zin.setpassword(password)
        members = [(name, zin.read(name)) for name in zin.namelist()]
    with pyzipper.AESZipFile(dst, "w", encryption=pyzipper.WZ_AES) as zout:
        zout.setpassword(password)
        for name, data in members:
            zout.writestr(name, change(name, data))


def test_changed_data_byte_gives_checksum_error(packed: Path, capsys: Any) -> None:
    tampered = packed.parent / "tampered.zip"

    def flip(name: str, data: bytes) -> bytes:
        if name != "contact.json":
            return data
        return data.replace("张伟".encode(), "张为".encode(), 1)  # same size

    _rewrite(packed, tampered, flip)
    code, findings = _validate(tampered, capsys, "--password-file", str(PASSWORD_FILE))
    assert code == 1
    assert findings == [("manifest.checksum", "contact.json")]


def test_changed_manifest_breaks_the_signature(packed: Path, capsys: Any) -> None:
    tampered = packed.parent / "tampered.zip"

    def retype(name: str, data: bytes) -> bytes:
        return data.replace(b'"migration"', b'"backup"') if name == "manifest.json" else data

    _rewrite(packed, tampered, retype)
    trust = packed.parent / "signer.pub"
    options = ("--password-file", str(PASSWORD_FILE), "--trust-key", str(trust))
    code, findings = _validate(tampered, capsys, *options)
    assert code == 1
    assert ("manifest.signature-invalid", "manifest.json") in findings


def test_flipped_stored_byte_is_detected(packed: Path, capsys: Any) -> None:
    data = bytearray(packed.read_bytes())
    with pyzipper.AESZipFile(packed) as zf:
        start = zf.getinfo("sms.json").header_offset
    name_len = int.from_bytes(data[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(data[start + 28 : start + 30], "little")
    salt_and_verifier = 16 + 2  # AES-256
    data[start + 30 + name_len + extra_len + salt_and_verifier + 10] ^= 0x01
    tampered = packed.parent / "flipped.zip"
    tampered.write_bytes(bytes(data))
    code, findings = _validate(tampered, capsys, "--password-file", str(PASSWORD_FILE))
    assert code == 1
    assert {c for c, _ in findings} & {"archive.integrity", "manifest.checksum"}
