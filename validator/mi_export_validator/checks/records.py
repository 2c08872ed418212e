"""Per-record checks: the compiled field rules of each table, and its duplicate key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mi_export.findings import Finding, shown_value
from mi_export.jsonscan import RawRecord
from mi_export.limits import Limits
from mi_export.tables import TABLES, Table
from mi_export_validator.checks.fastpath import Predicate, predicates
from mi_export_validator.checks.fields import FieldCompiler, Problems, as_integer

RECORD_DEPTH = 3
KeyFunction = Callable[[dict[str, Any]], str | None]


class RecordChecker:
    """Checks records of known tables; built once per validation run."""

    def __init__(self, limits: Limits, show_values: bool, fast: bool = True) -> None:
        compiler = FieldCompiler(limits)
        self.show_values = show_values
        #: compiled predicates (.fastpath): a record they pass has no finding at all
        self._clean: dict[str, Predicate] = (
            predicates(limits) if fast else dict.fromkeys(TABLES, _never_clean)
        )
        self._shapes: dict[str, Callable[[dict[str, Any]], Problems]] = {
            name: compiler.shape(None, RECORD_DEPTH, table.fields) for name, table in TABLES.items()
        }
        self._keys: dict[str, KeyFunction] = {
            name: _key_function(table) for name, table in TABLES.items() if table.key
        }

    def check(self, record: RawRecord, file: str) -> list[Finding] | None:
        """Findings of one record of a known table; None when it has none."""
        value = record.value
        if type(value) is not dict:
            return [
                Finding.make(
                    "record.type",
                    "record must be a JSON object",
                    file=file,
                    table=record.table,
                    index=record.index,
                    pointer=record.pointer,
                )
            ]
        if self._clean[record.table](value):
            return None  # the fast path: no problem list, no finding built
        problems = self._shapes[record.table](value)
        if not problems:
            return None
        show = self.show_values
        return [
            Finding.make(
                code,
                message,
                file=file,
                table=record.table,
                index=record.index,
                pointer=record.pointer + where,
                value=shown_value(shown) if show and shown is not None else None,
            )
            for code, message, where, shown in problems
        ]

    def key_of(self, table: str, value: Any) -> str | None:
        """The duplicate-detection key of a record, or None (no rule, or key unusable)."""
        key_function = self._keys.get(table)
        if key_function is None or type(value) is not dict:
            return None
        return key_function(value)


def _never_clean(record: dict[str, Any]) -> bool:
    return False


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
