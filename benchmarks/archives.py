"""The benchmark's inputs, made once and cached in a work directory.

Archives come from ``generate.py`` (deterministic JSON; a change to the generator
changes the cache key, so stale archives are never reused). Extracted JSON (for
check-jsonschema and the writer) is cached beside them.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "generate.py"
TASKS = HERE / "tasks.py"
PASSWORD = "bench"
VARIANTS = ("valid", "invalid")


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


class WorkDir:
    """Cached archives and extracted JSON, keyed by size, variant and generator."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.key = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:10]
        self.password_file = root / "password.txt"
        self.password_file.write_text(PASSWORD + "\n", encoding="utf-8")
        #: Seconds each archive took to generate in this run (absent: cached).
        self.generated: dict[str, float] = {}

    def _stem(self, size_mb: int, variant: str) -> str:
        return f"{variant}-{size_mb}MB-{self.key}"

    def archive(self, size_mb: int, variant: str) -> Path:
        """The archive of ``size_mb`` MB of JSON, generated unless cached."""
        path = self.root / f"{self._stem(size_mb, variant)}.zip"
        if path.is_file():
            return path
        _log(f"generating {path.name}")
        command = [sys.executable, str(GENERATOR), str(path), "--mb", str(size_mb)]
        if variant == "invalid":
            command.append("--invalid")
        start = time.perf_counter()
        # generate.py writes through ArchiveWriter: atomically, so a cut run leaves no file.
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL)
        self.generated[path.name] = time.perf_counter() - start
        return path

    def extracted(self, size_mb: int, variant: str) -> Path:
        """The archive's data members as plain JSON files in a folder (cached)."""
        folder = self.root / f"{self._stem(size_mb, variant)}.json.d"
        done = folder / ".complete"
        if done.is_file():
            return folder
        archive = self.archive(size_mb, variant)
        shutil.rmtree(folder, ignore_errors=True)
        _log(f"extracting {archive.name}")
        command = [sys.executable, str(TASKS), "extract", str(archive), PASSWORD, str(folder)]
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        done.write_text("", encoding="utf-8")
        return folder

    def json_files(self, size_mb: int, variant: str) -> list[Path]:
        return sorted(self.extracted(size_mb, variant).glob("*.json"))

    def schema(self) -> Path:
        """The check-jsonschema schema for one data file (rebuilt every run: cheap)."""
        path = self.root / "data-file.schema.json"
        subprocess.run(
            [sys.executable, str(TASKS), "schema", str(path)],
            check=True,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
        return path

    def scratch(self, name: str) -> Path:
        """A path for an output archive, removed after the measurement."""
        return self.root / "scratch" / name


def json_bytes(archive: Path) -> tuple[int, int]:
    """Uncompressed bytes of the data members and the archive's own size."""
    from mi_export.archive import open_archive

    with open_archive(archive, password=PASSWORD) as opened:
        total = sum(entry.bytes for entry in opened.data_entries())
    return total, archive.stat().st_size


def records_of(validate_stdout: str) -> int:
    """The record count of a ``mi-export validate --format json`` report."""
    return int(json.loads(validate_stdout)["stats"]["records"])
