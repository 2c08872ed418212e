"""Generator of the docs' reference pages (run it with ``python scripts/generate_docs.py``).

:func:`expected_files` renders every generated file from the code (table definitions,
finding catalogue, click commands, limits, writer) and the published ``schemas/``;
:func:`stale_files` compares them with the tree. The generator owns the files it
renders, every file under :data:`OWNED_DIRS`, and the block of ``mkdocs.yml`` between
the table-pages markers.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from docgen.cli import render_cli_page
from docgen.codes import render_codes_page
from docgen.common import DOCS, ROOT
from docgen.fields import render_types_page
from docgen.manifest import render_manifest_page
from docgen.rules import limits_snippet, render_archive_page, render_versioning_page
from docgen.tables import (
    render_non_exportable_page,
    render_shapes_page,
    render_table_page,
    render_tables_index,
)
from mi_export.tables import TABLES

SCHEMAS = ROOT / "schemas"
MKDOCS = ROOT / "mkdocs.yml"
#: Directories whose every file is generated (a file found there that the generator
#: does not write is stale).
OWNED_DIRS = (DOCS / "reference" / "tables", DOCS / "schemas")
NAV_BEGIN = "# BEGIN generated: table pages"
NAV_END = "# END generated: table pages"

_PAGES: dict[str, Callable[[], str]] = {
    "reference/tables/index.md": render_tables_index,
    "reference/types.md": render_types_page,
    "reference/shapes.md": render_shapes_page,
    "reference/manifest.md": render_manifest_page,
    "reference/archive.md": render_archive_page,
    "reference/non-exportable.md": render_non_exportable_page,
    "reference/versioning.md": render_versioning_page,
    "reference/codes.md": render_codes_page,
    "reference/cli.md": render_cli_page,
    # Included into hand-written pages with the snippets extension; not a page itself.
    "snippets/limits.md": limits_snippet,
}


def _nav_block(mkdocs_text: str) -> str:
    """``mkdocs.yml`` with the table pages listed between the markers, in table order."""
    pattern = re.compile(rf"^( *){re.escape(NAV_BEGIN)}\n.*?^ *{re.escape(NAV_END)}\n",
                         re.MULTILINE | re.DOTALL)
    match = pattern.search(mkdocs_text)
    if match is None:
        raise ValueError(f"mkdocs.yml lacks the lines {NAV_BEGIN!r} ... {NAV_END!r}")
    indent = match.group(1)
    lines = [f"{indent}{NAV_BEGIN}\n"]
    lines += [f"{indent}- reference/tables/{name}.md\n" for name in TABLES]
    lines.append(f"{indent}{NAV_END}\n")
    return mkdocs_text[: match.start()] + "".join(lines) + mkdocs_text[match.end():]


def expected_files() -> dict[Path, bytes]:
    """Every generated file (absolute path) with its exact content."""
    files: dict[Path, bytes] = {}
    for rel, render in _PAGES.items():
        files[DOCS / rel] = render().encode("utf-8")
    for name, tbl in TABLES.items():
        files[DOCS / "reference" / "tables" / f"{name}.md"] = render_table_page(tbl).encode()
    for schema in sorted(SCHEMAS.glob("*.schema.json")):
        files[DOCS / "schemas" / schema.name] = schema.read_bytes()
    files[MKDOCS] = _nav_block(MKDOCS.read_text(encoding="utf-8")).encode("utf-8")
    return files


def _leftovers(expected: dict[Path, bytes]) -> list[Path]:
    """Files in the owned directories that the generator no longer writes."""
    found = [p for d in OWNED_DIRS if d.is_dir() for p in d.rglob("*") if p.is_file()]
    return sorted(p for p in found if p not in expected)


def stale_files() -> list[Path]:
    """Generated files that are missing, differ, or should no longer exist."""
    expected = expected_files()
    stale = [p for p, data in expected.items() if not p.is_file() or p.read_bytes() != data]
    return sorted(stale + _leftovers(expected))


def write_files() -> list[Path]:
    """Write every generated file and delete leftovers; returns the paths changed."""
    expected = expected_files()
    changed = []
    for path, data in expected.items():
        if not path.is_file() or path.read_bytes() != data:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            changed.append(path)
    for path in _leftovers(expected):
        path.unlink()
        changed.append(path)
    return changed
