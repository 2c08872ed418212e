"""Write the published JSON Schemas and the generated models from the table definitions.

Usage::

    python scripts/generate_schemas.py           # write schemas/*.json, schemas/README.md
                                                 # and sdk/mi_export/models/_generated.py
    python scripts/generate_schemas.py --check   # exit 1 and list the stale files

The single source is ``sdk/mi_export/tables/definitions.py``; ``tests/test_schema_drift.py``
fails when the committed files differ from what this script writes.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from mi_export.models._codegen import render_models
from mi_export.schema import DEFS_FILE, dump_schema, schema_documents, schema_id
from mi_export.tables import TABLES
from mi_export_validator.report_schema import report_schema

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generator_cli import generator_main  # a sibling script module (after the path)

ROOT = Path(__file__).resolve().parent.parent
COMMAND = "python scripts/generate_schemas.py"


def render_readme(documents: dict[str, dict[str, Any]]) -> str:
    """The ``schemas/README.md`` text: what the files are, their ``$id``s, how to regenerate."""
    lines = [
        "# mi-export format v1: JSON Schemas",
        "",
        "JSON Schema (draft 2020-12) documents of the records of each table of a Xiaomi Cloud",
        "data-portability archive (format v1), plus one document of shared",
        "definitions (ids, times, sizes and the content shapes) that the table documents",
        "reference with relative `$ref`s. Each has a stable `$id`, a `title`, a `description`",
        "and a `version`. Unknown fields are allowed (the validator warns `field.unknown`).",
        "",
        "Content fields accept an object or a string holding it as JSON (`contentSchema`).",
        "Standard validators treat `contentSchema` as an annotation only; `mi_export.schema`",
        "validates the decoded string too, so both forms are checked identically.",
        "",
        "Generated from `sdk/mi_export/tables/definitions.py` by",
        f"`{COMMAND}`; do not edit. A test fails when these files drift from",
        "the definitions. At run time the SDK builds the same documents from the definitions",
        "(`mi_export.schema.schema_documents()`); `mi-export schema show TABLE` prints them.",
        "",
        "| file | table | `$id` |",
        "|---|---|---|",
    ]
    for name in documents:
        table = "(shared definitions)" if name == DEFS_FILE else name.split(".")[0]
        if table in TABLES and TABLES[table].metadata:
            table += " (metadata)"
        lines.append(f"| `{name}` | {table} | `{schema_id(name)}` |")
    report_id = report_schema()["$id"]
    lines.append(
        f"| `report.schema.json` | (the `validate --format json` report) | `{report_id}` |"
    )
    return "\n".join(lines) + "\n"


def expected_files() -> dict[Path, str]:
    """Every generated file (path relative to the repository root) with its content."""
    documents = schema_documents()
    files = {Path("schemas") / name: dump_schema(doc) for name, doc in documents.items()}
    files[Path("schemas/report.schema.json")] = dump_schema(report_schema())
    files[Path("schemas/README.md")] = render_readme(documents)
    files[Path("sdk/mi_export/models/_generated.py")] = render_models()
    return files


def stale_files(root: Path = ROOT) -> list[Path]:
    """The generated files that are missing or differ from the generator's output."""
    stale = []
    for path, text in expected_files().items():
        target = root / path
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            stale.append(path)
    return stale


def write_files(root: Path = ROOT) -> list[Path]:
    """Write the files that changed; returns their paths."""
    changed = stale_files(root)
    files = expected_files()
    for path in changed:
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8", newline="\n")
    return changed


def main(argv: list[str] | None = None) -> int:
    """Run the generator; returns the exit code."""
    return generator_main(argv, __doc__.splitlines()[0], stale_files, write_files, COMMAND)


if __name__ == "__main__":
    sys.exit(main())
