"""The validation engine end to end, on archives written by the SDK writer."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from mi_export.signing import generate_keypair, load_private_key
from mi_export.writer import ArchiveWriter
from mi_export_validator.engine import Options, iter_findings, validate

PASSWORD = "correct horse 电池 staple"
T0 = 1764633600000


def sms(i: int, **extra: Any) -> dict[str, Any]:
    content = {
        "address": "+8613800138000",
        "body": f"你好 😀 {i}",
        "folder": "1",
        "localTime": T0 - i,
        "threadId": "12345678901234567",
    }
    return {
        "id": str(10**16 + i),
        "content": json.dumps(content, ensure_ascii=False),
        "creator": "phone",
        "deleted": False,
        "lastUpdateTime": T0,
        **extra,
    }


def contact(i: int) -> dict[str, Any]:
    return {
        "id": str(2 * 10**16 + i),
        "content": {
            "displayName": f"Zoë {i}",
            "phoneNumbers": [{"type": "mobile", "value": "+33 6 12 34 56 78"}],
        },
        "createTime": T0 - 1000,
        "updateTime": T0,
        "status": "normal",
        "type": "contact",
    }


def write(path: Path, tables: dict[str, list[dict[str, Any]]], **kw: Any) -> Path:
    kw.setdefault("password", PASSWORD)
    with ArchiveWriter(path, clock=lambda: T0, export_id="e1", **kw) as writer:
        for name, records in tables.items():
            writer.write_table(name, records)
    return path


def codes(path: Path, **kw: Any) -> list[str]:
    kw.setdefault("password", PASSWORD)
    return [f.code for f in iter_findings(path, Options(**kw))]


def test_valid_archive_has_no_findings(tmp_path: Path) -> None:
    archive = write(
        tmp_path / "a.zip",
        {"sms": [sms(i) for i in range(50)], "contact": [contact(i) for i in range(5)]},
    )
    report = validate(archive, Options(password=PASSWORD))
    assert report.findings == []
    assert report.exit_code == 0
    assert report.records == 55
    assert [(t.name, t.records) for t in report.tables] == [("sms", 50), ("contact", 5)]
    assert report.archive.kind == "zip" and report.archive.encryption == "aes-256"


def test_password_problems_are_fatal(tmp_path: Path) -> None:
    archive = write(tmp_path / "a.zip", {"sms": [sms(1)]})
    assert codes(archive, password=None) == ["archive.password-required"]
    report = validate(archive, Options(password="wrong"))
    assert [f.code for f in report.findings] == ["archive.wrong-password"]
    assert report.exit_code == 3


def test_split_table_counts_add_up_and_duplicates_name_both_files(tmp_path: Path) -> None:
    records = [sms(i) for i in range(40)] + [sms(3), sms(5, creator="other")]
    archive = write(tmp_path / "a.zip", {"sms": records}, split_bytes=4000, validate=False)
    report = validate(archive, Options(password=PASSWORD))
    sms_stats = report.tables[0]
    assert sms_stats.records == 42 and len(sms_stats.files) > 1
    duplicates = [f for f in report.findings if f.code == "id.duplicate"]
    assert len(duplicates) == 2
    first, second = duplicates
    assert "identical" in first.message and "conflicting" in second.message
    assert first.related[0].pointer == "/sms/3/id" and first.related[0].file == "sms.json"
    assert first.file == sms_stats.files[-1]


def _rezip(source: Path, target: Path, change: dict[str, bytes]) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change.get(info.filename, zin.read(info.filename)))


def test_manifest_detects_changed_and_missing_files(tmp_path: Path) -> None:
    source = write(
        tmp_path / "a.zip",
        {"sms": [sms(1), sms(2)], "contact": [contact(1)]},
        encryption="none",
        password=None,
    )
    with zipfile.ZipFile(source) as z:
        body = z.read("sms.json")
    changed = body.replace(b"phone", b"phonf", 1)
    _rezip(source, tmp_path / "b.zip", {"sms.json": changed})
    assert codes(tmp_path / "b.zip") == ["archive.unencrypted", "manifest.checksum"]
    fewer = json.dumps({"sms": [sms(1)]}).encode()
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(tmp_path / "c.zip", "w") as zout:
        for info in zin.infolist():
            if info.filename == "sms.json":
                zout.writestr("sms.json", fewer)
            elif info.filename != "contact.json":
                zout.writestr(info.filename, zin.read(info.filename))
        zout.writestr("extra.json", b'{"note": []}')
    assert codes(tmp_path / "c.zip") == [
        "archive.unencrypted",
        "manifest.file-missing",
        "manifest.file-unlisted",
        "manifest.size",
        "manifest.checksum",
        "manifest.count",
        "table.empty",
    ]


def test_signatures(tmp_path: Path) -> None:
    private_pem, public_pem = generate_keypair(None)
    key = load_private_key(private_pem, None)
    archive = write(tmp_path / "a.zip", {"sms": [sms(1)]}, signing_key=key)
    assert codes(archive, trust_key=public_pem) == []
    _, other_pem = generate_keypair(None)
    assert codes(archive, trust_key=other_pem) == ["manifest.signature-invalid"]
    unsigned = write(tmp_path / "b.zip", {"sms": [sms(1)]})
    assert codes(unsigned, trust_key=public_pem) == ["manifest.signature-missing"]


def test_strict_and_caps_and_privacy(tmp_path: Path) -> None:
    data = {"sms": [sms(i, lastUpdateTime=1709251200 + i) for i in range(30)]}
    path = tmp_path / "x.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    report = validate(path, Options(max_findings=5))
    assert report.exit_code == 0 and report.warnings == 30 and report.infos == 1
    assert len(report.findings) == 5 and report.omitted == 26 and report.truncated
    assert all(f.value is None for f in report.findings)
    assert "1709251200" not in json.dumps(report.to_dict())
    strict = validate(path, Options(strict=True))
    assert strict.exit_code == 1 and strict.errors == 30
    shown = validate(path, Options(show_values=True, max_findings=2))
    assert [f.value for f in shown.findings] == [None, "1709251200"]


@pytest.mark.parametrize("fast", [True, False])
def test_content_in_both_forms_validates_identically(tmp_path: Path, fast: bool) -> None:
    bad = {"address": "x", "body": 5, "folder": "2", "localTime": -1, "threadId": "t"}
    records = [dict(sms(1), content=bad), dict(sms(2), content=json.dumps(bad))]
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"sms": records}), encoding="utf-8")
    found = [
        (f.code, f.pointer) for f in iter_findings(path, Options(fast=fast)) if f.table == "sms"
    ]
    expected = [
        ("field.type", "/content/body"),
        ("field.enum", "/content/folder"),
        ("time.range", "/content/localTime"),
        ("field.format", "/content/threadId"),
    ]
    assert found == [(c, f"/sms/{i}{p}") for i in (0, 1) for c, p in expected]
