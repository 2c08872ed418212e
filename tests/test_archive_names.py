"""Member names and roles: encodings, unsafe paths, clutter, the root, reading order."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from archive_helpers import SYMLINK_ATTR, Member, build_zip, json_member, write
from mi_export.archive import Archive, open_archive
from mi_export.errors import MemberError
from mi_export.limits import Limits


def _open(tmp_path: Path, members: list[Member]) -> Archive:
    return open_archive(write(tmp_path / "a.zip", build_zip(members)))


def _roles(archive: Archive) -> list[tuple[str, str]]:
    return [(e.path, e.role) for e in archive.entries]


def _codes(archive: Archive) -> list[tuple[str, str | None]]:
    return [(f.code, f.file) for f in archive.findings if f.code != "archive.unencrypted"]


def test_gbk_name_without_utf8_flag_is_decoded_as_gb18030_with_a_warning(tmp_path: Path) -> None:
    name = "联系人.json"
    with _open(tmp_path, [json_member(name.encode("gbk"))]) as archive:  # type: ignore[arg-type]
        assert _roles(archive) == [(name, "data")]
        assert _codes(archive) == [("archive.filename-encoding", name)]
        with archive.open_entry(archive.entries[0]) as stream:
            assert stream.read().startswith(b'{"contact"')


@pytest.mark.parametrize("flag", [True, False])
def test_utf8_name_is_utf8_with_or_without_the_flag(tmp_path: Path, flag: bool) -> None:
    name = "短信 😀.json"
    member = Member(name, b"{}", utf8_flag=flag)
    with _open(tmp_path, [member, Member("plain.json", b"{}", utf8_flag=False)]) as archive:
        assert _roles(archive) == [(name, "data"), ("plain.json", "data")]
        assert _codes(archive) == []


def test_info_zip_unicode_path_extra_gives_the_exact_name(tmp_path: Path) -> None:
    name = "通话记录.json"
    raw = name.encode("gbk")
    extra = b"\x01" + struct.pack("<L", zlib.crc32(raw)) + name.encode()
    data = build_zip([Member(raw, b"{}")])
    # Add the 0x7075 extra to the central record, and grow the directory's size.
    central = data.rfind(b"PK\x01\x02")
    block = struct.pack("<HH", 0x7075, len(extra)) + extra
    name_end = central + 46 + len(raw)
    patched = bytearray(data[:name_end] + block + data[name_end:])
    struct.pack_into("<H", patched, central + 30, len(block))
    end = patched.rfind(b"PK\x05\x06")
    (size,) = struct.unpack_from("<L", patched, end + 12)
    struct.pack_into("<L", patched, end + 12, size + len(block))
    with open_archive(write(tmp_path / "u.zip", bytes(patched))) as archive:
        assert _roles(archive) == [(name, "data")]
        assert _codes(archive) == []


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("../../tmp/x.json", ".."),
        ("a/../../x.json", ".."),
        ("/tmp/y.json", "absolute"),
        ("..\\..\\z.json", "backslash"),
        ("C:/w.json", "drive letter"),
        ("c:w.json", "drive letter"),
        ("ok\x00.json", "NUL"),
    ],
)
def test_unsafe_names_are_never_opened(tmp_path: Path, name: str, words: str) -> None:
    with _open(tmp_path, [json_member(name), json_member("safe.json")]) as archive:
        assert _roles(archive) == [(name, "unsafe"), ("safe.json", "data")]
        (finding,) = [f for f in archive.findings if f.code == "archive.unsafe-path"]
        assert finding.file == name and words in finding.message
        assert finding.severity == "error"
        with pytest.raises(MemberError) as caught:
            archive.open_entry(archive.entries[0])
        assert caught.value.code == "archive.unsafe-path"
        assert [e.path for e in archive.data_entries()] == ["safe.json"]


def test_symlink_entry_is_unsafe(tmp_path: Path) -> None:
    link = Member("contact.json", b"/etc/passwd", external_attr=SYMLINK_ATTR)
    with _open(tmp_path, [link]) as archive:
        assert _roles(archive) == [("contact.json", "unsafe")]
        assert "symbolic link" in archive.findings[0].message


def test_duplicate_names_keep_the_first_and_refuse_the_others(tmp_path: Path) -> None:
    members = [json_member("a.json"), json_member("./a.json"), json_member("a.json")]
    with _open(tmp_path, members) as archive:
        assert [e.role for e in archive.entries] == ["data", "unsafe", "unsafe"]
        assert len(archive.data_entries()) == 1


def test_clutter_folders_and_other_files_are_skipped(tmp_path: Path) -> None:
    members = [
        json_member("contact.json"),
        Member("__MACOSX/", b""),
        Member("__MACOSX/._contact.json", b"\x00\x05\x16\x07"),
        Member("._note.json", b"\x00\x05\x16\x07"),
        Member(".DS_Store", b"Bud1"),
        Member("photos/Thumbs.db", b"x"),
        Member("old-export.zip", b"PK"),
        Member("readme.txt", b"hi"),
        Member("photos/", b""),
        Member("nested/deeper/sms.JSON", b"{}"),
    ]
    with _open(tmp_path, members) as archive:
        assert _roles(archive) == [
            ("contact.json", "data"),
            ("__MACOSX/", "skipped"),
            ("__MACOSX/._contact.json", "skipped"),
            ("._note.json", "skipped"),
            (".DS_Store", "skipped"),
            ("photos/Thumbs.db", "skipped"),
            ("old-export.zip", "skipped"),
            ("readme.txt", "skipped"),
            ("photos/", "skipped"),
            ("nested/deeper/sms.JSON", "data"),
        ]
        infos = [f for f in archive.findings if f.code == "archive.unexpected-file"]
        assert [f.file for f in infos] == [
            "__MACOSX/._contact.json",
            "._note.json",
            ".DS_Store",
            "photos/Thumbs.db",
            "old-export.zip",
            "readme.txt",
        ]
        assert all(f.severity == "info" for f in infos)
        assert "nested archive" in infos[4].message


def test_manifest_and_signature_roles(tmp_path: Path) -> None:
    members = [
        Member("manifest.json", b"{}"),
        Member("manifest.json.sig", b"c2ln"),
        json_member("contact.json"),
        json_member("sub/manifest.json"),
    ]
    with _open(tmp_path, members) as archive:
        assert _roles(archive) == [
            ("manifest.json", "manifest"),
            ("manifest.json.sig", "signature"),
            ("contact.json", "data"),
            ("sub/manifest.json", "data"),
        ]
        assert archive.read_entry_bytes(archive.entries[1], 100) == b"c2ln"


def test_one_top_folder_is_the_root_when_it_holds_the_manifest(tmp_path: Path) -> None:
    members = [
        Member("export/", b""),
        Member("export/manifest.json", b"{}"),
        Member("export/manifest.json.sig", b"c2ln"),
        json_member("export/contact.json"),
        json_member("export/sms/sms-2.json"),
        Member("__MACOSX/export/._contact.json", b"x"),
        json_member("elsewhere.json"),
    ]
    with _open(tmp_path, members) as archive:
        assert _roles(archive) == [
            ("export/", "skipped"),
            ("manifest.json", "manifest"),
            ("manifest.json.sig", "signature"),
            ("contact.json", "data"),
            ("sms/sms-2.json", "data"),
            ("__MACOSX/export/._contact.json", "skipped"),
            ("elsewhere.json", "skipped"),
        ]
        assert "outside the archive root" in archive.findings[-2].message


def test_without_a_manifest_the_container_root_is_the_root(tmp_path: Path) -> None:
    with _open(tmp_path, [json_member("export/contact.json")]) as archive:
        assert _roles(archive) == [("export/contact.json", "data")]


def test_data_entries_reading_order(tmp_path: Path) -> None:
    names = ["sms-2.json", "note.json", "sms.json", "a/b.json", "sms-10.json", "contact.json"]
    with _open(tmp_path, [json_member(n) for n in names]) as archive:
        assert [e.path for e in archive.data_entries()] == [
            "a/b.json",
            "contact.json",
            "note.json",
            "sms.json",
            "sms-10.json",
            "sms-2.json",
        ]
        ordered = archive.data_entries(["sms-2.json", "gone.json", "note.json"])
        assert [e.path for e in ordered] == [
            "sms-2.json",
            "note.json",
            "a/b.json",
            "contact.json",
            "sms.json",
            "sms-10.json",
        ]


def test_long_names_work(tmp_path: Path) -> None:
    name = "x" * 295 + ".json"
    with _open(tmp_path, [json_member(name)]) as archive:
        assert _roles(archive) == [(name, "data")]


# -- directories ---------------------------------------------------------------------


def test_directory_walk_sorted_with_roles(tmp_path: Path) -> None:
    root = tmp_path / "export"
    (root / "sms").mkdir(parents=True)
    (root / "manifest.json").write_bytes(b"{}")
    (root / "sms" / "sms-2.json").write_bytes(b"{}")
    (root / "contact.json").write_bytes(b'{"contact":[]}')
    (root / ".DS_Store").write_bytes(b"Bud1")
    (root / "notes.txt").write_bytes(b"hi")
    with open_archive(root) as archive:
        assert _roles(archive) == [
            (".DS_Store", "skipped"),
            ("contact.json", "data"),
            ("manifest.json", "manifest"),
            ("notes.txt", "skipped"),
            ("sms/sms-2.json", "data"),
        ]
        assert archive.encryption == "none"
        assert [f.code for f in archive.findings] == ["archive.unexpected-file"] * 2
        assert archive.read_entry_bytes(archive.entries[1], 100) == b'{"contact":[]}'
        assert archive.entries[1].compressed_bytes is None


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_directory_symlinks_are_unsafe_and_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.json").write_bytes(b"{}")
    root = tmp_path / "export"
    root.mkdir()
    (root / "contact.json").write_bytes(b"{}")
    os.symlink(outside / "secret.json", root / "link.json")
    os.symlink(outside, root / "linked-dir")
    with open_archive(root) as archive:
        assert _roles(archive) == [
            ("contact.json", "data"),
            ("link.json", "unsafe"),
            ("linked-dir", "unsafe"),
        ]
        with pytest.raises(MemberError):
            archive.open_entry(archive.entries[1])


@pytest.mark.skipif(os.name != "posix", reason="needs byte file names")
def test_directory_gbk_file_name(tmp_path: Path) -> None:
    root = tmp_path / "export"
    root.mkdir()
    with open(os.path.join(os.fsencode(root), "联系人.json".encode("gbk")), "wb") as out:
        out.write(b"{}")
    with open_archive(root) as archive:
        assert _roles(archive) == [("联系人.json", "data")]
        assert [f.code for f in archive.findings] == ["archive.filename-encoding"]
        assert archive.read_entry_bytes(archive.entries[0], 10) == b"{}"


def test_directory_entry_limit(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"t{i}.json").write_bytes(b"{}")
    with open_archive(tmp_path, limits=Limits(max_entries=3)) as archive:
        assert [e.path for e in archive.entries] == ["t0.json", "t1.json", "t2.json"]
        assert [(f.code, f.file) for f in archive.findings] == [("archive.limits", "t3.json")]
