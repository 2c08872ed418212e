"""The compiled fast path agrees with the detailed record checker.

``predicate(table)(record)`` may say False for a clean record (the detailed checker then
looks at it), but it must never say True for a record the detailed checker flags, with
an error or a warning. Checked per table on valid records (both content forms,
alternative forms, unknown fields), records with one known fault, records with one field
replaced by any JSON value, targeted mutations (numeric ids, seconds, aliases, Decimals,
bools, big numbers) and hostile content strings (escapes, mojibake, lone surrogates,
duplicate keys, long numbers, deep nesting); and it must pass most clean records, or
it would be no fast path at all.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export import read_export
from mi_export.jsonscan import RawRecord
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.tables import TABLES, Kind
from mi_export_validator.checks.fastpath import predicate, predicates, source
from mi_export_validator.checks.fields import FieldCompiler, Problems
from mi_export_validator.checks.records import RECORD_DEPTH, RecordChecker
from strategies import (
    EDGE_VALUES,
    Target,
    dumps,
    invalid_records,
    mutated_records,
    records,
    targets,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
NAMES = list(TABLES)
#: the strategies are slow to draw (the suite runs in about a minute): a few examples per
#: table here, more where the cases are this module's own
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MORE_EXAMPLES = settings(EXAMPLES, max_examples=20)
ODD_LIMITS = Limits(max_depth=7, max_number_chars=12)


@cache
def _detailed_checker(table: str, limits: Limits) -> Callable[[dict[str, Any]], Problems]:
    return FieldCompiler(limits).shape(None, RECORD_DEPTH, TABLES[table].fields)


def detailed(table: str, record: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> Problems:
    return _detailed_checker(table, limits)(record)


def agree(table: str, record: dict[str, Any], limits: Limits = DEFAULT_LIMITS) -> bool:
    """Assert the fast verdict is safe; return it."""
    problems = detailed(table, record, limits)
    clean = predicate(table, limits)(record)
    if clean:
        assert not problems, f"fast path passed a record with {problems}: {record!r}"
    return clean


# --- mutations -------------------------------------------------------------------------

_INT_KINDS = (Kind.TIME, Kind.INSTANT, Kind.BYTES, Kind.INTEGER)
#: values that are valid somewhere and wrong or warned about elsewhere
_VALUES: tuple[Any, ...] = (
    *EDGE_VALUES,
    1_700_000_000,  # seconds, not milliseconds
    1_700_000_000_000,
    Decimal("1700000000000.0"),
    Decimal("1.7E+12"),
    Decimal("5000.0"),
    Decimal("5000.5"),
    Decimal("-0"),
    Decimal("1E+40"),
    4_102_444_800_000,
    -62_135_596_800_001,
    123,  # a numeric id: id.numeric
    2**53 + 1,  # id.precision
    Decimal("9007199254740993"),
    "9007199254740993",
    "１２３",
    "123\n",
    10**40,
    -(10**40),
    "normal",
    "deleted",
    "NORMAL",
    "0",
    "1",
    1,  # an enum alias: field.coerced
    2,
    "x",
    "com.x",
    "https://x.mi.com/a\n",
    "a" * 40,
    "da39a3ee5e6b4b0d3255bfef95601890afd80709\n",
)
_TEXTS = (
    "\x01",
    "\x0c",
    "\b",
    "\ud800",
    "\udc00 x",
    "Ã©",  # "é" as UTF-8 read as Latin-1: mojibake
    "é",
    "café 你好",
    "\x85",
    "😀",
    "\\u00e9",
    "\\",
    '"{[',
    "{" * 70,
    "1" * 120,
    "eeee" * 40,
    "RRULE:FREQ=DAILY",
)


def _parent(record: dict[str, Any], path: tuple[str | int, ...]) -> Any:
    parent: Any = record
    for key in path[:-1]:
        parent = parent[key]
    return parent


def _mutate(draw: st.DrawFn, record: dict[str, Any], target: Target) -> None:
    parent = _parent(record, target.path)
    key = target.path[-1]
    how = draw(st.sampled_from(["drop", "unknown", "value", "text", "null"]))
    if how == "drop":
        del parent[key]
    elif how == "unknown" and isinstance(parent, dict):
        parent[draw(st.sampled_from(["x", "Id", "id ", "createtime"]))] = draw(
            st.sampled_from(_VALUES)
        )
    elif how == "value":
        parent[key] = draw(st.sampled_from(_VALUES))
    elif how == "text":
        parent[key] = draw(st.sampled_from(_TEXTS))
    else:
        parent[key] = None


def _content_text(draw: st.DrawFn, value: dict[str, Any]) -> str:
    """A content object as a JSON string, sometimes made hostile on the way."""
    text = dumps(value, ensure_ascii=draw(st.booleans()))
    how = draw(
        st.sampled_from(
            ["plain", "plain", "space", "trailing", "duplicate", "long", "exponent", "nan", "deep"]
        )
    )
    if how == "space":
        text = draw(st.sampled_from([" ", "\n", "\t"])) + text + " \r\n"
    elif how == "trailing":
        text += draw(st.sampled_from(["x", "{}", "\x0c", ","]))
    elif how == "duplicate" and value:
        name = draw(st.sampled_from(sorted(value)))
        text = text[:-1] + f", {json.dumps(name)}: {dumps(value[name])}}}"
    elif how == "long":
        text = re.sub(r"(:\s*-?\d+)(?=[,}\]])", r"\1.0" + "0" * 110, text, count=1)
    elif how == "exponent":
        text = re.sub(r"(:\s*-?\d+)(?=[,}\]])", r"\1E+" + "0" * 110 + "0", text, count=1)
    elif how == "nan":
        text = re.sub(r"(:\s*)-?\d+(?=[,}\]])", r"\1NaN", text, count=1)
    elif how == "deep":
        text = text[:-1] + (', "deep": ' if value else '"deep": ') + "[" * 62 + "]" * 62 + "}"
    return text


@st.composite
def targeted(draw: st.DrawFn, table: str) -> dict[str, Any]:
    """A valid record with one targeted change, content then maybe written as a string."""
    record = draw(records(table, content_forms=("object",)))
    found = targets(record, table)
    chosen = draw(st.lists(st.sampled_from(found), min_size=1, max_size=2)) if found else []
    for target in chosen:
        if _reachable(record, target):  # the first change may have removed the second's
            _mutate(draw, record, target)
    for spec in TABLES[table].fields:
        value = record.get(spec.name)
        if spec.kind is Kind.CONTENT and isinstance(value, dict) and draw(st.booleans()):
            record[spec.name] = _content_text(draw, value)
    return record


def _reachable(record: dict[str, Any], target: Target) -> bool:
    try:
        parent = _parent(record, target.path)
    except (KeyError, IndexError, TypeError):
        return False
    return isinstance(parent, dict) and target.path[-1] in parent


@st.composite
def any_content(draw: st.DrawFn, table: str) -> dict[str, Any]:
    """Records whose content fields hold odd text (any-object content included)."""
    record = draw(records(table, content_forms=("object",)))
    for spec in TABLES[table].fields:
        if spec.kind is Kind.CONTENT and spec.name in record:
            text = draw(
                st.one_of(
                    st.sampled_from(["{}", "[]", '"x"', "1", "null", "{", '{"a": 1, "a": 2}']),
                    st.sampled_from(_TEXTS).map(lambda t: dumps({"k": t}, ensure_ascii=False)),
                    st.sampled_from(_TEXTS).map(lambda t: dumps({t: 1}, ensure_ascii=True)),
                    st.just('{"a": ' + "[" * 70 + "]" * 70 + "}"),
                )
            )
            record[spec.name] = text
    return record


# --- the differential tests ------------------------------------------------------------


@pytest.mark.parametrize("table", NAMES)
@EXAMPLES
@given(data=st.data())
def test_valid_records_agree(table: str, data: st.DataObject) -> None:
    record = data.draw(records(table, alternative_forms=True, extra_fields=True))
    agree(table, record)


@pytest.mark.parametrize("table", NAMES)
@EXAMPLES
@given(data=st.data())
def test_faulty_records_are_never_clean(table: str, data: st.DataObject) -> None:
    fault = data.draw(invalid_records(table))
    assert not agree(table, fault.record), fault


@pytest.mark.parametrize("table", NAMES)
@EXAMPLES
@given(data=st.data())
def test_mutated_records_agree(table: str, data: st.DataObject) -> None:
    agree(table, data.draw(mutated_records(table)))


@pytest.mark.parametrize("table", NAMES)
@MORE_EXAMPLES
@given(data=st.data())
def test_targeted_mutations_agree(table: str, data: st.DataObject) -> None:
    record = data.draw(targeted(table))
    agree(table, record)
    agree(table, record, ODD_LIMITS)


@pytest.mark.parametrize(
    "table", [n for n, t in TABLES.items() if any(f.kind is Kind.CONTENT for f in t.fields)]
)
@MORE_EXAMPLES
@given(data=st.data())
def test_odd_content_strings_agree(table: str, data: st.DataObject) -> None:
    record = data.draw(any_content(table))
    agree(table, record)
    agree(table, record, ODD_LIMITS)


@pytest.mark.parametrize("table", NAMES)
def test_most_clean_records_take_the_fast_path(table: str) -> None:
    counts: Counter[str] = Counter()

    @settings(
        max_examples=100,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(records(table))
    def tally(record: dict[str, Any]) -> None:
        clean = agree(table, record)
        if not detailed(table, record):
            counts["clean"] += 1
            counts["fast"] += clean

    tally()
    assert counts["clean"] >= 8, counts  # boundary times make many records warn
    assert counts["fast"] >= 0.9 * counts["clean"], counts


# --- hand-picked cases -----------------------------------------------------------------

_CALL = {"number": "+31 6", "type": "missed", "duration": 0, "date": 1764633600000}
_CALL_LOG = {
    "id": "12345678901234567",
    "content": _CALL,
    "creator": "phone",
    "modifier": "phone",
    "status": "normal",
}
_SMS = {
    "id": "1",
    "content": {
        "address": "10086",
        "body": "你好",
        "folder": "1",
        "localTime": 1764633600000,
        "threadId": "2",
    },
    "creator": "phone",
    "deleted": False,
    "lastUpdateTime": 0,
}


def _with(record: dict[str, Any], path: tuple[str, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(record)
    _parent(changed, path)[path[-1]] = value
    return changed


@pytest.mark.parametrize(
    ("path", "value", "clean"),
    [
        ((), None, True),
        (("content", "date"), Decimal("1764633600000.0"), True),
        (("content", "date"), 1_764_633_600, False),  # time.seconds
        (("content", "date"), True, False),
        (("content", "duration"), -1, False),
        (("content", "duration"), Decimal("5E+3"), True),
        (("content", "duration"), 10**40, True),
        (("id",), 123, False),  # id.numeric
        (("id",), 2**53 + 1, False),  # id.precision
        (("id",), "123456789012345678901", False),
        (("content", "type"), "Missed", False),
        (("content", "name"), None, False),
        (("content", "extra"), 1, False),  # field.unknown
        (("creator",), "", False),
        (("content",), json.dumps(_CALL), True),
        (("content",), json.dumps({**_CALL, "name": "李雷"}, ensure_ascii=True), True),
        (("content",), json.dumps({**_CALL, "name": "😀"}, ensure_ascii=True), True),
        (("content",), json.dumps({**_CALL, "name": "é"}, ensure_ascii=False), True),
        (("content",), json.dumps({**_CALL, "name": "Ã©"}, ensure_ascii=False), False),
        (("content",), json.dumps({**_CALL, "name": "\ud800"}, ensure_ascii=True), False),
        (("content",), json.dumps({**_CALL, "name": "\x01"}), False),
        (("content",), json.dumps(_CALL)[:-1] + ', "type": "missed"}', False),
        (("content",), json.dumps(_CALL).replace("0,", "0.0,", 1), True),
        (("content",), json.dumps(_CALL).replace("0,", "0." + "0" * 100 + ",", 1), False),
        (("content",), json.dumps(_CALL) + " x", False),
        (("content",), " " + json.dumps(_CALL), False),  # the exact parser would say
        (("content",), "[]", False),
        (("status",), 0, False),
    ],
)
def test_call_log_cases(path: tuple[str, ...], value: Any, clean: bool) -> None:
    record = _with(_CALL_LOG, path, value) if path else _CALL_LOG
    assert agree("callLog", record) is clean


@pytest.mark.parametrize(
    ("path", "value", "clean"),
    [
        ((), None, True),
        (("content", "folder"), 1, False),  # field.coerced
        (("content", "folder"), "2", False),
        (("content", "read"), True, True),
        (("content", "read"), 1, False),
        (("lastUpdateTime",), 4_102_444_800_000, False),
        (("deleted",), 0, False),
    ],
)
def test_sms_cases(path: tuple[str, ...], value: Any, clean: bool) -> None:
    record = _with(_SMS, path, value) if path else _SMS
    assert agree("sms", record) is clean


def test_time_sequence_and_order_are_not_clean() -> None:
    base = {
        "id": "1",
        "text": "x",
        "type": "text",
        "status": "normal",
        "createTime": 1764633600000,
        "updateTime": 1764633600000,
        "size": 1,
        "active": True,
    }
    assert agree("clipboard", base)
    assert agree("clipboard", {**base, "updateTime": 0})
    assert not agree("clipboard", {**base, "updateTime": 1764633599999})
    event = {"title": "t", "dtstart": 0, "dtend": -1, "allDay": False}
    calendar = {"id": "1", "status": "normal", "type": "event", "content": event}
    assert not agree("calendar", calendar)
    assert agree("calendar", {**calendar, "content": {**event, "dtend": 0}})


def test_content_depth_follows_the_limits() -> None:
    nested = {"a": [[[1]]]}
    record = {"id": "1", "content": json.dumps(nested)}
    assert agree("cloudCard", record)
    assert not agree("cloudCard", record, Limits(max_depth=7))
    assert agree("cloudCard", {"id": "1", "content": nested}, Limits(max_depth=7))


def test_sample_fixture_records_are_all_clean() -> None:
    password = (FIXTURES / "sample-export.password").read_text().splitlines()[0]
    clean = predicates()
    seen: Counter[str] = Counter()
    with read_export(FIXTURES / "sample-export.zip", password=password, decode_content=False) as r:
        for record in r.iter_records():
            seen[record.table] += 1
            assert clean[record.table](record.data), record
    assert set(seen) == set(TABLES)


def test_record_checker_gives_the_same_findings_either_way() -> None:
    fast = RecordChecker(DEFAULT_LIMITS, show_values=True)
    slow = RecordChecker(DEFAULT_LIMITS, show_values=True, fast=False)
    cases = [
        ("callLog", _CALL_LOG),
        ("callLog", _with(_CALL_LOG, ("id",), 123)),
        ("sms", _with(_SMS, ("content", "folder"), 1)),
        ("sms", [1]),
    ]
    for index, (table, value) in enumerate(cases):
        raw = RawRecord(table, index, f"/{table}/{index}", value, True, 0)
        mine, theirs = fast.check(raw, "f.json"), slow.check(raw, "f.json")
        assert (mine and [f.to_dict() for f in mine]) == (theirs and [f.to_dict() for f in theirs])
    assert fast.check(RawRecord("callLog", 0, "/callLog/0", _CALL_LOG, True, 0), "f.json") is None


def test_generated_source_is_readable_python() -> None:
    text = source("sms")
    assert text.startswith("def is_clean_sms(record):")
    assert "# Message, or a string holding it" in text
    compile(text, "<sms>", "exec")


# --- detailed-checker fixes found on the way -------------------------------------------


@pytest.mark.parametrize(
    ("table", "name", "value"),
    [
        ("recorder", "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709\n"),
        ("recorder", "url", "https://x.mi.com/a\n"),
        ("appBackup", "pkgName", "com.tencent.mm\n"),
    ],
)
def test_patterns_do_not_accept_a_final_newline(table: str, name: str, value: str) -> None:
    # Python's $ matches before a final newline; the schemas' (ECMA-262) does not
    field = TABLES[table].field_map()[name]
    check = FieldCompiler(DEFAULT_LIMITS).field(field, RECORD_DEPTH + 1)
    assert check(value.rstrip("\n")) is None
    assert [code for code, *_ in check(value) or ()] == ["field.format"]


def test_huge_integral_decimal_is_not_expanded() -> None:
    # 11 bytes of JSON once took hours; no fraction, but no usable integer: out of range
    size = TABLES["recorder"].field_map()["size"]
    check = FieldCompiler(DEFAULT_LIMITS).field(size, RECORD_DEPTH + 1)
    started = time.perf_counter()
    found = check(Decimal("1E+99999999"))
    assert time.perf_counter() - started < 1
    assert [code for code, *_ in found or ()] == ["field.range"]
    assert check(Decimal("0E+99999999")) is None
    assert check(Decimal("1E+3")) is None


@pytest.mark.parametrize("value", [1, Decimal("1.0"), Decimal("1E+0")])
def test_integral_enum_alias_is_coerced_like_the_integer(value: Any) -> None:
    # the schemas and models accept 1.0 for folder as they accept 1: a warning, not an error
    folder = TABLES["sms"].field_map()["content"].shape.field_map()["folder"]  # type: ignore[union-attr]
    check = FieldCompiler(DEFAULT_LIMITS).field(folder, RECORD_DEPTH + 2)
    found = check(value) or []
    assert [(code, message) for code, message, *_ in found] == [
        ("field.coerced", "integer accepted for a string value; write '1'")
    ]
    assert not agree("sms", _with(_SMS, ("content", "folder"), value))
