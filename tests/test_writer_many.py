"""TableWriter.write_many: the same archive as write() one by one, and the writer's thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export import _zipout
from mi_export._jsonwrite import json_text
from mi_export.errors import RecordValidationError
from mi_export.models import Event, model_for
from mi_export.tables import TABLES
from mi_export.writer import ArchiveWriter, TableWriter
from strategies import invalid_records, mutated_records, records
from test_writer import _sms as writer_sms

CLOCK = 1764633600000
TABLE_NAMES = sorted(TABLES)


def _writer(path: Path, **kw: Any) -> ArchiveWriter:
    return ArchiveWriter(path, encryption="none", clock=lambda: CLOCK, export_id="e", **kw)


def _members(path: Path) -> dict[str, bytes]:
    with pyzipper.ZipFile(path) as zf:
        return {info.filename: zf.read(info.filename) for info in zf.infolist()}


Refusals = list[tuple[int, list[str]]]  # position in the batch, finding codes


def _one_by_one(table: TableWriter, batch: list[Any]) -> Refusals:
    refused = []
    for position, record in enumerate(batch):
        try:
            table.write(record)
        except RecordValidationError as exc:
            refused.append((position, [f.code for f in exc.findings]))
    return refused


def _many(table: TableWriter, batch: list[Any]) -> Refusals:
    """write_many, resuming after each refused record (records counts what went in)."""
    refused, done = [], 0
    while done < len(batch):
        before = table.records
        try:
            table.write_many(batch[done:])
            break
        except RecordValidationError as exc:
            done += table.records - before
            refused.append((done, [f.code for f in exc.findings]))
            done += 1
    return refused


def _reported(table: TableWriter, batch: list[Any]) -> Refusals:
    """write_many with on_invalid: refusals reported at their positions."""
    refused: Refusals = []
    table.write_many(
        batch, on_invalid=lambda i, exc: refused.append((i, [f.code for f in exc.findings]))
    )
    return refused


def _both(tmp_path: Path, name: str, batch: list[Any], **kw: Any) -> None:
    """Write ``batch`` three ways; the archives and the refusals must be the same."""
    outcomes = []
    for how, write in (("one", _one_by_one), ("many", _many), ("reported", _reported)):
        path = tmp_path / f"{how}.zip"
        path.unlink(missing_ok=True)
        with _writer(path, **kw) as archive, archive.open_table(name) as table:
            refused = write(table, batch)
            count = table.records
        outcomes.append((_members(path), refused, count))
    assert outcomes[0] == outcomes[1] == outcomes[2]


def _sms(i: int) -> dict[str, Any]:
    """test_writer's record, with bodies of varied length (groups of varied size)."""
    record = writer_sms(i)
    record["content"]["body"] += "x" * (i % 300)
    return record


def test_many_clean_records_split_over_files_as_one_by_one(tmp_path: Path) -> None:
    batch = [_sms(i) for i in range(3000)]
    _both(tmp_path, "sms", batch, split_bytes=64 * 1024)
    files = [n for n in _members(tmp_path / "many.zip") if n.startswith("sms")]
    assert len(files) > 10  # the groups really crossed file boundaries


def test_invalid_record_stops_write_many_after_the_records_before_it(tmp_path: Path) -> None:
    batch = [_sms(i) for i in range(500)]
    batch[321]["content"]["folder"] = "7"
    path = tmp_path / "out.zip"
    with _writer(path) as archive, archive.open_table("sms") as table:
        with pytest.raises(RecordValidationError) as caught:
            table.write_many(batch)
        assert table.records == 321
        assert [f.pointer for f in caught.value.findings] == ["/content/folder"]
        assert table.write_many(batch[322:]) == 178
    data = _members(path)["sms.json"]
    assert data.count(b'"id":') == 499
    assert b'"id":"100000000000000321"' not in data


def test_canonical_forms_models_and_decimals_as_one_by_one(tmp_path: Path) -> None:
    batch: list[Any] = [_sms(i) for i in range(200)]
    batch[10]["id"] = 4242  # numeric id: written as a string
    batch[20]["content"]["folder"] = 1  # integer alias of an enum
    batch[30]["lastUpdateTime"] = Decimal(CLOCK)  # slow encoder path
    batch[40] = model_for("sms").model_validate(batch[40])
    _both(tmp_path, "sms", batch)
    assert _members(tmp_path / "many.zip")["sms.json"].count(b'"id":') == 200
    data = _members(tmp_path / "many.zip")["sms.json"]
    assert b'"id":"4242"' in data
    assert b'"folder":"1"' in data


def test_without_validation_write_many_writes_what_write_would(tmp_path: Path) -> None:
    batch = [_sms(i) for i in range(100)]
    batch[5]["content"]["folder"] = "7"
    _both(tmp_path, "sms", batch, validate=False)


@st.composite
def _mixed(draw: st.DrawFn, table: str) -> list[Any]:
    """Mostly valid records (some in alternative forms), perhaps one that is not."""
    batch: list[Any] = draw(
        st.lists(records(table, alternative_forms=True, extra_fields=True), max_size=12)
    )
    fault = st.one_of(
        invalid_records(table).map(lambda fault: fault.record), mutated_records(table)
    )
    if draw(st.booleans()):
        batch.insert(draw(st.integers(0, len(batch))), draw(fault))
    return batch


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_records_write_many_equals_one_by_one(tmp_path: Path, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(TABLE_NAMES))
    batch = data.draw(_mixed(name))
    _both(tmp_path, name, batch, split_bytes=data.draw(st.sampled_from([2048, 1 << 20])))


# --- the member's helper thread ----------------------------------------------------------


def _deflate_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("mi-export-deflate")]


def test_a_failing_chunk_write_surfaces_and_aborts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_zipout, "_BUFFER", 1024)
    calls = 0

    def failing(self: _zipout.Member, chunk: bytearray) -> None:
        nonlocal calls
        calls += 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_zipout.Member, "_write_chunk", failing)
    path = tmp_path / "out.zip"
    with pytest.raises(OSError, match="No space left"), _writer(path) as archive:
        archive.write_table("sms", (_sms(i) for i in range(1000)))
    assert calls == 1  # the first failure stopped the writing
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []
    assert _deflate_threads() == []


def test_helper_threads_end_with_each_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_zipout, "_BUFFER", 4096)
    with _writer(tmp_path / "out.zip", split_bytes=16 * 1024) as archive:
        archive.write_table("sms", (_sms(i) for i in range(400)))
        assert len(_deflate_threads()) <= 1
    assert _deflate_threads() == []
    assert _members(tmp_path / "out.zip")  # and the archive reads back


def test_an_interrupt_while_aborting_still_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(self: _zipout.Member) -> None:
        raise KeyboardInterrupt  # a second Ctrl-C, while abort waits for the chunk in flight

    path = tmp_path / "out.zip"
    with pytest.raises(KeyboardInterrupt), _writer(path) as archive:
        archive.open_table("sms").write_many([_sms(i) for i in range(100)])
        monkeypatch.setattr(_zipout.Member, "_wait", interrupted)
        raise KeyboardInterrupt  # the first Ctrl-C
    assert list(tmp_path.iterdir()) == []


# --- records as taken ----------------------------------------------------------------------

_any_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(),
        st.decimals(allow_nan=False, places=2),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.tuples(inner),
        st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)), inner, max_size=3),
    ),
    max_leaves=8,
)


@given(_any_values)
def test_json_text_is_json_dumps_or_none(value: Any) -> None:
    try:
        expected: str | None = json.dumps(
            value, ensure_ascii=False, allow_nan=False, separators=(",", ":")
        )
    except (ValueError, TypeError):
        expected = None
    assert json_text(value) == expected


def test_a_generator_that_reuses_one_dict_writes_each_state(tmp_path: Path) -> None:
    def reused(bad_at: int | None) -> Iterator[dict[str, Any]]:
        record = _sms(0)
        for i in range(300):
            record["id"] = str(100 + i)
            record["deleted"] = "no" if i == bad_at else False
            yield record

    for bad_at in (None, 150):  # a clean group, and one written record by record
        path = tmp_path / f"{bad_at}.zip"
        refused: list[int] = []
        with _writer(path) as archive, archive.open_table("sms") as table:
            table.write_many(reused(bad_at), on_invalid=lambda i, _, found=refused: found.append(i))
        data = _members(path)["sms.json"]
        ids = [json.loads(line.rstrip(b",\n"))["id"] for line in data.splitlines()[1:-1]]
        assert ids == [str(100 + i) for i in range(300) if i != bad_at]
        assert refused == ([] if bad_at is None else [bad_at])


def test_an_iterator_failing_midway_leaves_the_records_before_it_written(tmp_path: Path) -> None:
    def failing() -> Iterator[dict[str, Any]]:
        yield from (_sms(i) for i in range(10))
        raise LookupError("the database went away")

    with _writer(tmp_path / "out.zip") as archive, archive.open_table("sms") as table:
        with pytest.raises(LookupError, match="went away"):
            table.write_many(failing())
        assert table.records == 10


def _note(i: int, history: Any) -> dict[str, Any]:
    return {
        "id": str(4 * 10**17 + i),
        "content": "<text>购物清单</text>",
        "history": history,
        "folderName": "生活",
        "status": "normal",
        "type": "todo",
        "createTime": CLOCK,
        "updateTime": CLOCK,
        "order": 1,
    }


def test_tuples_are_arrays_in_both_ways(tmp_path: Path) -> None:
    entry = {"content": "<text>牛奶</text>", "updateTime": CLOCK}
    batch = [_note(0, [entry]), _note(1, (entry,)), _note(2, ())]
    _both(tmp_path, "note", batch)
    data = _members(tmp_path / "one.zip")["note.json"]
    assert data.count(b'"history":[{"content"') == 2 and b'"history":[]' in data


def test_content_strings_with_a_key_twice_are_refused_both_ways(tmp_path: Path) -> None:
    record = _sms(0)
    record["content"] = json.dumps(record["content"], ensure_ascii=False)[:-1] + ',"body":"x"}'
    _both(tmp_path, "sms", [_sms(1), record, _sms(2)])
    with (
        _writer(tmp_path / "out.zip") as archive,
        archive.open_table("sms") as table,
        pytest.raises(RecordValidationError) as caught,
    ):
        table.write(record)
    assert [(f.code, f.pointer) for f in caught.value.findings] == [("content.invalid", "/content")]


def test_integral_floats_are_canonical_ids_and_aliases(tmp_path: Path) -> None:
    first, second = _sms(1), _sms(2)
    first["id"] = 7.0
    second["id"], second["content"]["folder"] = Decimal("8.00"), 0.0
    _both(tmp_path, "sms", [first, second])
    data = _members(tmp_path / "one.zip")["sms.json"]
    assert data.count(b'"id":"7",') == 1 and data.count(b'"id":"8",') == 1
    assert data.count(b'"folder":"0"') == 2


def test_a_shape_model_inside_a_dict_record_is_written(tmp_path: Path) -> None:
    event = {"title": "周会", "dtstart": CLOCK, "dtend": CLOCK + 3_600_000, "allDay": False}
    record = {"id": "5", "status": "normal", "type": "event"}
    batch = [{**record, "content": Event.model_validate(event)}, {**record, "id": "6"}]
    batch[1]["content"] = Event.model_validate({**event, "dtend": CLOCK - 1})  # ends first
    _both(tmp_path, "calendar", batch)
    written = _members(tmp_path / "many.zip")["calendar.json"].splitlines()[1]
    assert json.loads(written.rstrip(b","))["content"] == event


def test_a_reused_dict_holding_decimals_writes_each_state(tmp_path: Path) -> None:
    def reused() -> Iterator[dict[str, Any]]:
        record = _sms(0)
        for i in range(5):
            record["id"] = Decimal(1000 + i)  # no json.dumps text: taken as a copy
            yield record

    with _writer(tmp_path / "out.zip") as archive:
        archive.write_table("sms", reused())
    data = _members(tmp_path / "out.zip")["sms.json"]
    assert [json.loads(line.rstrip(b","))["id"] for line in data.splitlines()[1:-1]] == [
        str(1000 + i) for i in range(5)
    ]


def test_keys_that_are_not_strings_are_refused_both_ways(tmp_path: Path) -> None:
    clash = _sms(1)
    clash["content"].update({"1": "a", 1: "b"})
    batch = [_sms(0), {**_sms(2), 1: "x"}, clash, _sms(3)]
    _both(tmp_path, "sms", batch)
    data = _members(tmp_path / "one.zip")["sms.json"]
    assert data.count(b'"id":') == 2 and b'"1":' not in data


def test_groups_are_bounded_by_bytes_not_only_by_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mi_export import writer

    sizes: list[int] = []
    take = writer._Group._take

    def recorded(self: Any, iterator: Iterator[Any]) -> None:
        take(self, iterator)
        sizes.append(sum(len(t or "") for t in self.texts))

    monkeypatch.setattr(writer._Group, "_take", recorded)
    big = [_sms(i) for i in range(40)]
    for record in big:
        record["content"]["body"] = "长" * 100_000  # about 300 KB of JSON each
    with _writer(tmp_path / "out.zip") as archive:
        assert archive.write_table("sms", big) == 40
    assert max(sizes) < writer._GROUP_BYTES + 400_000  # at most one record past the bound
