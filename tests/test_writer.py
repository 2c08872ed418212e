"""ArchiveWriter: layout, exact JSON, splitting, manifest, atomicity."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pyzipper

from mi_export.errors import RecordValidationError, WriterError
from mi_export.manifest import parse_manifest
from mi_export.passwords import Secret
from mi_export.signing import (
    load_public_key,
    private_key_from_seed,
    serialize_keypair,
    verify_manifest,
)
from mi_export.writer import ArchiveWriter

CLOCK = 1764633600000
PASSWORD = "pw-测试-😀"


def _sms(i: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": str(10**17 + i),
        "content": {
            "address": "+8613800138000",
            "body": f"你好 {i} 😀",
            "folder": "0",
            "localTime": CLOCK - i,
            "threadId": "18446744073709551615",
        },
        "creator": "user",
        "deleted": False,
        "lastUpdateTime": CLOCK - i,
    }
    record.update(extra)
    return record


def _writer(path: Path, **kw: Any) -> ArchiveWriter:
    kw.setdefault("password", PASSWORD)
    return ArchiveWriter(path, clock=lambda: CLOCK, export_id="test-export", **kw)


def _read(path: Path, password: str | None = PASSWORD) -> dict[str, bytes]:
    with pyzipper.AESZipFile(path) as zf:
        if password is not None:
            zf.setpassword(password.encode())
        return {info.filename: zf.read(info.filename) for info in zf.infolist()}


def test_round_trip_encrypted(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with _writer(out) as writer:
        writer.write_table("sms", (_sms(i) for i in range(50)))
        writer.write_table("contact", [])
    members = _read(out)
    assert list(members) == ["sms.json", "contact.json", "manifest.json"]
    assert json.loads(members["sms.json"]) == {"sms": [_sms(i) for i in range(50)]}
    assert json.loads(members["contact.json"]) == {"contact": []}
    with pyzipper.AESZipFile(out) as zf:
        for info in zf.infolist():
            assert info.flag_bits & 0x1 and info.wz_aes_strength == 3  # AES-256
    with pytest.raises(RuntimeError), pyzipper.AESZipFile(out) as zf:
        zf.read("sms.json")  # no password


def test_json_is_exact_utf8(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    record = {
        "id": "1",
        "cardContent": {"lat": Decimal("31.230416000000000001"), "big": 2**80, "f": 0.1},
        "recordStatus": "normal",
        "syncStatus": "synced",
    }
    with _writer(out) as writer:
        writer.write_table("micard", [record])
    raw = _read(out)["micard.json"]
    assert raw == (
        b'{"micard":[\n{"id":"1","cardContent":{"lat":31.230416000000000001,'
        b'"big":1208925819614629174706176,"f":0.1},"recordStatus":"normal",'
        b'"syncStatus":"synced"}\n]}\n'
    )
    body = _read(_write_one(tmp_path, _sms(1)))["sms.json"]
    assert "你好 1 😀".encode() in body and b"\\u" not in body


def _write_one(tmp_path: Path, record: dict[str, Any], **kw: Any) -> Path:
    out = tmp_path / "one.zip"
    with _writer(out, overwrite=True, **kw) as writer:
        writer.write_table("sms", [record])
    return out


def test_split_files_and_manifest(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with _writer(out, split_bytes=1000) as writer:
        writer.write_table("sms", (_sms(i) for i in range(20)))
        writer.write_table("contact", [])
    members = _read(out)
    parts = [name for name in members if name.startswith("sms")]
    assert parts[:3] == ["sms.json", "sms-2.json", "sms-3.json"]
    records = [r for name in parts for r in json.loads(members[name])["sms"]]
    assert records == [_sms(i) for i in range(20)]
    assert all(len(members[name]) <= 1000 for name in parts)
    manifest, findings = parse_manifest(members["manifest.json"])
    assert findings == [] and manifest is not None
    assert [f.path for f in manifest.files] == [*parts, "contact.json"]
    for entry in manifest.files:
        data = members[entry.path]
        assert entry.bytes == len(data)
        assert entry.sha256 == hashlib.sha256(data).hexdigest()
        (table,) = entry.tables
        assert entry.tables[table].records == len(json.loads(data)[table])
        assert entry.tables[table].schema_version == "1.0"
    assert manifest.table_records() == {"sms": 20, "contact": 0}
    assert manifest.export_id == "test-export" and manifest.created_at == CLOCK


def test_per_table_split_and_reopened_table(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with _writer(out) as writer:
        with writer.open_table("sms", split_bytes=600) as table:
            for i in range(4):
                table.write(_sms(i))
        writer.write_table("sms", [_sms(9)])
    names = list(_read(out))
    assert names == ["sms.json", "sms-2.json", "sms-3.json", "manifest.json"]


def test_a_record_larger_than_split_bytes_gets_its_own_file(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with _writer(out, split_bytes=10) as writer:
        writer.write_table("sms", [_sms(0), _sms(1)])
    assert list(_read(out)) == ["sms.json", "sms-2.json", "manifest.json"]


def test_signed_manifest(tmp_path: Path) -> None:
    key = private_key_from_seed(b"k" * 32)
    public = load_public_key(serialize_keypair(key)[1])
    out = tmp_path / "export.zip"
    with _writer(out, signing_key=key) as writer:
        writer.write_table("sms", [_sms(1)])
    members = _read(out)
    assert verify_manifest(members["manifest.json"], members["manifest.json.sig"], public)


def test_unencrypted_only_when_asked(tmp_path: Path) -> None:
    with pytest.raises(WriterError, match="password is required"):
        ArchiveWriter(tmp_path / "a.zip")
    with pytest.raises(WriterError, match="encryption='none'"):
        ArchiveWriter(tmp_path / "a.zip", password="x", encryption="none")
    with pytest.raises(WriterError, match="empty"):
        ArchiveWriter(tmp_path / "a.zip", password="")
    out = tmp_path / "plain.zip"
    with _writer(out, password=None, encryption="none") as writer:
        writer.write_table("sms", [_sms(1)])
    assert json.loads(_read(out, None)["sms.json"]) == {"sms": [_sms(1)]}


def test_password_kinds(tmp_path: Path) -> None:
    for password in (Secret(PASSWORD), PASSWORD.encode()):
        out = _write_one(tmp_path, _sms(1), password=password)
        assert "sms.json" in _read(out)


def test_invalid_values_are_refused_with_pointers(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    bad_values: list[tuple[Any, str, str]] = [
        (float("nan"), "field.type", "/content/x"),
        (Decimal("Infinity"), "field.type", "/content/x"),
        ("\ud800", "text.encoding", "/content/x"),
        (object(), "field.type", "/content/x"),
        ({(1, 2): "a"}, "field.type", "/content/x"),
    ]
    with _writer(out, validate=False) as writer, writer.open_table("sms") as table:
        for value, code, pointer in bad_values:
            record = _sms(1)
            record["content"]["x"] = value
            with pytest.raises(RecordValidationError) as info:
                table.write(record)
            assert [(f.code, f.pointer) for f in info.value.findings] == [(code, pointer)]
            assert info.value.table == "sms"
        table.write(_sms(2))
    assert json.loads(_read(out)["sms.json"]) == {"sms": [_sms(2)]}


def test_non_object_record_is_refused(tmp_path: Path) -> None:
    with _writer(tmp_path / "a.zip") as writer, writer.open_table("sms") as table:
        with pytest.raises(RecordValidationError) as info:
            table.write(["not", "an", "object"])
        assert info.value.findings[0].code == "record.type"
        table.write(_sms(1))


def test_unknown_and_non_exportable_tables(tmp_path: Path) -> None:
    with _writer(tmp_path / "a.zip") as writer:
        with pytest.raises(WriterError, match="never be exported"):
            writer.open_table("userProfile")
        with pytest.raises(WriterError, match="never be exported"):
            writer.open_table("INVOICE")
        with pytest.raises(WriterError, match="unknown table"):
            writer.open_table("../evil")
        writer.write_table("sms", [])


def test_one_table_at_a_time(tmp_path: Path) -> None:
    with _writer(tmp_path / "a.zip") as writer:
        table = writer.open_table("sms")
        with pytest.raises(WriterError, match="still open"):
            writer.open_table("contact")
        table.close()
        with pytest.raises(WriterError, match="closed"):
            table.write(_sms(1))
        writer.open_table("contact")  # left open: close() finishes it
    assert list(_read(tmp_path / "a.zip")) == ["sms.json", "contact.json", "manifest.json"]


def test_overwrite_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    out.write_bytes(b"keep me")
    with pytest.raises(WriterError, match="exists"):
        _writer(out)
    assert out.read_bytes() == b"keep me"
    assert list(tmp_path.iterdir()) == [out]
    with _writer(out, overwrite=True) as writer:
        writer.write_table("sms", [_sms(1)])
    assert "sms.json" in _read(out)


def test_file_appearing_meanwhile_is_not_clobbered(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with pytest.raises(WriterError, match="exists"), _writer(out) as writer:
        writer.write_table("sms", [_sms(1)])
        out.write_bytes(b"someone else's")
    assert out.read_bytes() == b"someone else's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_exception_inside_with_leaves_nothing(tmp_path: Path, error: type[BaseException]) -> None:
    out = tmp_path / "export.zip"
    with pytest.raises(error), _writer(out) as writer, writer.open_table("sms") as table:
        table.write(_sms(1))
        seen = [p.name for p in tmp_path.iterdir()]
        assert len(seen) == 1
        assert seen[0].startswith(".export.zip.") and seen[0].endswith(".tmp")
        raise error
    assert list(tmp_path.iterdir()) == []


def test_invalid_record_in_write_table_aborts(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    with pytest.raises(RecordValidationError), _writer(out) as writer:
        writer.write_table("sms", [_sms(1), ["bad"]])
    assert list(tmp_path.iterdir()) == []


def test_explicit_open_close_and_abort(tmp_path: Path) -> None:
    out = tmp_path / "export.zip"
    writer = _writer(out)
    writer.open()
    writer.write_table("sms", [_sms(1)])
    manifest = writer.close()
    assert writer.manifest is manifest and manifest.table_records() == {"sms": 1}
    with pytest.raises(WriterError):
        writer.open_table("contact")
    other = _writer(tmp_path / "other.zip")
    other.open()
    other.open_table("sms").write(_sms(1))
    other.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.zip"]


def test_member_timestamps_follow_the_clock(tmp_path: Path) -> None:
    out = _write_one(tmp_path, _sms(1))
    with pyzipper.AESZipFile(out) as zf:
        assert {info.date_time for info in zf.infolist()} == {(2025, 12, 2, 0, 0, 0)}


def test_data_members_are_written_zip64_ready(tmp_path: Path) -> None:
    # Sizes are unknown while streaming: every data member gets a ZIP64 extra field in
    # its local header, so a member past 4 GiB needs nothing special.
    out = _write_one(tmp_path, _sms(1))
    raw = out.read_bytes()
    with pyzipper.AESZipFile(out) as zf:
        start = zf.getinfo("sms.json").header_offset
    assert raw[start : start + 4] == b"PK\x03\x04"
    name_len = int.from_bytes(raw[start + 26 : start + 28], "little")
    extra_len = int.from_bytes(raw[start + 28 : start + 30], "little")
    extra = raw[start + 30 + name_len : start + 30 + name_len + extra_len]
    tags = []
    while extra:
        tags.append(int.from_bytes(extra[:2], "little"))
        extra = extra[4 + int.from_bytes(extra[2:4], "little") :]
    assert 0x0001 in tags and 0x9901 in tags  # ZIP64 and WinZip AES
