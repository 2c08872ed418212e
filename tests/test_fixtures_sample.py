"""The committed sample archive is what scripts/make_fixtures.py builds today."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import pyzipper

from mi_export.manifest import parse_manifest
from mi_export.signing import load_public_key, verify_manifest
from mi_export.tables import TABLES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
FILES = ["sample-export.zip", "sample-export.password", "sample-signing.key", "sample-signing.pub"]


def _contents(path: Path, password: bytes) -> list[tuple[str, bytes]]:
    with pyzipper.AESZipFile(path) as zf:
        zf.setpassword(password)
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fixtures")
    script = ROOT / "scripts" / "make_fixtures.py"
    subprocess.run(
        [sys.executable, str(script), "--out", str(out), "sample-export"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return out


def _password() -> bytes:
    return (FIXTURES / "sample-export.password").read_bytes().rstrip(b"\r\n")


def test_committed_sample_matches_the_generator(rebuilt: Path) -> None:
    for name in FILES[1:]:
        assert (rebuilt / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    password = _password()
    assert _contents(rebuilt / FILES[0], password) == _contents(FIXTURES / FILES[0], password)


def test_sample_is_aes256_and_signed_with_the_test_key() -> None:
    members = dict(_contents(FIXTURES / "sample-export.zip", _password()))
    with pyzipper.AESZipFile(FIXTURES / "sample-export.zip") as zf:
        assert all(info.wz_aes_strength == 3 for info in zf.infolist())
    public = load_public_key((FIXTURES / "sample-signing.pub").read_bytes())
    assert verify_manifest(members["manifest.json"], members["manifest.json.sig"], public)


def test_sample_holds_every_table_with_the_promised_variety() -> None:
    members = dict(_contents(FIXTURES / "sample-export.zip", _password()))
    manifest, findings = parse_manifest(members["manifest.json"])
    assert manifest is not None and findings == []
    assert set(manifest.table_records()) == set(TABLES)
    assert manifest.table_files("sms") == ["sms.json", "sms-2.json"]
    text = b"".join(data for name, data in members.items() if name.endswith(".json"))
    assert "短信".encode() in text or "你好".encode() in text
    assert "😀".encode() in text or "👋".encode() in text
    sms = [r for p in ("sms.json", "sms-2.json") for r in json.loads(members[p])["sms"]]
    assert {type(r["content"]) for r in sms} == {dict, str}
    assert any(r["deleted"] for r in sms)
    assert any(len(r["id"]) >= 17 and int(r["id"]) > 2**53 for r in sms)
