"""ArchiveWriter validates records with the models and writes canonical ids."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pyzipper

from mi_export.errors import RecordValidationError
from mi_export.models import parse_record
from mi_export.writer import ArchiveWriter

CLOCK = 1764633600000


def _sms(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": "100000000000000001",
        "content": {
            "address": "10086",
            "body": "话费余额 😀",
            "folder": "0",
            "localTime": CLOCK,
            "threadId": "12345678901234567",
        },
        "creator": "user",
        "deleted": False,
        "lastUpdateTime": CLOCK,
    }
    record.update(changes)
    return record


def _write(tmp_path: Path, table: str, records: list[Any], **kw: Any) -> bytes:
    out = tmp_path / "out.zip"
    with ArchiveWriter(out, encryption="none", clock=lambda: CLOCK, overwrite=True, **kw) as w:
        w.write_table(table, records)
    with pyzipper.AESZipFile(out) as zf:
        return bytes(zf.read(f"{table}.json"))


def test_invalid_record_refused_with_findings(tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    with ArchiveWriter(out, encryption="none") as writer, writer.open_table("sms") as table:
        bad = _sms(deleted="no", lastUpdateTime=-5)
        del bad["creator"]
        with pytest.raises(RecordValidationError) as info:
            table.write(bad)
        found = {(f.code, f.pointer) for f in info.value.findings}
        assert found == {
            ("field.type", "/deleted"),
            ("field.required", "/creator"),
            ("time.range", "/lastUpdateTime"),
        }
        assert all(f.table == "sms" for f in info.value.findings)
        table.write(_sms())
    with pyzipper.AESZipFile(out) as zf:
        assert json.loads(zf.read("sms.json")) == {"sms": [_sms()]}


def test_content_errors_point_inside(tmp_path: Path) -> None:
    with ArchiveWriter(tmp_path / "o.zip", encryption="none") as writer:
        table = writer.open_table("sms")
        for content in ('{"address": "1"', {"address": "1"}):
            with pytest.raises(RecordValidationError) as info:
                table.write(_sms(content=content))
            assert all(f.pointer and f.pointer.startswith("/content") for f in info.value.findings)
        table.close()


def test_validate_false_writes_as_given(tmp_path: Path) -> None:
    data = _write(tmp_path, "sms", [{"id": "x", "whatever": 1}], validate=False)
    assert json.loads(data) == {"sms": [{"id": "x", "whatever": 1}]}


def test_ids_and_enum_aliases_written_canonically(tmp_path: Path) -> None:
    record = _sms(id=42)
    record["content"] = dict(record["content"], folder=1, threadId=7)
    data = json.loads(_write(tmp_path, "sms", [record]))["sms"][0]
    assert data["id"] == "42"
    assert data["content"]["folder"] == "1" and data["content"]["threadId"] == "7"
    assert record["id"] == 42  # the caller's record is not changed


def test_nested_ids_in_object_content(tmp_path: Path) -> None:
    contact = {
        "id": "9",
        "content": {"displayName": "张三", "groups": [{"value": 123}, {"value": "456"}]},
        "createTime": CLOCK,
        "updateTime": CLOCK,
        "status": "normal",
        "type": "contact",
    }
    data = json.loads(_write(tmp_path, "contact", [contact]))["contact"][0]
    assert data["content"]["groups"] == [{"value": "123"}, {"value": "456"}]


def test_json_string_content_and_exact_numbers_kept(tmp_path: Path) -> None:
    content = '{"address": "10086", "body": "hi", "folder": 0, "localTime": 1, "threadId": 7}'
    device = {
        "id": "1",
        "lockContent": "{}",
        "phoneInfo": {"model": "Xiaomi 14"},
        "status": "online",
        "content": {
            "latitude": Decimal("31.2304160000000001"),
            "longitude": Decimal("121.4737"),
            "infoTime": CLOCK,
        },
        "updateTime": CLOCK,
    }
    sms = json.loads(_write(tmp_path, "sms", [_sms(content=content)]))["sms"][0]
    assert sms["content"] == content
    raw = _write(tmp_path, "findDevice", [device])
    assert b'"latitude":31.2304160000000001,"longitude":121.4737' in raw


def test_models_are_accepted(tmp_path: Path) -> None:
    model = parse_record("sms", _sms(id=5))
    data = json.loads(_write(tmp_path, "sms", [model]))["sms"][0]
    assert data["id"] == "5" and data["content"]["body"] == "话费余额 😀"
    assert "read" not in data["content"]  # unset optional fields are left out


def test_writer_does_not_import_click() -> None:
    import subprocess
    import sys

    code = "import sys, mi_export.writer, mi_export.manifest; print('click' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert result.stdout.strip() == b"False"


def test_event_ending_before_it_starts_is_refused(tmp_path: Path) -> None:
    event = {"title": "会议", "dtstart": CLOCK, "dtend": CLOCK - 1, "allDay": False}
    with ArchiveWriter(tmp_path / "o.zip", encryption="none") as writer:
        table = writer.open_table("calendar")
        for content in (event, json.dumps(event)):
            record = {"id": "1", "status": "normal", "type": "event", "content": content}
            with pytest.raises(RecordValidationError) as info:
                table.write(record)
            assert [(f.code, f.pointer) for f in info.value.findings] == [
                ("time.order", "/content/dtend")
            ]
        table.write(
            {"id": "1", "status": "normal", "type": "event", "content": dict(event, dtend=CLOCK)}
        )  # zero length is fine
        table.close()
