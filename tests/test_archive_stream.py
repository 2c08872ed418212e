"""Member streams: file-like behaviour, errors as MemberError only, fuzzed archives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive_helpers import BZIP2, PASSWORD, STORED, Member, build_zip, write
from mi_export.archive import Archive, open_archive
from mi_export.archive._base import READABLE_ROLES
from mi_export.errors import ArchiveError, MemberError
from mi_export.limits import Limits

LINES = b"".join(b'{"id":"%d"}\n' % i for i in range(5000))


@pytest.mark.parametrize("method", [STORED, 8, BZIP2])
def test_stream_is_file_like(tmp_path: Path, method: int) -> None:
    path = write(tmp_path / "a.zip", build_zip([Member("a.json", LINES, method=method)]))
    with open_archive(path) as archive, archive.open_entry(archive.entries[0]) as stream:
        assert stream.readable()
        assert stream.read(0) == b""
        assert stream.read(1) == b"{"
        line = stream.readline()
        assert line == b'"id":"0"}\n'
        assert stream.peek(1).startswith(b'{"id":"1"}')  # type: ignore[attr-defined]
        buffer = bytearray(7)
        assert stream.readinto(buffer) == 7
        rest = stream.read()
        assert b"{" + line + bytes(buffer) + rest == LINES
        assert stream.read(10) == b""
    assert stream.closed


def test_many_one_byte_reads_stay_linear(tmp_path: Path) -> None:
    path = write(tmp_path / "a.zip", build_zip([Member("a.json", LINES, method=STORED)]))
    with open_archive(path) as archive, archive.open_entry(archive.entries[0]) as stream:
        assert b"".join(iter(lambda: stream.read(1), b"")) == LINES


def test_text_wrapper_over_a_member(tmp_path: Path) -> None:
    text = "短信 😀\n" * 1000
    path = write(tmp_path / "a.zip", build_zip([Member("a.json", text.encode())]))
    with open_archive(path) as archive, archive.open_entry(archive.entries[0]) as stream:
        assert io.TextIOWrapper(stream, encoding="utf-8").read() == text  # type: ignore[arg-type]


def test_archive_file_removed_after_opening(tmp_path: Path) -> None:
    path = write(tmp_path / "a.zip", build_zip([Member("a.json", LINES)]))
    archive = open_archive(path)
    path.unlink()
    with pytest.raises(MemberError) as caught:
        archive.open_entry(archive.entries[0])
    assert caught.value.code == "archive.integrity"


# -- fuzzing -------------------------------------------------------------------------

SEED = build_zip(
    [
        Member("manifest.json", b'{"format":"mi-export","files":[]}', method=STORED),
        Member("contact.json", LINES[:3000], encryption="aes-256"),
        Member("note.json", LINES[:500], encryption="zipcrypto", method=STORED),
        Member("sms.json", LINES[:2000], method=BZIP2),
        Member("sub/", b""),
    ]
)

_mutation = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, len(SEED) - 1), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, len(SEED)), st.binary(min_size=1, max_size=40)),
    st.tuples(st.just("delete"), st.integers(0, len(SEED) - 1), st.integers(1, 64)),
    st.tuples(st.just("truncate"), st.integers(0, len(SEED) - 1), st.just(0)),
)


def _mutate(data: bytes, mutations: list[tuple[str, int, object]]) -> bytes:
    out = bytearray(data)
    for kind, pos, arg in mutations:
        pos = min(pos, len(out))
        if kind == "flip" and pos < len(out):
            out[pos] ^= arg  # type: ignore[operator]
        elif kind == "insert":
            out[pos:pos] = arg  # type: ignore[assignment]
        elif kind == "delete":
            del out[pos : pos + arg]  # type: ignore[operator]
        elif kind == "truncate":
            del out[pos:]
    return bytes(out)


def _read_everything(archive: Archive) -> None:
    for entry in archive.entries:
        if entry.role not in READABLE_ROLES:
            with pytest.raises(MemberError):
                archive.open_entry(entry)
            continue
        try:
            with archive.open_entry(entry) as stream:
                while stream.read(4096):
                    pass
        except MemberError as exc:
            assert exc.code in {"archive.integrity", "archive.limits"}


@pytest.mark.timeout(120)
@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(_mutation, min_size=1, max_size=3))
def test_damaged_archives_only_raise_archive_or_member_errors(
    tmp_path: Path, mutations: list[tuple[str, int, object]]
) -> None:
    path = write(tmp_path / "fuzz.zip", _mutate(SEED, mutations))
    try:
        archive = open_archive(path, password=PASSWORD, limits=Limits(max_entries=50))
    except ArchiveError as exc:
        assert exc.code.startswith("archive.")
        return
    with archive:
        _read_everything(archive)
