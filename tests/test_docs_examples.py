"""The Python of the docs is real: examples are shown, run, and inline blocks execute.

The example programs in ``docs/examples/`` are included into pages with the snippets
extension and run by a console command of a page (``tests/test_docs_commands.py`` runs
those); inline ``python`` blocks of the hand-written pages are executed here.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "docs"))

from docgen.blocks import console_commands, python_blocks, snippet_targets  # noqa: E402

DOCS = ROOT / "docs"
GENERATED = ("reference/", "snippets/")
PAGES = sorted(
    p for p in DOCS.rglob("*.md") if not p.relative_to(DOCS).as_posix().startswith(GENERATED)
)
EXAMPLES = sorted((DOCS / "examples").glob("*.py"))
BLOCKS = [(page, line, body) for page in PAGES for line, body in python_blocks(page)]


def test_there_are_examples() -> None:
    assert {"read_records.py", "write_archive.py", "validate_archive.py"} <= {
        p.name for p in EXAMPLES
    }


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_is_shown_and_run(example: Path) -> None:
    rel = example.relative_to(ROOT).as_posix()
    shown = [p for p in PAGES if rel in snippet_targets(p)]
    run = [
        c for p in PAGES for c in console_commands(p, ROOT) if c.text.split()[:2] == ["python", rel]
    ]
    assert shown, f'{rel} is not included in any page (--8<-- "{rel}")'
    assert run, f"no page runs {rel} in a console block ($ python {rel})"


def test_snippet_targets_exist() -> None:
    for page in PAGES:
        for target in snippet_targets(page):
            assert (ROOT / target).is_file(), f"{page.name} includes missing {target}"


@pytest.mark.parametrize(
    ("page", "line", "body"),
    BLOCKS,
    ids=[f"{p.relative_to(DOCS).as_posix()}:{line}" for p, line, _ in BLOCKS],
)
def test_inline_python_runs(
    page: Path, line: int, body: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    monkeypatch.chdir(tmp_path)
    for name in [k for k in os.environ if k.startswith("MI_EXPORT_")]:
        monkeypatch.delenv(name)
    code = compile(body, f"{page.relative_to(ROOT)}:{line}", "exec")
    exec(code, {"__name__": "__docs__"})
