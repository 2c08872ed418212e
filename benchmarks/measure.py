"""Run a command as its own process: wall time, peak RSS, exit code, output.

Peak RSS is taken two ways and the larger is kept: the kernel's ``ru_maxrss`` of the
child (from :func:`os.wait4`, exact but per process) and the sum of the RSS of the
child and all its descendants, sampled every 10 ms from ``/proc`` (catches a tool
that spreads its work over several processes).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_SECONDS = 0.01
_PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Run:
    """One run of a command."""

    seconds: float
    peak_rss_bytes: int
    exit_code: int
    stdout: str
    load_average: float


@dataclass
class Measurement:
    """Repeated runs of one command: medians and the worst peak."""

    command: list[str]
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_rss_bytes(self) -> int:
        return max(r.peak_rss_bytes for r in self.runs)

    @property
    def load_average(self) -> float:
        return max(r.load_average for r in self.runs)


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return [int(c) for c in f.read().split()]
    except OSError:
        return []


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def _tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += _rss(current)
        todo.extend(_children(current))
    return total


class _Sampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_SECONDS):
            self.peak = max(self.peak, _tree_rss(self.pid))


def run_once(command: list[str]) -> Run:
    """Run ``command`` to its end; stdout is kept, stderr goes to the harness's stderr."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stdin=subprocess.DEVNULL)
        sampler = _Sampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        stdout = out.read().decode("utf-8", "replace")
    peak = max(usage.ru_maxrss * 1024, sampler.peak)
    return Run(seconds, peak, child.returncode, stdout, load)


def _checked(command: list[str], expect: int) -> Run:
    run = run_once(command)
    if run.exit_code != expect:
        shown = " ".join(Path(c).name if "/" in c else c for c in command)
        raise RuntimeError(f"{shown}: exit {run.exit_code}, expected {expect}")
    return run


def measure(command: list[str], repeats: int, *, expect: int = 0) -> Measurement:
    """Run ``command`` ``repeats`` times; every run must exit with ``expect``."""
    return measure_together({"": (command, expect)}, repeats)[""]


def measure_together(
    commands: dict[str, tuple[list[str], int]], repeats: int
) -> dict[str, Measurement]:
    """Run several commands in turn, ``repeats`` rounds (A B C A B C ...).

    Commands whose speeds are compared share the machine's state (load from other
    processes, page cache, CPU clock) as closely as possible: a burst of load then
    slows every one of them, instead of only the one measured at that moment. Each
    value is ``(command, expected exit code)``.
    """
    results = {name: Measurement(command) for name, (command, _) in commands.items()}
    for _ in range(repeats):
        for name, (command, expect) in commands.items():
            results[name].runs.append(_checked(command, expect))
    return results
