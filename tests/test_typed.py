"""The typed batch checks (msgspec) vouch only for records the exact path finds clean.

``batch_checker(table).check(batch)`` may refuse a clean batch (the records are then
read one by one), but it must never accept a batch in which the exact path (the exact
parser and the detailed checker, ``fast=False``) finds anything: an error, a warning,
a text or a limits finding. Checked on the strategies of ``test_fastpath`` (valid,
faulty, mutated, targeted records, hostile content strings), written compact and
pretty, plain and ASCII-escaped, under the default and odd limits; on hand-picked
hostile batches; and it must accept most clean records, or it would be no fast path.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export.findings import Finding
from mi_export.jsonscan import RawRecord, scan_file
from mi_export.limits import DEFAULT_LIMITS, Limits
from mi_export.tables import TABLES
from mi_export.typed import batch_checker, batch_checkers
from mi_export_validator.checks.records import RecordChecker
from strategies import dumps, invalid_records, mutated_records, records
from test_fastpath import ODD_LIMITS, any_content, targeted

BATCHED = sorted(batch_checkers(DEFAULT_LIMITS))
EXAMPLES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def exact_path(
    table: str, records_text: list[str], limits: Limits
) -> tuple[list[str], list[str | None]]:
    """Codes the exact path reports on a file of these records, and their keys."""
    data = ('{"' + table + '":[' + ",".join(records_text) + "]}").encode("utf-8", "surrogatepass")
    checker = RecordChecker(limits, show_values=False, fast=False)
    codes: list[str] = []
    keys: list[str | None] = []
    for event in scan_file(io.BytesIO(data), file="t.json", limits=limits, fast=False):
        if isinstance(event, Finding):
            codes.append(event.code)
        elif isinstance(event, RawRecord) and event.complete:
            codes.extend(f.code for f in checker.check(event, "t.json") or [])
            keys.append(checker.key_of(table, event.value))
    return codes, keys


def exact_findings(table: str, records_text: list[str], limits: Limits) -> list[str]:
    """Codes the exact path reports on a file holding these records of ``table``."""
    return exact_path(table, records_text, limits)[0]


def accepted(table: str, records_text: list[str], limits: Limits = DEFAULT_LIMITS) -> bool:
    """Whether the batch checker vouches for these records; assert it may."""
    checker = batch_checker(table, limits)
    if checker is None:
        return False
    batch = ("[" + ",".join(records_text) + "]").encode("utf-8", "surrogatepass")
    keys = checker.check(batch)
    if keys is not None:
        found, exact_keys = exact_path(table, records_text, limits)
        assert not found, f"vouched for records with {found}: {records_text}"
        assert keys == exact_keys
    return keys is not None


def writings(record: dict[str, Any]) -> list[str]:
    """The record as JSON text: compact, as json.dumps, pretty, ASCII-escaped."""
    return [
        json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=float),
        dumps(record),
        json.dumps(record, ensure_ascii=False, indent=2, default=float),
        dumps(record, ensure_ascii=True),
    ]


def test_tables_that_are_batched() -> None:
    # the others hold non-integral numbers or any-object content: record by record
    assert set(TABLES) - set(BATCHED) == {"cloudCard", "findDevice", "loanModel", "micard"}


@pytest.mark.parametrize("table", BATCHED)
@EXAMPLES
@given(data=st.data())
def test_valid_and_odd_records_are_vouched_for_only_when_clean(
    table: str, data: st.DataObject
) -> None:
    record = data.draw(
        st.one_of(
            records(table, alternative_forms=True, extra_fields=True),
            mutated_records(table),
            targeted(table),
            any_content(table),
        )
    )
    for text in writings(record):
        accepted(table, [text])
        accepted(table, [text], ODD_LIMITS)


@pytest.mark.parametrize("table", BATCHED)
@EXAMPLES
@given(data=st.data())
def test_faulty_records_are_never_vouched_for(table: str, data: st.DataObject) -> None:
    fault = data.draw(invalid_records(table))
    clean = data.draw(records(table, content_forms=("object",)))
    for text in writings(fault.record):
        assert not accepted(table, [dumps(clean), text]), fault


@pytest.mark.parametrize("table", BATCHED)
def test_most_clean_records_are_vouched_for(table: str) -> None:
    counts: Counter[str] = Counter()

    @settings(
        max_examples=200,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(records(table))
    def tally(record: dict[str, Any]) -> None:
        text = dumps(record)
        # the guards refuse escapes (\\, \u00XX...) and Latin-1 pairs by design; the
        # strategies' random text is full of them, real exports are not
        if "\\" in text or any("\x80" <= char <= "\xff" for char in text):
            return
        if not exact_findings(table, [text], DEFAULT_LIMITS):
            counts["clean"] += 1
            counts["vouched"] += accepted(table, [text])

    tally()
    assert counts["clean"] >= 1, counts  # few: most drawn records hold such text
    assert counts["vouched"] == counts["clean"], counts


# --- hand-picked batches -----------------------------------------------------------------

_SMS = (
    '{"id":"1","content":{"address":"10086","body":"你好 😀","folder":"1",'
    '"localTime":1764633600000,"threadId":"2"},"creator":"phone","deleted":false,'
    '"lastUpdateTime":1764633600000}'
)
_SMS_STRING = (
    '{"id":"3","content":"{\\"address\\": \\"10086\\", \\"body\\": \\"a\\\\\\"b\\", '
    '\\"folder\\": \\"1\\", \\"localTime\\": 1764633600000, \\"threadId\\": \\"2\\"}",'
    '"creator":"phone","deleted":false,"lastUpdateTime":0}'
)
_SMS_STRING_PLAIN = (
    '{"id":"4","content":"{\\"address\\": \\"10086\\", \\"body\\": \\"ok\\", '
    '\\"folder\\": \\"1\\", \\"localTime\\": 1764633600000, \\"threadId\\": \\"2\\"}",'
    '"creator":"phone","deleted":false,"lastUpdateTime":0}'
)


@pytest.mark.parametrize(
    ("records_text", "vouched"),
    [
        ([_SMS], True),
        ([_SMS_STRING_PLAIN], True),
        ([_SMS, _SMS_STRING_PLAIN, _SMS], True),
        # an escaped backslash in a content string: read the exact way
        ([_SMS_STRING], False),
        # duplicate keys: at the top, in content, in a content string
        ([_SMS.replace('"creator":"phone"', '"creator":"phone","creator":"x"')], False),
        ([_SMS.replace('"folder":"1"', '"folder":"1","folder":"1"')], False),
        ([_SMS_STRING_PLAIN.replace('\\"folder\\": \\"1\\"', '\\"body\\": \\"1\\"')], False),
        # a duplicate key hidden by a space before a colon elsewhere
        (
            [
                _SMS.replace('"creator":"phone"', '"creator":"phone","creator":"x"').replace(
                    '"deleted":', '"deleted" :'
                )
            ],
            False,
        ),
        # escapes that may need a text check, and a pair that does not
        ([_SMS.replace("你好", "\\u00e9")], False),
        ([_SMS.replace("你好", "\\ud83d")], False),
        ([_SMS.replace("你好", "\\ude00")], False),
        ([_SMS.replace("你好", "a\\bb")], False),
        ([_SMS.replace("你好", "\\ud83d\\ude00")], True),
        ([_SMS.replace("你好", "\\u4f60")], True),
        # mojibake, and text that only looks like it could be
        ([_SMS.replace("你好", "Ã©")], False),
        ([_SMS.replace("你好", "café ©")], True),
        # numbers: seconds, a float, over int64, a long literal
        ([_SMS.replace('"lastUpdateTime":1764633600000', '"lastUpdateTime":1764633600')], False),
        ([_SMS.replace('"lastUpdateTime":1764633600000', '"lastUpdateTime":1.5')], False),
        ([_SMS.replace('"lastUpdateTime":1764633600000', '"lastUpdateTime":1E12')], False),
        ([_SMS.replace('"lastUpdateTime":1764633600000', '"lastUpdateTime":' + "9" * 30)], False),
        # unknown field, null, wrong type, numeric id
        ([_SMS.replace('"deleted":false', '"deleted":false,"x":1')], False),
        ([_SMS.replace('"deleted":false', '"deleted":null')], False),
        ([_SMS.replace('"id":"1"', '"id":1')], False),
        ([_SMS.replace('"id":"1"', '"id":"１"')], False),
        # not a record
        (["[]"], False),
        (["1"], False),
    ],
)
def test_hand_picked_batches(records_text: list[str], vouched: bool) -> None:
    assert accepted("sms", records_text) is vouched


def test_limits_below_what_the_structs_hold_turn_batching_off() -> None:
    assert batch_checker("sms", Limits(max_number_chars=12)) is None
    assert batch_checker("sms", Limits(max_depth=4)) is None


def test_a_string_over_the_limit_is_not_vouched_for() -> None:
    limits = Limits(max_string_bytes=40)
    long_body = _SMS.replace("你好 😀", "x" * 11)  # 11 characters > 40 // 4
    assert not accepted("sms", [long_body], limits)
    assert accepted("sms", [_SMS.replace("你好 😀", "x" * 10)], limits)


def test_keys_are_the_duplicate_keys_of_the_records() -> None:
    checker = batch_checker("sms", DEFAULT_LIMITS)
    assert checker is not None
    batch = ("[" + ",".join([_SMS, _SMS.replace('"id":"1"', '"id":"77"')]) + "]").encode()
    assert checker.check(batch) == ["1", "77"]
    # composite keys (and keyless tables) are compared with the exact path's by
    # accepted() in the property tests above
    assert {"appBackup", "music", "serviceQuotaUsage"} <= set(BATCHED)
