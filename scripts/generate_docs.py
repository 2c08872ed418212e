"""Generate the reference pages of the docs site from the code.

Usage::

    python scripts/generate_docs.py           # write docs/reference/..., docs/schemas/
                                              # and the table pages' nav in mkdocs.yml
    python scripts/generate_docs.py --check   # exit 1 and list the stale files

Sources: the table definitions (``mi_export.tables``), the finding catalogue
(``mi_export.codes``), the click commands of ``mi-export``, the limits, the manifest
writer and the published ``schemas/*.json`` (copied to ``docs/schemas/`` so the
site's download links work offline). ``tests/test_docs_drift.py`` fails when the
committed pages differ from what this script writes. The code lives in
``scripts/docs/docgen/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "docs"))

from docgen import stale_files, write_files
from docgen.common import COMMAND, ROOT

from generator_cli import generator_main


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` only compare) the generated docs; returns the exit code."""
    return generator_main(
        argv,
        __doc__.splitlines()[0],
        stale_files,
        write_files,
        COMMAND,
        lambda path: path.relative_to(ROOT).as_posix(),
    )


if __name__ == "__main__":
    sys.exit(main())
