"""The command line shared by the generators (schemas, docs): write, or ``--check``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def generator_main(
    argv: list[str] | None,
    description: str,
    stale_files: Callable[[], Iterable[Path]],
    write_files: Callable[[], Iterable[Path]],
    command: str,
    shown: Callable[[Path], str] = lambda path: path.as_posix(),
) -> int:
    """Write the generated files, or with ``--check`` list the stale ones (exit 1)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    if args.check:
        stale = list(stale_files())
        for path in stale:
            print(f"stale: {shown(path)}", file=sys.stderr)
        if stale:
            print(f"regenerate with: {command}", file=sys.stderr)
        return 1 if stale else 0
    for path in write_files():
        print(f"wrote {shown(path)}")
    return 0
