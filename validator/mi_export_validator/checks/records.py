"""Per-record checks: the compiled field rules of each table, and its duplicate key."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from mi_export.findings import Finding, shown_value
from mi_export.jsonscan import RawRecord
from mi_export.limits import Limits
from mi_export.tables import TABLES, Table
from mi_export_validator.checks.fields import FieldCompiler, Problems, as_integer

RECORD_DEPTH = 3
KeyFunction = Callable[[dict[str, Any]], str | None]


class RecordChecker:
    """Checks records of known tables; built once per validation run."""

    def __init__(self, limits: Limits, show_values: bool) -> None:
        compiler = FieldCompiler(limits)
        self.show_values = show_values
        self._shapes: dict[str, Callable[[dict[str, Any]], Problems]] = {
            name: compiler.shape(None, RECORD_DEPTH, table.fields) for name, table in TABLES.items()
        }
        self._keys: dict[str, KeyFunction] = {
            name: _key_function(table) for name, table in TABLES.items() if table.key
        }

    def check(self, record: RawRecord, file: str) -> Iterator[Finding]:
        """Findings of one record of a known table."""
        value = record.value
        if type(value) is not dict:
            yield Finding.make(
                "record.type",
                "record must be a JSON object",
                file=file,
                table=record.table,
                index=record.index,
                pointer=record.pointer,
            )
            return
        problems = self._shapes[record.table](value)
        if problems:
            for code, message, where, shown in problems:
                yield Finding.make(
                    code,
                    message,
                    file=file,
                    table=record.table,
                    index=record.index,
                    pointer=record.pointer + where,
                    value=shown_value(shown) if self.show_values and shown is not None else None,
                )

    def key_of(self, table: str, value: Any) -> str | None:
        """The duplicate-detection key of a record, or None (no rule, or key unusable)."""
        key_function = self._keys.get(table)
        if key_function is None or type(value) is not dict:
            return None
        return key_function(value)


def _key_part(value: Any) -> str | None:
    if type(value) is str:
        return value
    number = as_integer(value) if type(value) is not bool else None
    return None if number is None else str(number)


def _key_function(table: Table) -> KeyFunction:
    if table.key == ("id",):

        def single(record: dict[str, Any]) -> str | None:
            return _key_part(record.get("id"))

        return single
    names = table.key

    def composite(record: dict[str, Any]) -> str | None:
        parts = [_key_part(record.get(name)) for name in names]
        if any(part is None for part in parts):
            return None
        return "\x1f".join(parts)  # type: ignore[arg-type]

    return composite
