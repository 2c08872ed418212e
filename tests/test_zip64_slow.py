"""Multi-GiB ZIP64 cases (issue 4, case 11), run by `python -m pytest -m slow`.

A data file over 4 GiB and one of exactly 4,294,967,295 bytes, written once into a
temporary folder (repetitive records, so the ZIPs stay small), validated by the real
CLI in a child process whose peak memory is measured; and one over 4 GiB written by
our own ArchiveWriter (AES-256), validated the same way.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]

RECORD = {
    "id": "",
    "content": "笔记 note 😀 " * 8,
    "history": [],
    "folderName": "默认",
    "status": "normal",
    "type": "note",
    "createTime": 1764633600000,
    "updateTime": 1764633600000,
    "order": 0,
}
FOUR_GIB = 1 << 32


def _write_member(path: Path, size: int) -> int:
    """Write note.json of exactly ``size`` bytes into a ZIP64 archive; return its records."""
    head, tail = b'{"note": [\n', b"\n]}"
    records = 0
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("note.json", "w", force_zip64=True) as out,
    ):
        out.write(head)
        written = len(head)
        block: list[bytes] = []
        while True:
            record = dict(RECORD, id=str(10**16 + records))
            line = json.dumps(record, ensure_ascii=False).encode() + b",\n"
            if written + 2 * len(line) + len(tail) + 64 > size:  # room for a last one
                break
            block.append(line)
            written += len(line)
            records += 1
            if len(block) == 4096:
                out.write(b"".join(block))
                block.clear()
        out.write(b"".join(block))
        last = json.dumps(dict(RECORD, id=str(10**16 + records)), ensure_ascii=False).encode()
        records += 1
        padding = size - written - len(last) - len(tail)
        out.write(last + b" " * padding + tail)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("note.json").file_size == size
    return records


def _validate(path: Path, *options: str) -> tuple[dict[str, object], float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    command = [sys.executable, "-m", "mi_export_validator", "validate", str(path)]
    result = subprocess.run(
        [*command, "--format", "json", *options],
        capture_output=True,
        text=True,
        check=False,
    )
    peak_mb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before) / 1024
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(result.stdout), peak_mb


@pytest.mark.parametrize(
    "size", [FOUR_GIB + (64 << 20), FOUR_GIB - 1], ids=["over-4GiB", "exactly-4294967295"]
)
def test_huge_member_is_read_exactly_in_flat_memory(tmp_path: Path, size: int) -> None:
    archive = tmp_path / "big.zip"
    expected = _write_member(archive, size)
    report, peak_mb = _validate(archive)
    assert report["stats"]["records"] == expected  # type: ignore[index]
    assert report["archive"]["files"][0]["bytes"] == size  # type: ignore[index]
    assert peak_mb < 150, f"peak RSS {peak_mb:.0f} MB"


def test_the_writer_makes_a_data_file_over_4_gib(tmp_path: Path) -> None:
    """ArchiveWriter (AES-256, its helper thread) writes one member past 4 GiB."""
    from mi_export.writer import ArchiveWriter

    archive, password = tmp_path / "written.zip", "zip64 密码"
    record = {**RECORD, "content": "笔记 note 😀 " * 100}
    compact = json.dumps({**record, "id": str(10**17)}, ensure_ascii=False, separators=(",", ":"))
    per_record = len(compact.encode()) + len(",\n")
    count = (FOUR_GIB + (32 << 20)) // per_record
    notes = ({**record, "id": str(10**17 + i)} for i in range(count))
    with ArchiveWriter(archive, password=password, split_bytes=8 << 30) as writer:
        assert writer.write_table("note", notes) == count
    (tmp_path / "pw").write_text(password + "\n", encoding="utf-8")
    report, peak_mb = _validate(archive, "--password-file", str(tmp_path / "pw"))
    assert report["stats"]["records"] == count  # type: ignore[index]
    assert report["archive"]["files"][0]["bytes"] > FOUR_GIB  # type: ignore[index]
    assert report["stats"]["errors"] == 0  # type: ignore[index]
    assert peak_mb < 150, f"peak RSS {peak_mb:.0f} MB"
