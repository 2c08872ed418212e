"""The work the benchmark measures, each run as its own process by ``run.py``.

    python benchmarks/tasks.py TASK ARGS...

Tasks (each prints one JSON object on stdout):

- ``read-sdk ARCHIVE PASSWORD``: decrypt and inflate every data member through
  :func:`mi_export.archive.open_archive`, discard the bytes (the raw AES read rate);
- ``read-pyzipper ARCHIVE PASSWORD``: the same with pyzipper alone (for reference);
- ``extract ARCHIVE PASSWORD DIR``: write the data members as plain JSON files;
- ``write-sdk DIR OUT PASSWORD``: the records of the JSON files in ``DIR`` through
  :meth:`mi_export.writer.TableWriter.write_many` (validation on, default level);
- ``write-pyzipper DIR OUT PASSWORD``: the same bytes straight into an AES-256 ZIP;
- ``schema OUT``: the check-jsonschema schema for one data file (see :func:`file_schema`).

The writer tasks report their own time spent writing (``seconds``), so that reading and
decoding the source JSON is not charged to the writer.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
WRITE_BATCH = 2000
#: Deflate level of both writer measurements: the SDK writer's default.
WRITE_LEVEL = 6
DEFS_DOCUMENT = "defs.schema.json"


def read_sdk(archive: str, password: str) -> dict[str, Any]:
    from mi_export.archive import open_archive

    total = 0
    start = time.perf_counter()
    with open_archive(archive, password=password) as opened:
        for entry in opened.data_entries():
            with opened.open_entry(entry) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
    return {"bytes": total, "seconds": time.perf_counter() - start}


def read_pyzipper(archive: str, password: str) -> dict[str, Any]:
    import pyzipper

    total = 0
    start = time.perf_counter()
    with pyzipper.AESZipFile(archive) as zf:
        zf.setpassword(password.encode())
        for info in zf.infolist():
            if info.filename == "manifest.json" or not info.filename.endswith(".json"):
                continue
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    total += len(chunk)
    return {"bytes": total, "seconds": time.perf_counter() - start}


def extract(archive: str, password: str, out: str) -> dict[str, Any]:
    from mi_export.archive import open_archive

    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    total = 0
    with open_archive(archive, password=password) as opened:
        for entry in opened.data_entries():
            with opened.open_entry(entry) as stream, open(target / entry.path, "wb") as f:
                while chunk := stream.read(CHUNK):
                    f.write(chunk)
                    total += len(chunk)
    return {"bytes": total}


def _json_files(folder: str) -> list[Path]:
    return sorted(Path(folder).glob("*.json"))


def _record_batches(path: Path) -> Iterator[tuple[str, list[Any]]]:
    """``(table, records)`` batches of a data file written one record a line."""
    with open(path, "rb") as f:
        table = json.loads(f.readline().rstrip().rstrip(b"[") + b"[]}").popitem()[0]
        batch: list[Any] = []
        for line in f:
            line = line.rstrip().rstrip(b",")
            if line.startswith(b"{"):
                batch.append(json.loads(line))
                if len(batch) == WRITE_BATCH:
                    yield table, batch
                    batch = []
        yield table, batch


class _Stopwatch:
    """Adds up the time spent inside ``with`` blocks."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __enter__(self) -> None:
        self._start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.seconds += time.perf_counter() - self._start


def write_sdk(folder: str, out: str, password: str) -> dict[str, Any]:
    from mi_export.writer import ArchiveWriter

    clock, records = _Stopwatch(), 0
    with clock:
        writer = ArchiveWriter(out, password=password, overwrite=True, compresslevel=WRITE_LEVEL)
        writer.open()
    for path in _json_files(folder):
        table = None
        for name, batch in _record_batches(path):
            with clock:
                table = table or writer.open_table(name)
                table.write_many(batch)
            records += len(batch)
        if table is not None:
            with clock:
                table.close()
    with clock:
        writer.close()  # the manifest, fsync and rename
    return {"seconds": clock.seconds, "records": records, "out_bytes": Path(out).stat().st_size}


def write_pyzipper(folder: str, out: str, password: str) -> dict[str, Any]:
    import pyzipper

    total = 0
    start = time.perf_counter()
    with pyzipper.AESZipFile(
        out,
        "w",
        compression=pyzipper.ZIP_DEFLATED,
        compresslevel=WRITE_LEVEL,
        encryption=pyzipper.WZ_AES,
        allowZip64=True,
    ) as zf:
        zf.setpassword(password.encode())
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
        for path in _json_files(folder):
            with open(path, "rb") as src, zf.open(path.name, "w", force_zip64=True) as dst:
                while chunk := src.read(1 << 16):
                    dst.write(chunk)
                    total += len(chunk)
    return {"seconds": time.perf_counter() - start, "bytes": total}


def _inline(node: Any) -> Any:
    """A schema node with cross-document ``$ref``s turned into ``#/$defs/...`` ones."""
    if isinstance(node, list):
        return [_inline(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("$id", "$schema"):
            continue
        if key == "$ref" and value.startswith(DEFS_DOCUMENT + "#"):
            value = value.removeprefix(DEFS_DOCUMENT)
        elif key == "$ref" and value.endswith(".schema.json"):
            value = "#/$defs/table-" + value.removesuffix(".schema.json")
        out[key] = _inline(value)
    return out


def file_schema() -> dict[str, Any]:
    """A JSON Schema for one data file ``{table: [records]}``, equivalent to ours.

    Each table's records ``$ref`` the published table schema, inlined (with the shared
    definitions) under ``$defs`` so that it works offline. The references are made
    local (``#/$defs/...``): with the documents embedded under their own ``$id``
    instead, jsonschema re-crawls them on every ``$ref`` and runs about 10x slower,
    which would flatter our ratio.
    """
    from mi_export.schema import schema_documents
    from mi_export.tables import TABLES

    documents = schema_documents()
    definitions = _inline(documents.pop(DEFS_DOCUMENT).get("$defs", {}))
    for name, document in documents.items():
        definitions["table-" + name.removesuffix(".schema.json")] = _inline(document)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "One mi-export data file",
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": False,
        "properties": {
            name: {"type": "array", "items": {"$ref": f"#/$defs/table-{name}"}} for name in TABLES
        },
        "$defs": definitions,
    }


def write_schema(out: str) -> dict[str, Any]:
    Path(out).write_text(json.dumps(file_schema(), ensure_ascii=False), encoding="utf-8")
    return {"path": out}


TASKS = {
    "read-sdk": read_sdk,
    "read-pyzipper": read_pyzipper,
    "extract": extract,
    "write-sdk": write_sdk,
    "write-pyzipper": write_pyzipper,
    "schema": write_schema,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in TASKS:
        print(f"usage: tasks.py {{{','.join(TASKS)}}} ARGS...", file=sys.stderr)
        return 2
    print(json.dumps(TASKS[argv[0]](*argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
