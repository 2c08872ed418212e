"""A quiet progress line on stderr, shown only on a terminal and only for long work."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressLine:
    """Call with (done, total) bytes; draws at most 5 times a second after 1 s."""

    def __init__(self, label: str, stream: TextIO | None = None, delay: float = 1.0) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty()
        self._start = time.monotonic()
        self._delay = delay
        self._last = 0.0
        self._drawn = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._start < self._delay or now - self._last < 0.2:
            return
        self._last = now
        rate = done / max(now - self._start, 1e-9) / 1e6
        share = f"{100 * done / total:5.1f}% " if total else ""
        self.stream.write(f"\r{self.label}: {share}{done / 1e6:,.0f} MB, {rate:,.0f} MB/s ")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the line if one was drawn."""
        if self._drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
