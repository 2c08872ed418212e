"""mi_export: read, write and describe Xiaomi Cloud data-portability archives.

The public API is re-exported here and loaded lazily, so ``import mi_export`` is cheap
(the CLI's start-up time depends on it)::

    from mi_export import read_export, ArchiveWriter, TABLES
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "TABLES": "mi_export.tables",
    "SHAPES": "mi_export.tables",
    "NON_EXPORTABLE": "mi_export.tables",
    "CODES": "mi_export.codes",
    "Finding": "mi_export.findings",
    "Location": "mi_export.findings",
    "Limits": "mi_export.limits",
    "DEFAULT_LIMITS": "mi_export.limits",
    "MiExportError": "mi_export.errors",
    "ArchiveError": "mi_export.errors",
    "PasswordError": "mi_export.errors",
    "MemberError": "mi_export.errors",
    "DataError": "mi_export.errors",
    "RecordValidationError": "mi_export.errors",
    "WriterError": "mi_export.errors",
    "open_archive": "mi_export.archive",
    "Archive": "mi_export.archive",
    "read_export": "mi_export.reader",
    "ExportReader": "mi_export.reader",
    "Record": "mi_export.reader",
    "ArchiveWriter": "mi_export.writer",
    "Manifest": "mi_export.manifest",
    "parse_manifest": "mi_export.manifest",
    "MODELS": "mi_export.models",
    "table_schema": "mi_export.schema",
    "schema_documents": "mi_export.schema",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:
    from mi_export.archive import Archive, open_archive
    from mi_export.codes import CODES
    from mi_export.errors import (
        ArchiveError,
        DataError,
        MemberError,
        MiExportError,
        PasswordError,
        RecordValidationError,
        WriterError,
    )
    from mi_export.findings import Finding, Location
    from mi_export.limits import DEFAULT_LIMITS, Limits
    from mi_export.manifest import Manifest, parse_manifest
    from mi_export.models import MODELS
    from mi_export.reader import ExportReader, Record, read_export
    from mi_export.schema import schema_documents, table_schema
    from mi_export.tables import NON_EXPORTABLE, SHAPES, TABLES
    from mi_export.writer import ArchiveWriter


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mi_export' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
