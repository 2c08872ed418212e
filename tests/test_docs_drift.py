"""The generated reference pages match the code; the site's nav lists every page."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "docs"))

from docgen import expected_files, stale_files  # noqa: E402
from docgen.common import COMMAND  # noqa: E402

from mi_export.codes import CODES  # noqa: E402
from mi_export.tables import TABLES  # noqa: E402

DOCS = ROOT / "docs"


def test_generated_docs_are_fresh() -> None:
    stale = [p.relative_to(ROOT).as_posix() for p in stale_files()]
    assert not stale, f"generated docs are stale: {stale}; run `{COMMAND}` and commit"


def test_every_table_and_code_is_documented() -> None:
    files = expected_files()
    for name in TABLES:
        assert DOCS / "reference" / "tables" / f"{name}.md" in files
    codes_page = files[DOCS / "reference" / "codes.md"].decode()
    for code in CODES:
        assert f"{{#{code}}}" in codes_page


def _nav_pages(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [page for item in node for page in _nav_pages(item)]
    if isinstance(node, dict):
        return [page for value in node.values() for page in _nav_pages(value)]
    return []


def test_nav_lists_every_page() -> None:
    yaml = pytest.importorskip("yaml")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = set(_nav_pages(config["nav"]))
    pages = {
        p.relative_to(DOCS).as_posix()
        for p in DOCS.rglob("*.md")
        if not p.relative_to(DOCS).as_posix().startswith("snippets/")
    }
    assert pages - nav == set(), "pages missing from the nav in mkdocs.yml"
    assert nav - pages == set(), "nav entries without a page"
