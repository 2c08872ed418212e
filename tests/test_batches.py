"""The quick scan cuts files at record boundaries only, and stops rather than guess.

``scan_batches`` is checked against the exact scanner (``scan_file``): on files of any
layout (compact, pretty, strings full of ``},{`` and ``}]``, nested arrays of objects,
several tables, empty arrays), at batch targets from 1 byte up, every record comes out
once, in order, with the exact scanner's fingerprint; on broken or unusual files it
raises NeedsExactScan (and nothing else), having vouched only for a prefix. The engine
tests then check that validating with the quick scan gives the same report as the exact
path, when a file is vouched for whole and when the quick scan stops midway.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export.jsonscan import RawRecord, TableEnd, TableStart, scan_file
from mi_export.jsonscan.batches import NeedsExactScan, RecordBatch, scan_batches
from mi_export.limits import DEFAULT_LIMITS
from mi_export_validator.engine import Options, Validation, validate
from test_validate_engine import PASSWORD, contact, sms, write

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_NASTY = ["},{", "}]", "]}", '"}', "},\n{", "\\", '\\"},{"', "{[", "你好 😀"]


def record_values() -> st.SearchStrategy[dict[str, Any]]:
    leaf = st.one_of(
        st.integers(-5, 10**15),
        st.booleans(),
        st.sampled_from(_NASTY),
        st.text(max_size=6),
    )
    nested = st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
        ),
        max_leaves=8,
    )
    return st.dictionaries(st.sampled_from(["id", "a", "b", "c"]), nested, max_size=4)


def layout(data: dict[str, list[dict[str, Any]]], style: str) -> bytes:
    if style == "compact":
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    elif style == "pretty":
        text = json.dumps(data, ensure_ascii=False, indent=2)
    elif style == "lines":  # as the exports: one record per line
        text = (
            "{"
            + ",\n".join(
                json.dumps(name)
                + ":[\n"
                + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records)
                + "\n]"
                for name, records in data.items()
            )
            + "}\n"
        )
    else:
        text = json.dumps(data)
    return text.encode()


def exact(data: bytes) -> list[tuple[str, int, int]]:
    """(table, index, fingerprint) of every record, from the exact scanner."""
    return [
        (e.table, e.index, e.fingerprint)
        for e in scan_file(io.BytesIO(data), file="f.json", fast=False)
        if isinstance(e, RawRecord)
    ]


def accept_all(table: str, batch: bytes) -> list[Any]:
    records = json.loads(batch)
    assert all(type(r) is dict for r in records)
    return [None] * len(records)


def quick(data: bytes, target: int, check: Any = accept_all, **kw: Any) -> list[Any]:
    return list(
        scan_batches(io.BytesIO(data), check, {"t", "u", "sms"}, target=target, read_size=7, **kw)
    )


def flat(events: list[Any]) -> list[tuple[str, int, int]]:
    return [
        (e.table, e.first_index + i, fp)
        for e in events
        if isinstance(e, RecordBatch)
        for i, fp in enumerate(e.fingerprints)
    ]


@SETTINGS
@given(
    tables=st.dictionaries(
        st.sampled_from(["t", "u"]), st.lists(record_values(), max_size=6), min_size=1
    ),
    style=st.sampled_from(["compact", "pretty", "lines", "default"]),
    target=st.integers(1, 300),
)
def test_every_record_once_with_the_exact_fingerprint(
    tables: dict[str, list[dict[str, Any]]], style: str, target: int
) -> None:
    data = layout(tables, style)
    try:
        events = quick(data, target)
    except NeedsExactScan as stop:  # allowed (many guesses in a deep record), but rare
        assert stop.reason in ("no record boundary found",), stop.reason
        return
    assert flat(events) == exact(data)
    assert [(e.name, e.records) for e in events if isinstance(e, TableEnd)] == [
        (name, len(records)) for name, records in tables.items()
    ]
    assert [e.name for e in events if isinstance(e, TableStart)] == list(tables)


@SETTINGS
@given(
    records=st.lists(record_values(), min_size=1, max_size=8),
    cut=st.integers(0, 10_000),
    junk=st.sampled_from([b"", b"x", b"\xff", b"]", b"}", b",", b'{"t":[]}', b"\xef\xbb\xbf"]),
    target=st.integers(1, 200),
)
def test_broken_files_stop_the_quick_scan_after_a_prefix(
    records: list[dict[str, Any]], cut: int, junk: bytes, target: int
) -> None:
    good = layout({"t": records}, "lines")
    data = good[: cut % (len(good) + 1)] + junk
    expected = exact(good)
    try:
        events = quick(data, target)
    except NeedsExactScan as stop:
        vouched = stop.done.get("t", 0)
        assert vouched <= len(records)
        got = [
            (e.table, e.first_index + i, fp)
            for e in _events_until_stop(data, target)
            for i, fp in enumerate(e.fingerprints)
        ]
        assert got == expected[:vouched]
        return
    # it went through: then the file must be a whole valid file with the same records
    assert flat(events) == exact(data)


def _events_until_stop(data: bytes, target: int) -> list[RecordBatch]:
    out: list[RecordBatch] = []
    try:
        for event in scan_batches(io.BytesIO(data), accept_all, {"t"}, target=target, read_size=7):
            if isinstance(event, RecordBatch):
                out.append(event)
    except NeedsExactScan:
        pass
    return out


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b'\xef\xbb\xbf{"t":[{"a":1}]}', "the file does not start with '{'"),
        (b'{"x":[{"a":1}]}', "table 'x' is read record by record"),
        (b'{"t":[{"a":1}],"t":[{"a":2}]}', "table 't' is read record by record"),
        (b'{"t":{"a":1}}', "not a table key and array"),
        (b'{"t":[{"a":1}]} x', "data after the top-level object"),
        (b'{"t":[{"a":1},', "the last records need a closer look"),
        (b'{"t":[{"a":1}', "the last records need a closer look"),
        (b'{"t":[{"a":1}]', "the file ends after the array"),
        (b'{"t":[' + b"[" * 5000 + b"]" * 5000 + b"]}", "deep nesting"),
    ],
)
def test_what_stops_the_quick_scan(data: bytes, reason: str) -> None:
    with pytest.raises(NeedsExactScan) as stop:
        quick(data, 1 << 18)
    assert stop.value.reason == reason


def test_a_refused_batch_stops_it_and_says_what_was_vouched_for() -> None:
    data = layout({"t": [{"id": str(i)} for i in range(500)]}, "lines")

    def refuse_late(table: str, batch: bytes) -> list[Any] | None:
        records = json.loads(batch)
        return None if any(r["id"] == "300" for r in records) else [None] * len(records)

    with pytest.raises(NeedsExactScan) as stop:
        quick(data, 40, check=refuse_late)
    assert 0 < stop.value.done["t"] <= 300


def test_a_record_over_the_size_limit_stops_it() -> None:
    small = [{"id": str(i)} for i in range(300)]
    data = layout({"t": [*small, {"id": "x", "a": "x" * 100}, *small]}, "lines")
    with pytest.raises(NeedsExactScan) as stop:
        quick(data, 1, max_record=50)
    assert stop.value.reason == "a record over the size limit"
    assert 0 < stop.value.done["t"] <= 300


# --- the engine -------------------------------------------------------------------------


def _report(path: Path, fast: bool, **kw: Any) -> dict[str, Any]:
    report = validate(path, Options(password=PASSWORD, fast=fast, **kw)).to_dict()
    report["stats"].pop("seconds")
    return report


def test_a_valid_archive_is_read_by_the_quick_scan_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path / "a.zip",
        {"sms": [sms(i) for i in range(300)], "contact": [contact(i) for i in range(200)]},
    )
    run = Validation(path, Options(password=PASSWORD, batch_bytes=2000))
    assert list(run.iter_findings()) == []
    assert run.quick_files == 2
    assert run.records == 500
    assert _report(path, True, batch_bytes=2000) == _report(path, False)


def test_a_bad_record_midway_gives_the_exact_report(tmp_path: Path) -> None:
    records = [sms(i) for i in range(300)]
    records[250]["lastUpdateTime"] = 1764633600  # seconds: time.seconds
    records[260] = dict(records[10])  # an identical duplicate of a vouched record
    records[270] = sms(20, creator="other")  # a conflicting duplicate of a vouched one
    later = [sms(i) for i in range(295, 320)]  # ids repeated across files
    path = write(tmp_path / "a.zip", {"sms": records + later}, split_bytes=75_000)
    fast = Validation(path, Options(password=PASSWORD, batch_bytes=2000))
    findings = list(fast.iter_findings())
    assert fast.quick_files == 1  # sms-2.json; sms.json needed the exact scan midway
    assert {f.code for f in findings} >= {"time.seconds", "id.duplicate"}
    assert _report(path, True, batch_bytes=2000) == _report(path, False)


def test_the_sample_archive_is_vouched_for() -> None:
    root = Path(__file__).resolve().parent.parent / "fixtures"
    password = (root / "sample-export.password").read_text().strip()
    run = Validation(root / "sample-export.zip", Options(password=password))
    list(run.iter_findings())
    assert run.quick_files >= 1
    assert DEFAULT_LIMITS.max_record_bytes > 0
