"""manifest.json: deterministic writing and a parser that reports, never raises."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mi_export.manifest import (
    LINK_VALIDITY_MS,
    FileEntry,
    Manifest,
    TableEntry,
    parse_manifest,
)

CREATED = 1764633600000
SHA = "ab" * 32


def _manifest(**kw: Any) -> Manifest:
    files = (
        FileEntry("sms.json", 120, SHA, {"sms": TableEntry(3, "1.0")}),
        FileEntry("sms-2.json", 80, SHA, {"sms": TableEntry(2, "1.0")}),
        FileEntry("contact.json", 40, SHA, {"contact": TableEntry(1, "1.0")}),
    )
    return Manifest.create(files, created_at=CREATED, export_id="id-1", **kw)


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(_manifest().to_json_bytes())
    doc.update(changes)
    return doc


def _codes(doc: Any) -> list[tuple[str, str | None]]:
    _, findings = parse_manifest(json.dumps(doc).encode())
    return [(f.code, f.pointer) for f in findings]


def test_create_sets_link_expiry_and_a_uuid4() -> None:
    manifest = Manifest.create((), created_at=CREATED)
    assert manifest.link_expires_at == CREATED + LINK_VALIDITY_MS == 1767225600000
    assert len(manifest.export_id) == 36 and manifest.export_id[14] == "4"
    assert manifest.data_center == "NL-Amsterdam"
    assert manifest.producer is not None and manifest.producer.name == "mi-export"


def test_round_trip_and_determinism() -> None:
    data = _manifest(requested_at=CREATED - 1000).to_json_bytes()
    assert data == _manifest(requested_at=CREATED - 1000).to_json_bytes()
    assert data.endswith(b"}\n")
    parsed, findings = parse_manifest(data)
    assert findings == []
    assert parsed == _manifest(requested_at=CREATED - 1000)


def test_key_order_and_optional_keys() -> None:
    doc = json.loads(_manifest().to_json_bytes())
    assert list(doc)[:4] == ["format", "formatVersion", "exportId", "requestType"]
    assert "requestedAt" not in doc
    assert doc["files"][0] == {
        "path": "sms.json",
        "bytes": 120,
        "sha256": SHA,
        "tables": {"sms": {"records": 3, "schemaVersion": "1.0"}},
    }


def test_easy_api_for_the_validator() -> None:
    manifest = _manifest()
    assert set(manifest.files_by_path()) == {"sms.json", "sms-2.json", "contact.json"}
    assert manifest.table_records() == {"sms": 5, "contact": 1}
    assert manifest.table_files("sms") == ["sms.json", "sms-2.json"]
    assert manifest.major_version == 1


def test_unknown_keys_ignored_and_minimal_manifest_accepted() -> None:
    doc = _doc(futureKey={"x": 1})
    for key in ("requestedAt", "dataCenter", "producer"):
        doc.pop(key, None)
    doc["files"][0]["extra"] = True
    manifest, findings = parse_manifest(json.dumps(doc).encode())
    assert findings == [] and manifest is not None
    assert manifest.producer is None and manifest.data_center is None


def test_other_major_version_is_reported_but_parsed() -> None:
    manifest, findings = parse_manifest(json.dumps(_doc(formatVersion="2.0")).encode())
    assert manifest is not None
    assert [(f.code, f.severity, f.pointer) for f in findings] == [
        ("manifest.version", "error", "/formatVersion")
    ]
    assert _codes(_doc(formatVersion="1.7")) == []


def test_link_validity_warning() -> None:
    manifest, findings = parse_manifest(json.dumps(_doc(linkExpiresAt=CREATED + 1)).encode())
    assert manifest is not None
    assert [(f.code, f.severity, f.file) for f in findings] == [
        ("manifest.link-validity", "warning", "manifest.json")
    ]


@pytest.mark.parametrize(
    ("changes", "pointer"),
    [
        ({"format": "other"}, "/format"),
        ({"formatVersion": 1.0}, "/formatVersion"),
        ({"formatVersion": "one"}, "/formatVersion"),
        ({"exportId": ""}, "/exportId"),
        ({"requestType": "deletion"}, "/requestType"),
        ({"createdAt": "2025-12-02"}, "/createdAt"),
        ({"createdAt": True}, "/createdAt"),
        ({"requestedAt": -1}, "/requestedAt"),
        ({"linkExpiresAt": 4102444800000}, "/linkExpiresAt"),
        ({"producer": "mi-export"}, "/producer"),
        ({"producer": {"name": "x"}}, "/producer/version"),
        ({"files": {}}, "/files"),
    ],
)
def test_shape_errors_have_pointers(changes: dict[str, Any], pointer: str) -> None:
    codes = _codes(_doc(**changes))
    assert ("manifest.invalid", pointer) in codes
    manifest, _ = parse_manifest(json.dumps(_doc(**changes)).encode())
    assert manifest is None


@pytest.mark.parametrize(
    ("key", "value", "pointer"),
    [
        ("path", "../etc/passwd", "/files/0/path"),
        ("path", "/abs.json", "/files/0/path"),
        ("path", "a\\b.json", "/files/0/path"),
        ("path", "C:x.json", "/files/0/path"),
        ("bytes", -1, "/files/0/bytes"),
        ("bytes", 1.5, "/files/0/bytes"),
        ("sha256", "abc", "/files/0/sha256"),
        ("tables", [], "/files/0/tables"),
    ],
)
def test_file_entry_errors(key: str, value: Any, pointer: str) -> None:
    doc = _doc()
    doc["files"][0][key] = value
    assert ("manifest.invalid", pointer) in _codes(doc)


def test_table_entry_errors_and_duplicate_paths() -> None:
    doc = _doc()
    doc["files"][0]["tables"]["sms"] = {"records": -2}
    doc["files"][1]["path"] = "sms.json"
    assert _codes(doc) == [
        ("manifest.invalid", "/files/0/tables/sms/records"),
        ("manifest.invalid", "/files/0/tables/sms/schemaVersion"),
        ("manifest.invalid", "/files/1/path"),
    ]


def test_integral_numbers_and_uppercase_hex_are_tolerated() -> None:
    doc = _doc(createdAt=float(CREATED))
    doc["files"][0]["sha256"] = SHA.upper()
    data = json.dumps(doc).encode()
    manifest, findings = parse_manifest(data)
    assert findings == [] and manifest is not None
    assert manifest.created_at == CREATED and isinstance(manifest.created_at, int)
    assert manifest.files[0].sha256 == SHA


@pytest.mark.parametrize(
    "data",
    [b"", b"\xff\xfe{}", b"[]", b"null", b'{"a": NaN}', b"{" * 100_000, b'{"files": [1'],
)
def test_garbage_never_raises(data: bytes) -> None:
    manifest, findings = parse_manifest(data)
    assert manifest is None
    assert findings and all(f.code == "manifest.invalid" for f in findings)
    assert all(f.file == "manifest.json" for f in findings)


def test_bom_is_accepted() -> None:
    manifest, findings = parse_manifest(b"\xef\xbb\xbf" + _manifest().to_json_bytes())
    assert manifest is not None and findings == []
