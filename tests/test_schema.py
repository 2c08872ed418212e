"""The JSON Schema documents and the extended validator of mi_export.schema."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from mi_export.schema import (
    BASE_URI,
    DEFS_FILE,
    definitions_schema,
    dump_schema,
    schema_documents,
    schema_registry,
    schema_validator,
    table_schema,
)
from mi_export.tables import SHAPES, TABLES, Kind
from strategies import records

DRAFT = "https://json-schema.org/draft/2020-12/schema"


def sms(**changes: Any) -> dict[str, Any]:
    content = {
        "address": "10086",
        "body": "你好 😀",
        "folder": "1",
        "localTime": 1,
        "threadId": "7",
    }
    record: dict[str, Any] = {
        "id": "12345678901234567",
        "content": content,
        "creator": "me",
        "deleted": False,
        "lastUpdateTime": 1700000000000,
    }
    record.update(changes)
    return record


def valid(table: str, record: Any) -> bool:
    return bool(schema_validator(table).is_valid(record))


def test_one_document_per_table_and_the_shared_one() -> None:
    documents = schema_documents()
    assert set(documents) == {DEFS_FILE} | {f"{name}.schema.json" for name in TABLES}
    assert next(iter(documents)) == DEFS_FILE


@pytest.mark.parametrize("name", list(schema_documents()))
def test_documents_are_valid_draft_2020_12_with_metadata(name: str) -> None:
    document = schema_documents()[name]
    Draft202012Validator.check_schema(document)
    assert document["$schema"] == DRAFT
    assert document["$id"] == BASE_URI + name
    assert document["title"] and document["description"]
    assert document["version"] == "1.0"
    assert "additionalProperties" not in json.dumps(document)


def test_table_document_lists_required_fields_and_properties() -> None:
    for name, table in TABLES.items():
        document = table_schema(name)
        assert document["required"] == [f.name for f in table.fields if f.required]
        assert list(document["properties"]) == [f.name for f in table.fields]


def test_defs_hold_kinds_and_every_shape() -> None:
    defs = definitions_schema()["$defs"]
    assert {"id", "time", "instant", "bytes", "nonEmptyString"} <= set(defs)
    assert set(SHAPES) <= set(defs)
    assert defs["time"]["maximum"] == 4102444799999
    assert defs["id"]["anyOf"][1]["maximum"] == 2**53


def test_open_enum_is_a_non_empty_string_with_examples() -> None:
    prop = table_schema("serviceQuotaUsage")["properties"]["type"]
    assert prop["type"] == "string" and prop["minLength"] == 1
    assert "Recorder" in prop["examples"]
    assert "enum" not in prop


def test_content_is_object_or_json_string() -> None:
    content = table_schema("sms")["properties"]["content"]
    target = {"$ref": "defs.schema.json#/$defs/Message"}
    assert content["anyOf"][0] == target
    assert content["anyOf"][1]["contentMediaType"] == "application/json"
    assert content["anyOf"][1]["contentSchema"] == target


def test_documents_are_fresh_copies() -> None:
    table_schema("sms")["title"] = "changed"
    definitions_schema()["$defs"].clear()
    assert table_schema("sms")["title"] == "sms"
    assert valid("sms", sms())


def test_unknown_table_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="unknown table 'smss'"):
        table_schema("smss")
    with pytest.raises(KeyError):
        schema_validator("SMS")


def test_validator_is_built_once() -> None:
    assert schema_validator("sms") is schema_validator("sms")


def test_registry_resolves_cross_file_refs_offline() -> None:
    registry = schema_registry()
    resolved = registry.resolver().lookup(BASE_URI + "defs.schema.json#/$defs/Message")
    assert resolved.contents["title"] == "Message"


def test_both_content_forms_validate_identically() -> None:
    bad = {"address": "1", "body": 5, "folder": "1", "localTime": 1, "threadId": "7"}
    for content in (bad, json.dumps(bad)):
        errors = list(schema_validator("sms").iter_errors(sms(content=content)))
        leaves = [c for e in errors for c in e.context if list(c.absolute_path)[-1:] == ["body"]]
        assert [list(c.absolute_path) for c in leaves] == [["content", "body"]]
    assert valid("sms", sms(content=json.dumps(sms()["content"], ensure_ascii=False)))


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"x"', "NaN", "", '{"a": NaN}'])
def test_content_string_that_is_not_a_json_object_is_invalid(content: str) -> None:
    assert not valid("sms", sms(content=content))
    assert not valid("cloudCard", {"id": "1", "content": content})


def test_any_object_content() -> None:
    assert valid("cloudCard", {"id": "1", "content": '{"卡": [1, 2.5, null]}'})
    assert valid("cloudCard", {"id": "1", "content": {}})
    assert not valid("cloudCard", {"id": "1", "content": 5})


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (5000, True),
        (5000.0, True),
        (Decimal("5000.0"), True),
        (Decimal("1E+3"), True),
        (5000.5, False),
        (Decimal("5000.5"), False),
        ("5000", False),
        (True, False),
        (-1, False),
        (4102444799999, True),
        (4102444800000, False),
        (Decimal("1E+99999999"), False),
        (float("inf"), False),
    ],
)
def test_times_are_json_integers_in_range(value: object, ok: bool) -> None:
    assert valid("sms", sms(lastUpdateTime=value)) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12345678901234567890", True),
        ("123456789012345678901", False),
        ("12a", False),
        ("", False),
        ("123\n", False),
        (42, True),
        (2**53, True),
        (2**53 + 1, False),
        (-1, False),
        (1.5, False),
        (True, False),
    ],
)
def test_ids_are_digit_strings_or_safe_integers(value: object, ok: bool) -> None:
    assert valid("sms", sms(id=value)) is ok


def test_folder_string_or_integer_alias() -> None:
    def with_folder(folder: object) -> dict[str, Any]:
        return sms(content={**sms()["content"], "folder": folder})

    assert valid("sms", with_folder(0)) and valid("sms", with_folder("0"))
    assert not valid("sms", with_folder(2)) and not valid("sms", with_folder("2"))
    assert not valid("sms", with_folder(True))


def test_patterns_use_ecma_end_of_input() -> None:
    record = {"deviceId": "d", "product": "p", "imei": "i", "backupTime": 0, "backupSize": 0}
    record |= {"deleteTime": 0, "label": "微信", "versionName": "8", "versionCode": 1}
    record |= {"iconEnabled": True, "apkSize": 0, "oldestBackupTime": 0, "url": "https://x"}
    assert valid("appBackup", {**record, "pkgName": "com.tencent.mm"})
    assert not valid("appBackup", {**record, "pkgName": "com.tencent.mm\n"})
    assert not valid("appBackup", {**record, "pkgName": "com.腾讯.mm"})


def test_every_kind_appears_in_some_table_or_shape() -> None:
    kinds = {f.kind for t in TABLES.values() for f in t.fields}
    kinds |= {f.kind for s in SHAPES.values() for f in s.fields}
    assert kinds == set(Kind)


def test_dump_is_sorted_indented_with_final_newline() -> None:
    text = dump_schema({"b": 1, "a": "中"})
    assert text == '{\n  "a": "中",\n  "b": 1\n}\n'


@settings(max_examples=10, deadline=None)
@given(data=st.data())
def test_plain_jsonschema_accepts_valid_records_with_published_documents(
    data: st.DataObject,
) -> None:
    table = data.draw(st.sampled_from(list(TABLES)))
    record = data.draw(records(table, content_forms=("object",)))
    plain = Draft202012Validator(table_schema(table), registry=schema_registry())
    assert plain.is_valid(record)
