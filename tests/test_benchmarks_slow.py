"""Issue 5's memory target, measured: ``mi-export validate`` on 100 MB, 1 GB and 10 GB.

Peak RSS (whole process) under 100 MB and flat within 10 % between sizes, for a valid
archive and one where every record fails. Runs ``benchmarks/run.py --only validate``;
the archives are generated once into the harness's work directory and reused (the
first run needs about 30 GB of disk and two hours; later runs about 20 minutes).

    python -m pytest -m slow tests/test_benchmarks_slow.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from targets import FLAT_PERCENT, PEAK_RSS_MB, spread_percent  # noqa: E402

SIZES = (100, 1000, 10000)
WORK = os.environ.get("MI_EXPORT_BENCH_WORK", "/tmp/mi-export-bench")

pytestmark = [pytest.mark.slow, pytest.mark.timeout(6 * 3600)]


@pytest.fixture(scope="module")
def peaks(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], float]:
    out = tmp_path_factory.mktemp("bench")
    command = [
        sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", ",".join(map(str, SIZES)),
        "--repeats", "1", "--only", "validate", "--out", str(out), "--work", WORK,
    ]  # fmt: skip
    subprocess.run(command, cwd=ROOT, check=True)
    rows = json.loads((out / "results.json").read_text(encoding="utf-8"))["rows"]
    found = {(r["variant"], r["size_mb"]): r["peak_rss_mb"] for r in rows}
    print((out / "results.md").read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("variant", ["valid", "invalid"])
def test_peak_rss_under_limit(peaks: dict[tuple[str, int], float], variant: str) -> None:
    figures = {size: round(peaks[variant, size], 1) for size in SIZES}
    assert max(figures.values()) < PEAK_RSS_MB, f"{variant}: peak RSS MB by size {figures}"


@pytest.mark.parametrize("variant", ["valid", "invalid"])
def test_peak_rss_flat(peaks: dict[tuple[str, int], float], variant: str) -> None:
    figures = {size: round(peaks[variant, size], 1) for size in SIZES}
    spread = spread_percent(list(figures.values()))
    assert spread <= FLAT_PERCENT, f"{variant}: {spread:.1f} % spread, peak RSS MB {figures}"
