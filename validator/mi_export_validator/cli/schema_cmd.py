"""``mi-export schema``: list, print and export the JSON Schemas of format v1.

The documents come from :mod:`mi_export.schema`, built from the table definitions: the
same text as the published ``schemas/`` files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from mi_export.schema import (
    DEFS_FILE,
    definitions_schema,
    dump_schema,
    schema_documents,
    schema_id,
    table_schema,
)
from mi_export.tables import TABLES
from mi_export_validator.report_schema import report_schema

#: The name that ``schema show`` accepts for the shared-definitions document.
DEFS_NAME = "defs"
#: The name of the validation report's schema (``--format json`` output).
REPORT_NAME = "report"
REPORT_FILE = "report.schema.json"


def all_documents() -> dict[str, dict[str, Any]]:
    """The data schemas and the report schema, by published file name."""
    return {**schema_documents(), REPORT_FILE: report_schema()}


def schema_rows() -> list[dict[str, Any]]:
    """One row per document: tables in definition order, then the shared definitions."""
    rows: list[dict[str, Any]] = []
    for name, table in TABLES.items():
        rows.append(
            {
                "table": name,
                "kind": "metadata" if table.metadata else "service",
                "service": table.service,
                "version": table.schema_version,
                "file": f"{name}.schema.json",
                "id": schema_id(f"{name}.schema.json"),
            }
        )
    defs = definitions_schema()
    rows.append(
        {
            "table": DEFS_NAME,
            "kind": "definitions",
            "service": "",
            "version": defs["version"],
            "file": DEFS_FILE,
            "id": defs["$id"],
        }
    )
    report = report_schema()
    rows.append(
        {
            "table": REPORT_NAME,
            "kind": "report",
            "service": "mi-export validate --format json",
            "version": report["version"],
            "file": REPORT_FILE,
            "id": report["$id"],
        }
    )
    return rows


def _text_table(rows: list[dict[str, Any]]) -> str:
    def described(row: dict[str, Any]) -> str:
        if row["kind"] == "service":
            return str(row["service"])
        return f"({row['kind']}) {row['service']}".rstrip()

    cells = [("TABLE", "SERVICE", "$ID")]
    cells += [(row["table"], described(row), row["id"]) for row in rows]
    widths = [max(len(cell[i]) for cell in cells) for i in range(2)]
    return "\n".join(f"{a.ljust(widths[0])}  {b.ljust(widths[1])}  {c}" for a, b, c in cells)


def _document(name: str) -> dict[str, Any]:
    if name == DEFS_NAME:
        return definitions_schema()
    if name == REPORT_NAME:
        return report_schema()
    if name not in TABLES:
        known = ", ".join([*TABLES, DEFS_NAME, REPORT_NAME])
        raise click.BadParameter(f"unknown table {name!r}; known: {known}", param_hint="TABLE")
    return table_schema(name)


@click.group("schema")
def schema() -> None:
    """List, print and export the JSON Schemas (draft 2020-12) of format v1."""


@schema.command("list")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
def list_schemas(output_format: str) -> int:
    """List the tables with their service and schema $id."""
    rows = schema_rows()
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
    else:
        click.echo(_text_table(rows))
    return 0


@schema.command("show")
@click.argument("table")
def show_schema(table: str) -> int:
    """Print the JSON Schema of TABLE ('defs': shared definitions; 'report': the report)."""
    click.echo(dump_schema(_document(table)), nl=False)
    return 0


@schema.command("export")
@click.argument("directory", type=click.Path(file_okay=False, writable=True, path_type=Path))
def export_schemas(directory: Path) -> int:
    """Write every schema document into DIRECTORY (created if needed).

    Only the files named after the schemas are written, directly in DIRECTORY.
    """
    directory.mkdir(parents=True, exist_ok=True)
    documents = all_documents()
    for name, document in documents.items():
        (directory / name).write_text(dump_schema(document), encoding="utf-8", newline="\n")
    click.echo(f"wrote {len(documents)} schema files to {directory}")
    return 0
