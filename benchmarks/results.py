"""The benchmark's results: machine description, ratios against the targets, outputs.

``results.json`` holds everything (every run's time, the machine, the commit);
``results.md`` is the same as Markdown tables, ready to quote in the docs.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
from collections.abc import Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

#: Keys of every row of ``results.json`` and columns of the measurements table.
ROW_COLUMNS = (
    "size_mb",
    "variant",
    "measure",
    "seconds",
    "mb_per_s",
    "records_per_s",
    "peak_rss_mb",
    "load_average",
    "runs_seconds",
)
#: Keys of every ratio (the issue's targets) and columns of the targets table.
RATIO_COLUMNS = ("size_mb", "variant", "target", "value", "required", "holds")
ROW_HEADINGS = {
    "size_mb": "JSON MB",
    "variant": "archive",
    "measure": "measurement",
    "seconds": "median s",
    "mb_per_s": "MB/s",
    "records_per_s": "records/s",
    "peak_rss_mb": "peak RSS MB",
    "load_average": "load avg",
    "runs_seconds": "runs (s)",
}
RATIO_HEADINGS = {
    "size_mb": "JSON MB",
    "variant": "archive",
    "target": "target",
    "value": "measured",
    "required": "required",
    "holds": "holds",
}
PACKAGES = ("mi-export", "pyzipper", "pydantic", "jsonschema", "check-jsonschema")
ROOT = Path(__file__).resolve().parent.parent


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def _git(*args: str) -> str:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout.strip()


def _changed_files() -> list[str]:
    """Tracked files of the measured code that differ from the commit."""
    names = _git("diff", "--name-only", "HEAD", "--", "sdk", "validator", "benchmarks")
    return sorted(names.splitlines())


def code_state() -> dict[str, Any]:
    """The commit measured, and which of its files had uncommitted changes.

    Outside a git checkout (a snapshot made with ``git archive``), the commit is read
    from a ``.commit`` file at the snapshot's root, if there is one.
    """
    commit = _git("rev-parse", "HEAD")
    if commit:
        # The measured code's own trees: a commit that only touches docs changes nothing.
        trees = _git("rev-parse", "HEAD:sdk", "HEAD:validator").split()
        return {"commit": commit, "dirty": _changed_files(), "trees": trees}
    marker = ROOT / ".commit"
    known = marker.read_text().strip() if marker.is_file() else None
    return {"commit": known, "dirty": [], "trees": []}


def _code_location() -> str:
    """Where the measured ``mi_export`` is imported from (a checkout or a snapshot)."""
    import mi_export

    return str(Path(mi_export.__file__).resolve().parent.parent.parent)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """What ran the benchmark: CPU, cores, memory, Python, OS, commit, versions, load."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gib": _memory_gib(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "os": platform.platform(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        **code_state(),
        "code": _code_location(),
        "versions": {name: _version(name) for name in PACKAGES},
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
        "executable": sys.executable,
    }


def _cell(key: str, value: Any) -> str:
    if value is None:
        return "—"
    if key == "runs_seconds":
        return ", ".join(f"{v:.2f}" for v in value)
    if key == "holds":
        return "yes" if value else "**no**"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def markdown_table(rows: Iterable[dict[str, Any]], headings: dict[str, str]) -> str:
    """A Markdown table of ``rows`` with the columns (keys) and headings given."""
    lines = [
        "| " + " | ".join(headings.values()) + " |",
        "|" + "|".join("---" for _ in headings) + "|",
    ]
    lines += ["| " + " | ".join(_cell(k, row.get(k)) for k in headings) + " |" for row in rows]
    return "\n".join(lines)


def _machine_lines(info: dict[str, Any]) -> list[str]:
    commit = (info["commit"] or "unknown")[:12]
    if info["dirty"]:
        commit += " plus uncommitted changes to " + ", ".join(info["dirty"])
    end = info.get("end") or {}
    if end and end["commit"] != info["commit"]:
        same = (end["trees"], end["dirty"]) == (info.get("trees"), info["dirty"])
        commit += f" at the start; {(end['commit'] or 'unknown')[:12]} at the end"
        commit += (
            " (sdk/ and validator/ unchanged)" if same else " (the code changed during the run)"
        )
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v)
    return [
        f"- CPU: {info['cpu']}, {info['cores']} cores, {info['memory_gib']} GiB memory",
        f"- Python {info['python']} ({info['implementation']}), {info['os']}",
        f"- commit {commit}; {versions}",
        f"- started {info['date']}, took {info['duration_seconds']:.0f} s; load average "
        f"{info['load_average_start']} at the start, {info['load_average_end']} at the end",
    ]


def render_markdown(results: dict[str, Any]) -> str:
    """``results.md``: the machine, the targets, then every measurement."""
    parts = [
        "# mi-export benchmark results",
        "",
        f"Command: `{results['command']}` (medians of {results['repeats']} runs, "
        "each a whole process; MB = 10^6 bytes of uncompressed JSON).",
        "",
        *_machine_lines(results["machine"]),
        "",
        "## Targets",
        "",
        markdown_table(results["ratios"], RATIO_HEADINGS),
        "",
        "## Measurements",
        "",
        markdown_table(results["rows"], ROW_HEADINGS),
    ]
    if results["notes"]:
        parts += ["", "## Notes", "", *(f"- {note}" for note in results["notes"])]
    return "\n".join(parts) + "\n"
