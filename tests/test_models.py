"""The pydantic models of mi_export.models: strict JSON semantics, normalisation, errors."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest

from mi_export.errors import RecordValidationError
from mi_export.models import (
    MODELS,
    SHAPE_MODELS,
    Contact,
    ContactRecord,
    Message,
    Record,
    ShapeModel,
    SmsRecord,
    json_pointer,
    model_for,
    parse_record,
    record_errors,
    record_findings,
)
from mi_export.models._codegen import record_class_name
from mi_export.tables import SHAPES, TABLES


def message(**changes: Any) -> dict[str, Any]:
    content: dict[str, Any] = {"address": "10086", "body": "你好 😀", "folder": "1"}
    content |= {"localTime": 1700000000000, "threadId": "12345678901234567"}
    content.update(changes)
    return content


def sms(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"id": "98765432109876543", "content": message()}
    record |= {"creator": "phone", "deleted": False, "lastUpdateTime": 1700000000000}
    record.update(changes)
    return record


def codes(table: str, record: Any) -> list[tuple[str, str]]:
    return [(f.code, f.pointer or "") for f in record_findings(table, record)]


def test_registries_cover_every_table_and_shape() -> None:
    assert list(MODELS) == list(TABLES)
    assert set(SHAPE_MODELS) == set(SHAPES)  # SHAPES lists every shape in use
    for name, model in MODELS.items():
        assert issubclass(model, Record)
        assert model.table_name == name and model.definition() is TABLES[name]
        assert model.__name__ == record_class_name(name)
    for name, shape_model in SHAPE_MODELS.items():
        assert issubclass(shape_model, ShapeModel) and shape_model.shape_name == name
        assert shape_model.definition() is SHAPES[name]
        assert list(shape_model.model_fields) == [f.name for f in SHAPES[name].fields]


def test_parse_record_normalises_alternative_forms() -> None:
    content = json.dumps(message(folder=0, localTime=1.7e12, threadId=7), ensure_ascii=False)
    record = parse_record("sms", sms(id=42, content=content, lastUpdateTime=Decimal("5000.0")))
    assert isinstance(record, SmsRecord)
    assert record.id == "42"
    assert record.lastUpdateTime == 5000 and type(record.lastUpdateTime) is int
    assert isinstance(record.content, Message)
    assert record.content.folder == "0"
    assert record.content.localTime == 1700000000000
    assert record.content.threadId == "7"
    assert record.content.body == "你好 😀"


def test_content_forms_give_equal_models() -> None:
    as_object = parse_record("sms", sms())
    as_string = parse_record("sms", sms(content=json.dumps(message())))
    assert as_object == as_string


def test_any_object_content_is_decoded_to_a_dict() -> None:
    record = parse_record("cloudCard", {"id": "1", "content": '{"价格": 1.10, "n": [1]}'})
    assert record.model_dump()["content"] == {"价格": Decimal("1.10"), "n": [1]}


def test_unknown_fields_are_kept_everywhere() -> None:
    record = parse_record("sms", sms(colour="红", content=message(extra={"a": 1})))
    assert record.model_extra == {"colour": "红"}
    dumped = record.model_dump(exclude_unset=True)
    assert dumped["colour"] == "红" and dumped["content"]["extra"] == {"a": 1}


def test_absent_optional_fields_are_none_and_not_dumped() -> None:
    record = parse_record(
        "contact",
        {
            "id": "1",
            "content": {"displayName": ""},
            "createTime": 0,
            "updateTime": 0,
            "status": "normal",
            "type": "group",
        },
    )
    assert isinstance(record, ContactRecord) and isinstance(record.content, Contact)
    assert record.content.name is None
    assert record.model_dump(exclude_unset=True)["content"] == {"displayName": ""}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"lastUpdateTime": "5"}, [("field.type", "/lastUpdateTime")]),
        ({"lastUpdateTime": 5000.5}, [("field.type", "/lastUpdateTime")]),
        ({"lastUpdateTime": True}, [("field.type", "/lastUpdateTime")]),
        ({"lastUpdateTime": -1}, [("time.range", "/lastUpdateTime")]),
        ({"lastUpdateTime": 4102444800000}, [("time.range", "/lastUpdateTime")]),
        ({"lastUpdateTime": Decimal("1E+99999999")}, [("field.type", "/lastUpdateTime")]),
        ({"deleted": 1}, [("field.type", "/deleted")]),
        ({"deleted": "false"}, [("field.type", "/deleted")]),
        ({"creator": ""}, [("field.range", "/creator")]),
        ({"id": "12a"}, [("field.format", "/id")]),
        ({"id": "123\n"}, [("field.format", "/id")]),
        ({"id": 2**53 + 1}, [("id.precision", "/id")]),
        ({"id": None}, [("field.type", "/id")]),
        ({"content": "{oops"}, [("content.invalid", "/content")]),
        ({"content": "[1]"}, [("content.invalid", "/content")]),
        ({"content": 5}, [("field.type", "/content")]),
    ],
)
def test_field_errors_have_codes_and_pointers(
    changes: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes("sms", sms(**changes)) == expected


@pytest.mark.parametrize("form", ["object", "string"])
def test_pointers_run_into_content_in_both_forms(form: str) -> None:
    content: Any = message(body=5, folder="2", localTime=-1, threadId="x")
    del content["address"]
    if form == "string":
        content = json.dumps(content)
    assert codes("sms", sms(content=content)) == [
        ("field.required", "/content/address"),
        ("field.type", "/content/body"),
        ("field.enum", "/content/folder"),
        ("time.range", "/content/localTime"),
        ("field.format", "/content/threadId"),
    ]


def test_explicit_null_for_an_optional_field_is_refused() -> None:
    assert codes("sms", sms(content=message(read=None))) == [("field.type", "/content/read")]
    assert codes("recorder", {"sha1": None})[-1] == ("field.type", "/sha1")


def test_nested_arrays_and_objects() -> None:
    record = {"id": "1", "createTime": 0, "updateTime": 0, "status": "normal", "type": "contact"}
    content = {"displayName": "", "groups": [{"value": "1"}, 5, {"value": "x"}], "name": []}
    assert codes("contact", {**record, "content": content}) == [
        ("field.type", "/content/name"),
        ("field.type", "/content/groups/1"),
        ("field.format", "/content/groups/2/value"),
    ]
    event = {"title": "t", "dtstart": 0, "dtend": 0, "allDay": False, "reminders": [5, "5", -1]}
    calendar = {"id": "1", "status": "normal", "type": "event", "content": event}
    assert codes("calendar", calendar) == [
        ("field.type", "/content/reminders/1"),
        ("field.range", "/content/reminders/2"),
    ]


def test_record_that_is_not_an_object() -> None:
    assert codes("sms", [1, 2]) == [("record.type", "")]


def test_messages_never_quote_values() -> None:
    secret = "秘密-0123456789"
    findings = record_findings("sms", sms(id=secret, creator=7, content=secret))
    assert findings and all(secret not in f.message for f in findings)


def test_parse_record_raises_with_findings() -> None:
    with pytest.raises(RecordValidationError) as caught:
        parse_record("sms", sms(deleted="no"))
    assert caught.value.table == "sms"
    assert [(f.code, f.pointer, f.table) for f in caught.value.findings] == [
        ("field.type", "/deleted", "sms")
    ]


def test_record_errors_are_pointer_message_pairs() -> None:
    assert record_errors("sms", sms()) == []
    assert record_errors("sms", sms(deleted=None)) == [
        ("/deleted", "expected a boolean (true or false)")
    ]


def test_unknown_table() -> None:
    with pytest.raises(KeyError, match="unknown table"):
        model_for("vipGift")
    with pytest.raises(KeyError):
        record_findings("SMS", {})


def test_json_pointer_escapes() -> None:
    assert json_pointer(("a/b", "c~d", 0)) == "/a~1b/c~0d/0"
    assert json_pointer(()) == ""


def test_importing_the_sdk_models_does_not_load_click() -> None:
    code = "import sys, mi_export.models, mi_export.schema; print('click' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("1990-02-28", True),
        ("2000-02-29", True),
        ("--02-29", True),
        ("0001-01-01", True),
        ("0000-01-01", False),  # no year 0: found by tests/test_writer_roundtrip.py
        ("1990-02-29", False),
        ("1990-04-31", False),
        ("1990-13-01", False),
    ],
)
def test_event_dates_must_be_real_days_as_the_validator_says(value: str, valid: bool) -> None:
    content = {"displayName": "", "events": [{"type": "birthday", "value": value}]}
    record = {"id": "1", "content": content, "createTime": 0, "updateTime": 0}
    record |= {"status": "normal", "type": "contact"}
    expected = [] if valid else [("field.format", "/content/events/0/value")]
    assert codes("contact", record) == expected
