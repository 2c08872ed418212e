"""The JSON Schema of the ``--format json`` report (FORMAT.md §6), published in schemas/."""

from __future__ import annotations

from typing import Any

from mi_export.codes import CODES

REPORT_SCHEMA_ID = "https://mi-export.org/schemas/v1/report.schema.json"

_LOCATION = {
    "file": {"type": "string"},
    "table": {"type": "string"},
    "index": {"type": "integer", "minimum": 0},
    "pointer": {"type": "string"},
}
_COUNT = {"type": "integer", "minimum": 0}


def report_schema() -> dict[str, Any]:
    """The report's JSON Schema (draft 2020-12)."""
    finding = {
        "type": "object",
        "required": ["code", "severity", "message"],
        "additionalProperties": False,
        "properties": {
            "code": {"enum": sorted(CODES)},
            "severity": {"enum": ["error", "warning", "info"]},
            "message": {"type": "string"},
            **_LOCATION,
            "offset": {"type": "integer", "minimum": 0},
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "related": {
                "type": "array",
                "items": {"type": "object", "additionalProperties": False, "properties": _LOCATION},
            },
            "value": {"type": "string"},
        },
    }
    table = {
        "type": "object",
        "required": ["name", "files", "records", "errors", "warnings", "infos"],
        "properties": {
            "name": {"type": "string"},
            "files": {"type": "array", "items": {"type": "string"}},
            "records": _COUNT,
            "errors": _COUNT,
            "warnings": _COUNT,
            "infos": _COUNT,
        },
    }
    encryption = {"enum": ["aes-256", "aes-192", "aes-128", "zipcrypto", "mixed", "none"]}
    archive = {
        "type": "object",
        "required": ["path", "files"],
        "properties": {
            "path": {"type": "string"},
            "kind": {"enum": ["zip", "json", "directory"]},
            "encryption": encryption,
            "bytes": _COUNT,
            "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "files": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["path", "encryption", "bytes"],
                    "properties": {
                        "path": {"type": "string"},
                        "encryption": encryption,
                        "bytes": _COUNT,
                    },
                },
            },
        },
    }
    stats = {
        "type": "object",
        "required": ["errors", "warnings", "infos", "tables", "records", "omitted", "seconds"],
        "properties": {
            **{k: _COUNT for k in ("errors", "warnings", "infos", "tables", "records", "omitted")},
            "seconds": {"type": "number", "minimum": 0},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": REPORT_SCHEMA_ID,
        "title": "mi-export validation report",
        "description": "What `mi-export validate --format json` prints for one archive.",
        "version": "1.0",
        "type": "object",
        "required": ["tool", "archive", "valid", "stats", "tables", "findings", "truncated"],
        "properties": {
            "tool": {"type": "object", "required": ["name", "version"]},
            "archive": archive,
            "valid": {"type": "boolean"},
            "stats": stats,
            "tables": {"type": "array", "items": table},
            "findings": {"type": "array", "items": finding},
            "truncated": {"type": "boolean"},
        },
    }
