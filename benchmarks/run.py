"""The whole benchmark in one command (issue 5's targets), written to JSON and Markdown.

    python benchmarks/run.py --sizes 100,1000 [--repeats 3] [--out benchmarks/results]

For each size (MB of uncompressed JSON) it generates a valid and an invalid archive
(cached in ``--work``), then measures, each run a separate whole process, median of
``--repeats``:

- ``read-sdk``: decrypt and inflate every data member, discard (the raw AES read rate);
  ``read-pyzipper`` the same with pyzipper alone, for reference;
- ``validate``: ``mi-export validate ARCHIVE --password-file F --format json``;
- ``check-jsonschema``: that tool on the extracted JSON against an equivalent schema
  (sizes up to 1000 MB: it holds each file in memory several times over);
- ``write-sdk`` / ``write-pyzipper``: the SDK writer writing the same records, and
  pyzipper writing the same bytes into an AES-256 ZIP (time spent writing only);
- ``startup``: ``mi-export --help`` and validating the tiny sample archive.

The reads and ``validate`` of one archive run in alternating rounds (A B C A B C...),
so that load from other processes weighs on both sides of their ratio alike.
``--only`` picks groups (read, validate, check-jsonschema, write, startup) and
``--variants`` the archives (valid, invalid); a 10 GB memory check is
``--sizes 10000 --only validate --repeats 1``. Results are written after each size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archives import PASSWORD, TASKS, VARIANTS, WorkDir, json_bytes, records_of
from measure import Measurement, measure, measure_together
from results import code_state, machine, render_markdown
from targets import target_rows

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GROUPS = ("read", "validate", "check-jsonschema", "write", "startup")
CHECK_JSONSCHEMA_MAX_MB = 1000
STARTUP_REPEATS = 5


@dataclass
class Settings:
    sizes: list[int]
    repeats: int
    out: Path
    work: Path
    groups: set[str]
    check_jsonschema_repeats: int
    startup_repeats: int
    variants: tuple[str, ...] = VARIANTS


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else shutil.which(name)


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class Bench:
    """Runs the measurements of one invocation and gathers rows and notes."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.work = WorkDir(settings.work)
        self.rows: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self.mi_export = _tool("mi-export") or "mi-export"

    def _row(self, size: int | None, variant: str, name: str, m: Measurement, **kw: Any) -> None:
        seconds = kw.pop("seconds", None) or [r.seconds for r in m.runs]
        median = statistics.median(seconds)
        mb, records = kw.get("mb"), kw.get("records")
        self.rows.append(
            {
                "size_mb": size,
                "variant": variant,
                "measure": name,
                "seconds": median,
                "mb_per_s": mb / median if mb else None,
                "records_per_s": records / median if records else None,
                "peak_rss_mb": m.peak_rss_bytes / 1e6,
                "load_average": m.load_average,
                "runs_seconds": seconds,
                "json_mb": mb,
                "records": records,
                "command": " ".join(Path(c).name if c == m.command[0] else c for c in m.command),
            }
        )
        rate = f", {mb / median:.1f} MB/s" if mb else ""
        where = f"{size} MB {variant}" if size is not None else variant
        _log(f"{where} {name}: {median:.2f} s{rate}, peak RSS {m.peak_rss_bytes / 1e6:.0f} MB")

    def _task(self, *args: str) -> list[str]:
        return [sys.executable, str(TASKS), *args]

    def read_and_validate(self, size: int, variant: str, archive: Path, mb: float) -> None:
        """The raw read rates and ``mi-export validate``, in alternating rounds."""
        commands = {}
        if "read" in self.settings.groups:
            for name in ("read-sdk", "read-pyzipper"):
                commands[name] = (self._task(name, str(archive), PASSWORD), 0)
        if "validate" in self.settings.groups:
            validate = [self.mi_export, "validate", str(archive), "--password-file",
                        str(self.work.password_file), "--format", "json"]  # fmt: skip
            commands["validate"] = (validate, 0 if variant == "valid" else 1)
        measured = measure_together(commands, self.settings.repeats)
        for name, m in measured.items():
            if name == "validate":
                self._row(size, variant, name, m, mb=mb, records=records_of(m.runs[0].stdout))
                continue
            read = {json.loads(r.stdout)["bytes"] for r in m.runs}
            if read != {round(mb * 1e6)}:
                raise RuntimeError(f"{name} read {read} bytes, the archive lists {mb * 1e6:.0f}")
            self._row(size, variant, name, m, mb=mb)

    def check_jsonschema(self, size: int, mb: float, records: int | None) -> None:
        tool = _tool("check-jsonschema")
        if tool is None:
            self.notes.append(
                "check-jsonschema is not installed, so it was not compared "
                "(`pip install check-jsonschema` in the benchmark's environment)."
            )
            return
        if size > CHECK_JSONSCHEMA_MAX_MB:
            self.notes.append(
                f"check-jsonschema skipped at {size} MB (run up to "
                f"{CHECK_JSONSCHEMA_MAX_MB} MB only: it loads whole files)."
            )
            return
        files = [str(p) for p in self.work.json_files(size, "valid")]
        command = [tool, "--schemafile", str(self.work.schema()), *files]
        runs = self.settings.check_jsonschema_repeats
        if runs != self.settings.repeats:
            self.notes.append(
                f"check-jsonschema ran {runs} time(s) per size "
                f"(--check-jsonschema-repeats), the rest {self.settings.repeats}."
            )
        m = measure(command, runs)
        self._row(size, "valid", "check-jsonschema", m, mb=mb, records=records)

    def write(self, size: int, mb: float) -> None:
        folder = self.work.extracted(size, "valid")
        for name in ("write-sdk", "write-pyzipper"):
            out = self.work.scratch(f"{name}-{size}.zip")
            out.parent.mkdir(exist_ok=True)
            m = measure(self._task(name, str(folder), str(out), PASSWORD), self.settings.repeats)
            out.unlink(missing_ok=True)
            reports = [json.loads(r.stdout) for r in m.runs]
            self._row(
                size,
                "valid",
                name,
                m,
                mb=mb,
                seconds=[r["seconds"] for r in reports],
                records=reports[0].get("records"),
            )

    def startup(self) -> None:
        repeats = self.settings.startup_repeats
        self._row(
            None, "—", "startup: mi-export --help", measure([self.mi_export, "--help"], repeats)
        )
        tiny = [
            self.mi_export,
            "validate",
            str(ROOT / "fixtures" / "sample-export.zip"),
            "--password-file",
            str(ROOT / "fixtures" / "sample-export.password"),
        ]
        self._row(None, "sample", "startup: validate tiny archive", measure(tiny, repeats))

    def size(self, size: int) -> None:
        groups = self.settings.groups
        for variant in self.settings.variants:
            archive = self.work.archive(size, variant)
            total, _ = json_bytes(archive)
            mb = total / 1e6
            if groups & {"read", "validate"}:
                self.read_and_validate(size, variant, archive, mb)
            if variant == "valid" and "check-jsonschema" in groups:
                self.check_jsonschema(size, mb, self._records(size))
            if variant == "valid" and "write" in groups:
                self.write(size, mb)

    def _records(self, size: int) -> int | None:
        for row in self.rows:
            if (row["size_mb"], row["variant"], row["measure"]) == (size, "valid", "validate"):
                return int(row["records"])
        return None


def _results(bench: Bench, info: dict[str, Any], argv: list[str]) -> dict[str, Any]:
    return {
        "command": " ".join(["python", "benchmarks/run.py", *argv]),
        "repeats": bench.settings.repeats,
        "machine": info,
        "generated_seconds": bench.work.generated,
        "rows": bench.rows,
        "ratios": target_rows(bench.rows),
        "notes": sorted(set(bench.notes)),
    }


def _write(results: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(render_markdown(results), encoding="utf-8")


def parse_args(argv: list[str]) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000", help="MB of JSON, comma separated")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path("/tmp/mi-export-bench"),
        help="cache of generated archives (reused if present)",
    )
    parser.add_argument("--only", default=",".join(GROUPS), help="groups to run")
    parser.add_argument("--skip-check-jsonschema", action="store_true")
    parser.add_argument(
        "--check-jsonschema-repeats",
        type=int,
        help="runs of check-jsonschema (default: --repeats; about 40 min a run at 1 GB)",
    )
    parser.add_argument("--variants", default=",".join(VARIANTS), help="valid,invalid")
    parser.add_argument(
        "--startup-repeats", type=int, default=STARTUP_REPEATS, help="runs of the startup timings"
    )
    args = parser.parse_args(argv)
    groups = {g.strip() for g in args.only.split(",") if g.strip()}
    if groups - set(GROUPS):
        parser.error(f"unknown groups {sorted(groups - set(GROUPS))}; known: {GROUPS}")
    if args.skip_check_jsonschema:
        groups.discard("check-jsonschema")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    repeats = max(1, args.repeats)
    slow = max(1, args.check_jsonschema_repeats or repeats)
    startup = max(1, args.startup_repeats)
    variants = tuple(v for v in VARIANTS if v in args.variants.split(","))
    return Settings(sizes, repeats, args.out, args.work, groups, slow, startup, variants)


def _stamp(info: dict[str, Any], start: float) -> None:
    info["duration_seconds"] = time.perf_counter() - start
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    info["end"] = code_state()


def main(argv: list[str]) -> int:
    settings = parse_args(argv)
    bench, info, start = Bench(settings), machine(), time.perf_counter()
    if "startup" in settings.groups:
        bench.startup()
    for size in settings.sizes:
        bench.size(size)
        _stamp(info, start)
        _write(_results(bench, info, argv), settings.out)  # after each size: partial results
    if not settings.sizes:
        _stamp(info, start)
        _write(_results(bench, info, argv), settings.out)
    _log(f"done in {time.perf_counter() - start:.0f} s: {settings.out / 'results.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
