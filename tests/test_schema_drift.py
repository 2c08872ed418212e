"""The committed schemas/ files and generated models match what the generator writes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_generator() -> ModuleType:
    path = ROOT / "scripts" / "generate_schemas.py"
    spec = importlib.util.spec_from_file_location("generate_schemas", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_files_match_the_definitions() -> None:
    generator = load_generator()
    stale = [path.as_posix() for path in generator.stale_files(ROOT)]
    assert not stale, (
        f"generated files are stale: {', '.join(stale)}; "
        f"regenerate them with `{generator.COMMAND}` and commit the result"
    )


def test_generator_reports_a_changed_file(tmp_path: Path) -> None:
    generator = load_generator()
    assert {p.as_posix() for p in generator.write_files(tmp_path)} >= {"schemas/sms.schema.json"}
    assert generator.stale_files(tmp_path) == []
    (tmp_path / "schemas" / "sms.schema.json").write_text("{}\n", encoding="utf-8")
    assert [p.as_posix() for p in generator.stale_files(tmp_path)] == ["schemas/sms.schema.json"]
