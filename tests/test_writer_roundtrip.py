"""Round trip as a property: hypothesis records of every table, written, read, validated."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export.reader import read_export
from mi_export.tables import TABLES, Kind
from mi_export.writer import ArchiveWriter
from mi_export_validator.engine import Options, validate
from strategies import records

PASSWORD = "round-trip 密码"
CONTENT = {n: [f.name for f in t.fields if f.kind is Kind.CONTENT] for n, t in TABLES.items()}


def _in_order(record: dict[str, Any]) -> dict[str, Any]:
    """Events that end before they start are refused (time.order): put them in order."""
    content = record.get("content")
    event = json.loads(content) if isinstance(content, str) else content
    if isinstance(event, dict) and "dtend" in event and event["dtend"] < event["dtstart"]:
        event["dtstart"], event["dtend"] = event["dtend"], event["dtstart"]
        record["content"] = json.dumps(event, ensure_ascii=False) if content is not event else event
    return record


def _table_records(table: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    fields = TABLES[table].key
    items = records(table).map(_in_order) if table == "calendar" else records(table)
    if not fields:
        return st.lists(items, max_size=2)
    # Keys must be unique (id.duplicate); compared as the validator does, ids as text.
    return st.lists(items, max_size=2, unique_by=lambda r: tuple(str(r.get(f)) for f in fields))


def _tables() -> st.SearchStrategy[dict[str, list[dict[str, Any]]]]:
    return st.fixed_dictionaries({name: _table_records(name) for name in TABLES})


def _exact(value: Any) -> Any:
    """Numbers as Decimal, so 0.1 (float) and Decimal('0.1') compare equal, ints exact."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(v) for v in value]
    return value


def _decoded(table: str, record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    for name in CONTENT[table]:
        if isinstance(out.get(name), str):
            out[name] = json.loads(out[name], parse_float=Decimal)
    return _exact(out)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_tables())
def test_write_read_validate(tmp_path_factory: Any, data: dict[str, list[dict[str, Any]]]) -> None:
    out: Path = tmp_path_factory.mktemp("rt") / "export.zip"
    with ArchiveWriter(out, password=PASSWORD, split_bytes=2048) as writer:
        for table, rows in data.items():
            writer.write_table(table, rows)
    with read_export(out, password=PASSWORD) as export:
        got: dict[str, list[Any]] = {name: [] for name in TABLES}
        for record in export.iter_records():
            got[record.table].append(_exact(record.data))
    assert got == {table: [_decoded(table, r) for r in rows] for table, rows in data.items()}
    report = validate(out, Options(password=PASSWORD))
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == [] and report.errors == 0
