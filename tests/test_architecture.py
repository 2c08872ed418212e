"""Architecture rules: dependency direction, the catalogue, the curated API."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import mi_export
from mi_export.codes import CODES, FATAL_CODES

ROOT = Path(__file__).resolve().parents[1]
CODE_LIKE = (
    "archive.",
    "json.",
    "table.",
    "record.",
    "field.",
    "content.",
    "id.",
    "time.",
    "text.",
    "manifest.",
)


def _string_constants(folder: Path) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_sdk_never_loads_click_or_the_validator() -> None:
    code = (
        "import sys, mi_export, mi_export.reader, mi_export.writer, mi_export.archive; "
        "import mi_export.jsonscan, mi_export.models, mi_export.schema; "
        "bad = [m for m in sys.modules if m == 'click' or m.startswith('mi_export_validator')];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sdk_sources_do_not_print_or_exit() -> None:
    for path in (ROOT / "sdk").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("print", "exit"), f"{path}:{node.lineno}"


def test_every_code_used_is_in_the_catalogue() -> None:
    used = {
        s
        for s in _string_constants(ROOT / "sdk") | _string_constants(ROOT / "validator")
        if s.startswith(CODE_LIKE)
        and s.count(".") == 1
        and " " not in s
        and not s.endswith((".json", ".py", ".sig", "."))
    }
    assert len(used) > 40, sorted(used)
    missing = sorted(used - set(CODES))
    assert missing == [], f"codes used but not in mi_export.codes.CODES: {missing}"


def test_catalogue_covers_the_format_and_is_consistent() -> None:
    for code in (
        "archive.integrity",
        "json.truncated",
        "id.duplicate",
        "text.mojibake",
        "manifest.signature-invalid",
        "table.non-exportable",
        "time.seconds",
    ):
        assert code in CODES
    assert set(CODES) >= FATAL_CODES
    assert all(CODES[c].severity == "error" for c in FATAL_CODES)
    assert CODES["archive.unexpected-file"].severity == "info"
    assert CODES["json.bom"].severity == "warning"


def test_public_api_is_curated_and_importable() -> None:
    for name in mi_export.__all__:
        assert getattr(mi_export, name) is not None, name


def test_top_level_help_is_fast_and_its_summaries_are_the_commands_own() -> None:
    import click

    from mi_export_validator.cli import COMMANDS, SUMMARIES, cli

    ctx = click.Context(cli)
    assert set(SUMMARIES) == set(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        assert SUMMARIES[name] == command.get_short_help_str(200), name
    code = (
        "import sys, runpy; sys.argv = ['mi-export', '--help']\n"
        "try:\n    runpy.run_module('mi_export_validator', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = [m for m in ('pydantic', 'pyzipper', 'cryptography') if m in sys.modules]\n"
        "sys.stdout.write(repr(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.endswith("[]"), result.stdout[-200:] + result.stderr
