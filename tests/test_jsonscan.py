"""The streaming scanner: exact offsets, limits, encodings, and the two decode paths."""

from __future__ import annotations

import json
import random
from decimal import Decimal

import pytest

from mi_export.limits import Limits
from scan_helpers import codes, scan, scan_all_modes


def findings(events: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [e for e in events if e[0] == "finding"]


def records(events: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [e for e in events if e[0] == "record"]


def test_records_tables_and_pointers() -> None:
    data = b'{"sms": [{"id": "1"}, {"id": "2"}], "note": []}'
    events = scan_all_modes(data)
    assert events == [
        ("start", "sms"),
        ("record", "sms", 0, "/sms/0", "{'id': '1'}", True),
        ("record", "sms", 1, "/sms/1", "{'id': '2'}", True),
        ("end", "sms", 2),
        ("start", "note"),
        ("end", "note", 0),
    ]


def test_big_integers_stay_exact_and_floats_are_decimals() -> None:
    data = (
        b'{"appBackup": [{"a": 9223372036854775808, "b": -9223372036854775809, '
        b'"c": 5000.0, "d": 0.1000000000000000055511151231257827}]}'
    )
    (record,) = records(scan_all_modes(data))
    value = eval(str(record[4]))  # repr of ints and Decimals
    assert value == {
        "a": 9223372036854775808,
        "b": -9223372036854775809,
        "c": Decimal("5000.0"),
        "d": Decimal("0.1000000000000000055511151231257827"),
    }


def test_leading_zero_is_a_syntax_error_with_offset() -> None:
    data = b'{"appBackup": [{"versionCode": 0123}]}'
    (finding,) = findings(scan_all_modes(data))
    assert finding[1:8] == ("json.syntax", "appBackup", 0, None, 32, 1, 33)


def test_five_thousand_digit_number_is_a_limit_not_a_crash() -> None:
    data = b'{"sms": [{"n": ' + b"7" * 5000 + b'}, {"id": "2"}]}'
    events = scan_all_modes(data)
    assert [f[1:5] for f in findings(events)] == [("json.limits", "sms", 0, "/sms/0/n")]
    assert [r[5] for r in records(events)] == [False, True]


def test_nan_is_a_syntax_error_after_counted_records() -> None:
    data = b'{"recorder": [{"size": 1}, {"size": NaN}]}'
    events = scan_all_modes(data)
    assert len(records(events)) == 1
    (finding,) = findings(events)
    assert finding[1:4] == ("json.syntax", "recorder", 1)
    assert finding[-1] == "NaN is not JSON"


@pytest.mark.parametrize(
    ("data", "code", "message"),
    [
        (
            b'{"sms": [{"id": "1"}, {"id": "2", "content": ',
            "json.truncated",
            "the file ends inside table 'sms' after 1 complete record",
        ),
        (
            b'{"sms": [{"id": "1"}, {"deleted": tru',
            "json.truncated",
            "the file ends inside table 'sms' after 1 complete record",
        ),
        (b'{"sms": }', "json.syntax", "unexpected character '}'"),
    ],
)
def test_truncated_files(data: bytes, code: str, message: str) -> None:
    (finding,) = findings(scan_all_modes(data))
    assert (finding[1], finding[-1]) == (code, message)


def test_bom_is_a_warning_and_records_are_read() -> None:
    events = scan_all_modes(b'\xef\xbb\xbf{"sms": [{"id": "1"}]}')
    assert [f[1] for f in findings(events)] == ["json.bom"]
    assert len(records(events)) == 1


def test_utf16_file_is_named() -> None:
    data = '{"sms": [{"id": "1"}]}'.encode("utf-16")
    (finding,) = findings(scan_all_modes(data))
    assert finding[1] == "json.encoding"
    assert "UTF-16 (little-endian)" in finding[-1]


def test_invalid_utf8_offset_and_records_before_it() -> None:
    data = b'{"sms": [{"id": "1"}, {"body": "caf\xe9"}]}'
    events = scan_all_modes(data)
    assert len(records(events)) == 1
    (finding,) = findings(events)
    assert finding[1] == "json.encoding"
    assert finding[5] == data.index(b"\xe9")


def test_surrogates() -> None:
    data = (
        b'{"sms": [{"ok": "OK \\ud83d\\ude00", "lone": "\\ud83d", "reversed": "\\ude00\\ud83d"}]}'
    )
    events = scan_all_modes(data)
    assert [(f[1], f[4]) for f in findings(events)] == [
        ("text.encoding", "/sms/0/lone"),
        ("text.encoding", "/sms/0/reversed"),
    ]
    assert "😀" in records(events)[0][4]


def test_mojibake_and_a_real_diaeresis() -> None:
    data = b'{"contact": [{"a": "Rados\\u00c5\\u0082aw", "b": "Zo\\u00eb", "c": "Zo\xc3\xab"}]}'
    assert [(f[1], f[4]) for f in findings(scan_all_modes(data))] == [
        ("text.mojibake", "/contact/0/a")
    ]


def test_control_characters_warn() -> None:
    data = b'{"note": [{"content": "a\\u0007b\\tc", "k\\u0001": 1}]}'
    assert [(f[1], f[4]) for f in findings(scan_all_modes(data))] == [
        ("text.control", "/note/0/content"),
        ("text.control", "/note/0/k\u0001"),
    ]


@pytest.mark.timeout(10)
def test_nesting_bomb_is_a_depth_finding_and_reading_goes_on() -> None:
    data = b'{"sms": [{"content": ' + b"[" * 100_000 + b"]" * 100_000 + b'}, {"id": "2"}]}'
    events = scan(data)
    assert [(f[1], f[3]) for f in findings(events)] == [("json.depth", 0)]
    assert [r[2] for r in records(events)] == [0, 1]
    assert events == scan(data, fast=False)


def test_depth_limit_counts_from_the_top_level_object() -> None:
    limits = Limits(max_depth=5)
    ok = b'{"t": [{"a": {"b": 1}}]}'  # record 3, a 4, b's value scalar
    deep = b'{"t": [{"a": {"b": [1]}}]}'  # the array is at depth 5... and one more:
    deeper = b'{"t": [{"a": {"b": [[1]]}}]}'
    assert codes(ok, limits=limits) == []
    assert codes(deep, limits=limits) == []
    assert codes(deeper, limits=limits) == ["json.depth"]
    assert codes(deeper, limits=limits, fast=False) == ["json.depth"]


def test_duplicate_keys_are_found_at_every_level() -> None:
    data = b'{"sms": [{"id": "1", "c": {"x": 1, "x": 2}, "id": "1"}], "sms": []}'
    events = scan_all_modes(data)
    assert [(f[1], f[4]) for f in findings(events)] == [
        ("json.duplicate-key", "/sms/0/c/x"),
        ("json.duplicate-key", "/sms/0/id"),
        ("json.duplicate-key", "/sms"),
    ]


@pytest.mark.parametrize("data", [b"", b"   ", b"\xef\xbb\xbf"])
def test_empty_files(data: bytes) -> None:
    assert codes(data)[-1] == "json.syntax"


def test_wrong_shapes() -> None:
    assert codes(b"[1, 2]") == ["json.shape"]
    assert codes(b'{"sms": {"id": "1"}}') == ["json.shape"]
    assert codes(b'"text"') == ["json.shape"]
    assert codes(b'{"sms": []} {}') == ["json.syntax"]


def test_lines_and_columns_count_characters() -> None:
    data = '{"sms": [\n  {"body": "你好"},\n  {"body": x}\n]}'.encode()
    (finding,) = findings(scan_all_modes(data))
    assert finding[6:8] == (3, 12)
    assert finding[5] == data.index(b"x}")


def test_strings_full_of_record_separators() -> None:
    body = '},{"id": "x"}],"t":[' * 50
    data = json.dumps({"sms": [{"body": body}, {"body": "b"}]}).encode()
    events = scan_all_modes(data)
    assert len(records(events)) == 2 and findings(events) == []


def test_random_corpus_agrees_in_all_modes() -> None:
    rng = random.Random(7)
    pieces = [
        '"é"',
        '"\\u00c5\\u0082"',
        '"\\ud83d"',
        "1e5",
        "-0.5",
        '"\\n"',
        "true",
        "null",
        '{"a": [1, {"b": "😀"}]}',
        '"长文本"' * 3,
        "12345678901234567890123",
    ]
    for _ in range(40):
        rec = "{" + ", ".join(f'"k{i}": {rng.choice(pieces)}' for i in range(rng.randint(0, 6)))
        rec += "}"
        data = ('{"sms": [' + ", ".join([rec] * rng.randint(1, 3)) + "]}").encode()
        cut = data[: rng.randint(1, len(data))] if rng.random() < 0.3 else data
        scan_all_modes(cut)


def test_a_cut_table_still_reports_its_complete_records() -> None:
    events = scan_all_modes(b'{"sms": [{"id": "1"}, {"id": "2"}, {"id": "3", "content": ')
    assert events[-2][1] == "json.truncated"
    assert events[-1] == ("end", "sms", 2)


def test_mojibake_guard_skips_plain_accents_but_not_literal_mojibake() -> None:
    plain = '{"contact": [{"n": "café Zoë Ærø"}]}'.encode()
    literal = '{"contact": [{"n": "RadosÅ\u0082aw"}]}'.encode()
    assert codes(plain) == []
    assert codes(literal) == codes(literal, fast=False) == ["text.mojibake"]


def test_encoded_surrogate_is_a_text_finding_and_reading_goes_on() -> None:
    data = b'{"sms": [{"body": "a\xed\xa0\xbdb"}, {"id": "2"}]}'
    events = scan_all_modes(data)
    assert [(f[1], f[4]) for f in findings(events)] == [("text.encoding", "/sms/0/body")]
    assert events[-1] == ("end", "sms", 2)


def test_string_over_the_limit_is_found_by_both_paths() -> None:
    limits = Limits(max_string_bytes=64)
    data = b'{"note": [{"content": "' + "长".encode() * 30 + b'"}, {"id": "2"}]}'
    for fast in (True, False):
        assert codes(data, limits=limits, fast=fast) == ["json.limits"]


def test_number_limit_is_configurable_in_both_paths() -> None:
    limits = Limits(max_number_chars=10)
    data = b'{"sms": [{"n": 123456789012345}, {"c": "{\\"n\\": 123456789012345}"}]}'
    for fast in (True, False):
        assert codes(data, limits=limits, fast=fast) == ["json.limits"]


def test_a_file_cut_inside_a_nesting_bomb_reports_depth_and_truncation() -> None:
    data = b'{"commonPhrase": [{"id": "1", "x": ' + b"[" * 2000
    assert codes(data) == codes(data, fast=False) == ["json.depth", "json.truncated"]
