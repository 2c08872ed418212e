"""Validate one record against its table's model and report problems as findings."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from mi_export.codes import CODES
from mi_export.errors import RecordValidationError
from mi_export.findings import Finding
from mi_export.models._base import Record
from mi_export.models._generated import MODELS
from mi_export.tables import TABLES

#: pydantic's own error types that can still occur, with the finding code they mean.
_PYDANTIC_CODES = {"missing": "field.required"}
_PYDANTIC_MESSAGES = {"missing": "required field is missing"}


def model_for(table: str) -> type[Record]:
    """The record model of ``table`` (KeyError with the known tables otherwise)."""
    try:
        return MODELS[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; known tables: {', '.join(TABLES)}") from None


def json_pointer(location: tuple[int | str, ...]) -> str:
    """An RFC 6901 JSON pointer from a pydantic error location (``""`` for the root)."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in location)
    return "".join("/" + part for part in parts)


def _finding(table: str, error: ErrorDetails) -> Finding:
    kind = error["type"]
    code = kind if kind in CODES else _PYDANTIC_CODES.get(kind, "field.type")
    message = _PYDANTIC_MESSAGES.get(kind, error["msg"])
    return Finding.make(code, message, table=table, pointer=json_pointer(error["loc"]))


def _findings(table: str, exc: ValidationError) -> list[Finding]:
    return [_finding(table, error) for error in exc.errors(include_url=False, include_input=False)]


def parse_record(table: str, data: Any) -> Record:
    """Validate ``data`` as a record of ``table`` and return its model.

    Ids given as integers come out as digit strings, ``5000.0`` as ``5000``, an integer
    ``folder`` as ``"0"``/``"1"``, and JSON-string content as its shape model (or a dict
    for "any object" content).

    Args:
        table: A table name of format v1.
        data: The record, as decoded from JSON (dicts, lists, str, int, float, Decimal...).

    Returns:
        The record model (an instance of ``MODELS[table]``).

    Raises:
        KeyError: ``table`` is not a table of format v1.
        RecordValidationError: The record is invalid; its ``findings`` have the code,
            message and a ``pointer`` relative to the record (``/content/body``).
    """
    model = model_for(table)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RecordValidationError(table, _findings(table, exc)) from None


def record_findings(table: str, data: Any) -> list[Finding]:
    """The problems of a record as findings (empty when it is valid).

    Pointers are relative to the record; set the file, index and full pointer with
    :meth:`~mi_export.findings.Finding.located` or ``dataclasses.replace``.

    Raises:
        KeyError: ``table`` is not a table of format v1.
    """
    try:
        model_for(table).model_validate(data)
    except ValidationError as exc:
        return _findings(table, exc)
    return []


def record_errors(table: str, data: Any) -> list[tuple[str, str]]:
    """The problems of a record as ``(pointer, message)`` pairs (empty when it is valid).

    Raises:
        KeyError: ``table`` is not a table of format v1.
    """
    return [(f.pointer or "", f.message) for f in record_findings(table, data)]
