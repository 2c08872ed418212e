"""The benchmark harness runs end to end on a tiny archive, so that it does not rot.

``benchmarks/run.py`` at 1 MB, one repeat, without check-jsonschema (not a dependency):
every measurement and target is there, with every column, in both output files.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from results import RATIO_COLUMNS, RATIO_HEADINGS, ROW_COLUMNS, ROW_HEADINGS  # noqa: E402
from targets import spread_percent  # noqa: E402

MEASURES = {
    ("valid", "read-sdk"),
    ("valid", "read-pyzipper"),
    ("valid", "validate"),
    ("valid", "write-sdk"),
    ("valid", "write-pyzipper"),
    ("invalid", "read-sdk"),
    ("invalid", "read-pyzipper"),
    ("invalid", "validate"),
    ("—", "startup: mi-export --help"),
    ("sample", "startup: validate tiny archive"),
}
TARGETS = {
    "validate ÷ raw AES read (MB/s)",
    "validate peak RSS (MB)",
    "SDK writer ÷ pyzipper write (MB/s)",
    "mi-export --help (s)",
    "validate tiny archive (s)",
}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "1", "--repeats", "1",
        "--startup-repeats", "2", "--skip-check-jsonschema",
        "--out", str(out / "results"), "--work", str(out / "work"),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=110, check=False
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return out / "results"


@pytest.mark.timeout(120)
def test_json_has_every_measurement_and_column(results: Path) -> None:
    data = json.loads((results / "results.json").read_text(encoding="utf-8"))
    assert {(r["variant"], r["measure"]) for r in data["rows"]} == MEASURES
    for row in data["rows"]:
        assert set(ROW_COLUMNS) <= set(row), row
        assert row["seconds"] > 0 and row["peak_rss_mb"] > 0
    sized = [r for r in data["rows"] if r["size_mb"] == 1]
    assert all(r["mb_per_s"] > 0 for r in sized)
    assert {r["target"] for r in data["ratios"]} == TARGETS
    assert all(set(RATIO_COLUMNS) <= set(t) for t in data["ratios"])
    machine = data["machine"]
    for key in ("cpu", "cores", "python", "date", "commit", "load_average_start"):
        assert machine[key], key


@pytest.mark.timeout(120)
def test_markdown_has_every_column(results: Path) -> None:
    text = (results / "results.md").read_text(encoding="utf-8")
    assert "| " + " | ".join(ROW_HEADINGS.values()) + " |" in text
    assert "| " + " | ".join(RATIO_HEADINGS.values()) + " |" in text
    for _variant, measure in MEASURES:
        assert f"| {measure} |" in text
    assert "check-jsonschema" not in text.split("## Measurements")[1].split("## Notes")[0]
    assert "CPU:" in text and "load average" in text


def test_spread() -> None:
    assert spread_percent([50.0, 55.0]) == pytest.approx(10.0)
    assert spread_percent([60.0]) == 0.0
