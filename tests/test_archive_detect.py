"""open_archive: input kinds told by content (FORMAT.md §3) and the fatal errors."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from archive_helpers import Member, build_zip, json_member, write
from mi_export.archive import DirectoryArchive, JsonFileArchive, ZipArchive, open_archive
from mi_export.errors import ArchiveError

CONTACT = b'{"contact": []}'


def _error(path: Path) -> ArchiveError:
    with pytest.raises(ArchiveError) as caught:
        open_archive(path)
    return caught.value


def test_missing_path_is_not_found(tmp_path: Path) -> None:
    err = _error(tmp_path / "nope.zip")
    assert err.code == "archive.not-found"
    assert err.path == str(tmp_path / "nope.zip")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"  \n\t ", "only whitespace"),
        (b"<!DOCTYPE html>\n<html><body>Sign in</body></html>", "HTML page"),
        (b"\xef\xbb\xbf\n  <html lang='fr'>", "HTML page"),
        (b"\x1f\x8b\x08\x00" + bytes(40), "gzip"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(40), "7-Zip"),
        (b"PK\x07\x08PK\x03\x04", "split ZIP"),
        (bytes(range(7, 250)), "starts with bytes 07 08 09"),
        (b"hello, world", "not a ZIP archive, a JSON file or a directory"),
    ],
)
def test_other_content_is_unreadable_with_a_helpful_message(
    tmp_path: Path, content: bytes, words: str
) -> None:
    err = _error(write(tmp_path / "export.zip", content))
    assert err.code == "archive.unreadable"
    assert words in err.message


@pytest.mark.parametrize(
    "content",
    [
        CONTACT,
        b"  \r\n\t[1]",
        codecs.BOM_UTF8 + CONTACT,
        codecs.BOM_UTF8 + b"\n {}",
        codecs.BOM_UTF16_LE + CONTACT.decode().encode("utf-16-le"),
        codecs.BOM_UTF16_BE + CONTACT.decode().encode("utf-16-be"),
        codecs.BOM_UTF32_LE + CONTACT.decode().encode("utf-32-le"),
        " \n{}".encode("utf-16-le"),
        "{}".encode("utf-16-be"),
        "\t[]".encode("utf-32-le"),
        "{}".encode("utf-32-be"),
        b"{not json at all",
    ],
)
def test_json_like_files_are_kind_json_whatever_their_name(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path / "export.zip", content)
    with open_archive(path) as archive:
        assert isinstance(archive, JsonFileArchive)
        assert archive.kind == "json"
        assert archive.encryption == "none"
        assert archive.findings == ()
        (entry,) = archive.entries
        assert (entry.path, entry.role, entry.bytes) == ("export.zip", "data", len(content))
        with archive.open_entry(entry) as stream:
            assert stream.read() == content
        assert archive.data_entries() == [entry]
        assert archive.archive_bytes == len(content)


def test_zip_is_told_by_content_not_name(tmp_path: Path) -> None:
    path = write(tmp_path / "contact.json", build_zip([json_member("contact.json")]))
    with open_archive(path) as archive:
        assert isinstance(archive, ZipArchive)
        assert archive.kind == "zip"


def test_empty_zip_starts_with_end_record(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.zip", build_zip([]))
    assert path.read_bytes().startswith(b"PK\x05\x06")
    with open_archive(path) as archive:
        assert archive.entries == ()
        assert [f.code for f in archive.findings] == ["archive.unencrypted"]


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_zip_without_end_record_is_truncated(tmp_path: Path, keep: float) -> None:
    data = build_zip([json_member(f"t{i}.json", records=50) for i in range(20)])
    path = write(tmp_path / "cut.zip", data[: int(len(data) * keep)])
    err = _error(path)
    assert err.code == "archive.truncated"
    assert "truncated or incomplete, download again" in err.message


def test_last_20_kb_cut_off_is_truncated(tmp_path: Path) -> None:
    big = Member("contact.json", os.urandom(60_000), method=0)
    data = build_zip([big, json_member("note.json")])
    assert _error(write(tmp_path / "cut.zip", data[:-20_000])).code == "archive.truncated"


def test_damaged_central_directory_is_truncated(tmp_path: Path) -> None:
    data = bytearray(build_zip([json_member("a.json"), json_member("b.json")]))
    central = data.rfind(b"PK\x01\x02")
    data[central : central + 4] = b"XXXX"
    assert _error(write(tmp_path / "bad.zip", bytes(data))).code == "archive.truncated"


def test_directory_is_kind_directory(tmp_path: Path) -> None:
    (tmp_path / "contact.json").write_bytes(CONTACT)
    with open_archive(tmp_path) as archive:
        assert isinstance(archive, DirectoryArchive)
        assert archive.kind == "directory"
        assert archive.archive_bytes is None
        assert archive.archive_sha256() is None
        assert [e.path for e in archive.data_entries()] == ["contact.json"]


def test_archive_sha256_is_of_the_whole_file(tmp_path: Path) -> None:
    import hashlib

    data = build_zip([json_member("contact.json")])
    with open_archive(write(tmp_path / "a.zip", data)) as archive:
        assert archive.archive_sha256() == hashlib.sha256(data).hexdigest()
        assert archive.archive_bytes == len(data)


def test_path_like_and_repr(tmp_path: Path) -> None:
    path = write(tmp_path / "a.zip", build_zip([json_member("contact.json")]))
    archive = open_archive(path)
    assert archive.path == str(path)
    assert "ZipArchive" in repr(archive) and "closed" not in repr(archive)
    archive.close()
    assert "closed" in repr(archive)
    with pytest.raises(ValueError):
        archive.open_entry(archive.entries[0])


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "export.zip"
    os.mkfifo(fifo)
    assert _error(fifo).code == "archive.unreadable"
