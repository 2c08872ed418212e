"""Zip bombs and limits (FORMAT.md §7): quick refusals, flat memory, the rest still read."""

from __future__ import annotations

import struct
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from archive_helpers import BZIP2, PASSWORD, STORED, Member, build_zip, json_member, write
from mi_export.archive import Archive, Entry, open_archive
from mi_export.errors import MemberError
from mi_export.limits import Limits

MiB = 1 << 20


def _drain(archive: Archive, entry: Entry, chunk: int = 1 << 16) -> int:
    size = 0
    with archive.open_entry(entry) as stream:
        while piece := stream.read(chunk):
            size += len(piece)
    return size


def _limit_files(archive: Archive) -> list[str | None]:
    return [f.file for f in archive.findings if f.code == "archive.limits"]


def test_more_entries_than_the_limit(tmp_path: Path) -> None:
    members = [json_member(f"t{i}.json") for i in range(6)]
    path = write(tmp_path / "a.zip", build_zip(members))
    with open_archive(path, limits=Limits(max_entries=4)) as archive:
        assert [e.path for e in archive.entries] == ["t0.json", "t1.json", "t2.json", "t3.json"]
        assert _limit_files(archive) == ["t4.json"]
        assert "6 entries" in archive.findings[0].message
        assert _drain(archive, archive.entries[3]) > 0


def test_total_uncompressed_size_limit_refuses_the_member_crossing_it(tmp_path: Path) -> None:
    members = [
        Member(n, b"x" * size) for n, size in (("a.json", 60), ("b.json", 60), ("c.json", 30))
    ]
    path = write(tmp_path / "a.zip", build_zip(members))
    with open_archive(path, limits=Limits(max_total_bytes=100)) as archive:
        assert [e.role for e in archive.entries] == ["data", "skipped", "data"]
        assert _limit_files(archive) == ["b.json"]
        with pytest.raises(MemberError) as caught:
            archive.open_entry(archive.entries[1])
        assert caught.value.code == "archive.limits"


@pytest.mark.timeout(20)
def test_ratio_over_the_default_limit_is_refused_before_inflating(tmp_path: Path) -> None:
    bomb = Member("bomb.json", bytes(20 * MiB), method=BZIP2)
    path = write(tmp_path / "a.zip", build_zip([bomb, json_member("ok.json")]))
    with open_archive(path) as archive:
        assert archive.entries[0].bytes / (archive.entries[0].compressed_bytes or 1) > 10_000
        assert [e.role for e in archive.entries] == ["skipped", "data"]
        assert _limit_files(archive) == ["bomb.json"]
        assert "ratio" in archive.findings[0].message
        assert [e.path for e in archive.data_entries()] == ["ok.json"]


def test_ratio_limit_is_configurable(tmp_path: Path) -> None:
    path = write(tmp_path / "a.zip", build_zip([Member("z.json", bytes(100_000))]))
    with open_archive(path, limits=Limits(max_ratio=50)) as archive:
        assert _limit_files(archive) == ["z.json"]


@pytest.mark.timeout(20)
def test_legitimate_300_to_1_archive_passes(tmp_path: Path) -> None:
    record = b'{"id":"1234567890123456","content":{"body":"ok","folder":"0"},"status":"normal"},'
    data = b'{"sms":[' + (record + b" " * 2000) * 2000 + b'{"id":"1"}]}'
    path = write(tmp_path / "a.zip", build_zip([Member("sms.json", data)]))
    with open_archive(path) as archive:
        (entry,) = archive.entries
        assert entry.bytes / (entry.compressed_bytes or 1) >= 300
        assert archive.findings[0].code == "archive.unencrypted"
        assert _drain(archive, entry) == len(data)


@pytest.mark.timeout(20)
def test_overlap_bomb_many_records_sharing_one_body(tmp_path: Path) -> None:
    body = Member("0.json", bytes(MiB))
    sharers = [Member(f"{i}.json", bytes(MiB), offset_of=0) for i in range(1, 40)]
    path = write(tmp_path / "a.zip", build_zip([body, *sharers, json_member("ok.json")]))
    with open_archive(path) as archive:
        assert len(_limit_files(archive)) == 40
        assert [e.path for e in archive.data_entries()] == ["ok.json"]
        assert "overlaps" in archive.findings[0].message


def test_member_whose_data_runs_into_the_next_is_refused(tmp_path: Path) -> None:
    first = json_member("a.json", method=STORED)
    size = len(first.data)
    members = [
        Member(
            "a.json",
            first.data,
            method=STORED,
            declared_size=size + 200,
            declared_compressed=size + 200,
        ),
        json_member("b.json"),
    ]
    with open_archive(write(tmp_path / "a.zip", build_zip(members))) as archive:
        assert [e.role for e in archive.entries] == ["skipped", "data"]
        assert _limit_files(archive) == ["a.json"]
        assert _drain(archive, archive.entries[1]) > 0


@pytest.mark.timeout(20)
@pytest.mark.parametrize("encryption", ["none", "aes-256", "zipcrypto"])
@pytest.mark.parametrize("method", [8, BZIP2, STORED])
def test_member_inflating_past_its_declared_size(
    tmp_path: Path, encryption: str, method: int
) -> None:
    size = 256 * 1024 if method == STORED else 20 * MiB
    bomb = Member(
        "bomb.json", bytes(size), method=method, encryption=encryption, declared_size=1024
    )
    path = write(tmp_path / "a.zip", build_zip([bomb, json_member("ok.json")]))
    with open_archive(path, password=PASSWORD) as archive:
        bomb_entry, ok = archive.entries
        assert bomb_entry.bytes == 1024
        tracemalloc.start()
        try:
            with pytest.raises(MemberError) as caught:
                _drain(archive, bomb_entry, chunk=1 << 20)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert caught.value.code == "archive.limits"
        assert "declared size of 1024" in caught.value.message
        assert peak < 8 * MiB
        assert _drain(archive, ok) > 0


def test_bomb_with_forged_crc_is_still_refused(tmp_path: Path) -> None:
    # zipfile and pyzipper both return the first 1024 bytes as valid data here.
    data = bytes(4 * MiB)
    raw = bytearray(build_zip([Member("bomb.json", data, declared_size=1024)]))
    crc = zlib.crc32(data[:1024])
    struct.pack_into("<L", raw, 14, crc)
    struct.pack_into("<L", raw, raw.rfind(b"PK\x01\x02") + 16, crc)
    with open_archive(write(tmp_path / "a.zip", bytes(raw))) as archive:
        with pytest.raises(MemberError) as caught:
            _drain(archive, archive.entries[0])
        assert caught.value.code == "archive.limits"


@pytest.mark.timeout(60)
def test_big_member_streams_in_constant_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.zip"
    size = 100 * MiB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("big.json", "w") as out:
        for _ in range(size // MiB):
            out.write(b"[" * MiB)
    with open_archive(path) as archive:
        (entry,) = archive.entries
        tracemalloc.start()
        try:
            crc = 0
            with archive.open_entry(entry) as stream:
                while piece := stream.read(1 << 16):
                    crc = zlib.crc32(piece, crc)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert crc == zlib.crc32(b"[" * MiB * 100)
        assert peak < 4 * MiB


@pytest.mark.timeout(120)
def test_70000_members_read_with_exact_counts(tmp_path: Path) -> None:
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for i in range(70_000):
            zf.writestr(f"d/{i:05}.json", b"{}")
    with open_archive(path) as archive:
        assert len(archive.entries) == 70_000
        assert len(archive.data_entries()) == 70_000
        assert archive.data_entries()[-1].path == "d/69999.json"
        assert archive.read_entry_bytes(archive.entries[-1], 10) == b"{}"
