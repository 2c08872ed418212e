"""JSON Schemas (draft 2020-12) of format v1, derived from the table definitions.

The documents are built from :data:`mi_export.tables.TABLES` at run time, never read from
the repository's ``schemas/`` folder (which holds the same documents, published and
drift-tested). Each has a stable ``$id`` under :data:`BASE_URI`, a ``title``, a
``description`` and a ``version``.

Example:
    >>> from mi_export.schema import schema_validator
    >>> schema_validator("sms").is_valid({"id": "1"})
    False
"""

from __future__ import annotations

import copy
import json
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from mi_export.schema._documents import (
    BASE_URI,
    DEFS_FILE,
    build_definitions,
    build_table,
    file_name,
    schema_id,
)
from mi_export.tables import TABLES

if TYPE_CHECKING:
    from referencing import Registry

    from mi_export.schema._validator import MiExportValidator

__all__ = [
    "BASE_URI",
    "DEFS_FILE",
    "MiExportValidator",
    "definitions_schema",
    "dump_schema",
    "schema_documents",
    "schema_id",
    "schema_registry",
    "schema_validator",
    "table_schema",
]


@cache
def _documents() -> MappingProxyType[str, dict[str, Any]]:
    docs = {DEFS_FILE: build_definitions()}
    docs.update({file_name(name): build_table(table) for name, table in TABLES.items()})
    return MappingProxyType(docs)


def _unknown(name: str) -> KeyError:
    return KeyError(f"unknown table {name!r}; known tables: {', '.join(TABLES)}")


def table_schema(name: str) -> dict[str, Any]:
    """The JSON Schema document of one table's records.

    Args:
        name: A table name of format v1, e.g. ``"sms"``.

    Returns:
        A fresh copy of the document (changing it changes nothing else).

    Raises:
        KeyError: ``name`` is not a table of format v1.
    """
    if name not in TABLES:
        raise _unknown(name)
    return copy.deepcopy(_documents()[file_name(name)])


def definitions_schema() -> dict[str, Any]:
    """The shared-definitions document (``defs.schema.json``), as a fresh copy."""
    return copy.deepcopy(_documents()[DEFS_FILE])


def schema_documents() -> dict[str, dict[str, Any]]:
    """Every schema document, by file name (``defs.schema.json``, ``sms.schema.json``...).

    Returns:
        Fresh copies, shared definitions first, then the tables in definition order.
    """
    return copy.deepcopy(dict(_documents()))


def dump_schema(document: dict[str, Any]) -> str:
    """A schema document as published: JSON, indent 2, sorted keys, final newline.

    Non-ASCII text is kept as is; encode the result as UTF-8.
    """
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def __getattr__(name: str) -> Any:
    # jsonschema and referencing load only when a validator is asked for: the models and
    # the documents do not need them
    if name == "MiExportValidator":
        from mi_export.schema import _validator

        return _validator.MiExportValidator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def schema_registry() -> Registry[Any]:
    """A :class:`referencing.Registry` holding every document under its ``$id``.

    Cross-document ``$ref``s resolve offline through it.
    """
    from mi_export.schema._validator import build_registry

    return build_registry(_documents())


@cache
def schema_validator(table: str) -> Any:
    """The validator of one table's records, built once and cached.

    It is a jsonschema draft 2020-12 validator (:data:`MiExportValidator`) that also
    enforces ``contentSchema`` on JSON-string content, so that both content forms
    validate identically, and treats integral decimals as integers.

    Args:
        table: A table name of format v1.

    Returns:
        A validator object (``is_valid``, ``iter_errors``, ``validate``).

    Raises:
        KeyError: ``table`` is not a table of format v1.
    """
    if table not in TABLES:
        raise _unknown(table)
    from mi_export.schema._validator import MiExportValidator

    return MiExportValidator(_documents()[file_name(table)], registry=schema_registry())
