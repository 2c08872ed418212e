"""ZIP members: encryption, passwords, integrity, compression methods, ZIP64."""

from __future__ import annotations

import io
import itertools
import zipfile
from pathlib import Path

import pytest
import pyzipper

from archive_helpers import (
    BZIP2,
    PASSWORD,
    STORED,
    Member,
    build_zip,
    json_member,
    write,
    zipcrypto,
)
from mi_export.archive import Archive, Entry, open_archive
from mi_export.errors import MemberError, PasswordError

DATA = (
    '{"contact":[' + ",".join(f'{{"id":"{i}","n":"张三 😀"}}' for i in range(300)) + "]}"
).encode()


def _read_all(archive: Archive, entry: Entry) -> bytes:
    with archive.open_entry(entry) as stream:
        return b"".join(iter(lambda: stream.read(1000), b""))


def _password_error(path: Path, password: str | None) -> PasswordError:
    with pytest.raises(PasswordError) as caught:
        open_archive(path, password=password)
    return caught.value


@pytest.mark.parametrize("method", [STORED, 8, BZIP2])
@pytest.mark.parametrize("encryption", ["none", "zipcrypto", "aes-128", "aes-192", "aes-256"])
def test_every_encryption_and_method_reads(tmp_path: Path, encryption: str, method: int) -> None:
    member = Member("contact.json", DATA, method=method, encryption=encryption)
    path = write(tmp_path / "a.zip", build_zip([member]))
    with open_archive(path, password=PASSWORD) as archive:
        (entry,) = archive.entries
        assert entry.encryption == encryption
        assert archive.encryption == encryption
        assert (entry.bytes, entry.role) == (len(DATA), "data")
        assert _read_all(archive, entry) == DATA
        codes = [f.code for f in archive.findings]
        expected = {
            "none": ["archive.unencrypted"],
            "zipcrypto": ["archive.weak-encryption"],
        }.get(encryption, [])
        assert codes == expected


def test_mixed_archive_reads_with_one_password(tmp_path: Path) -> None:
    members = [
        Member("manifest.json", b'{"format":"mi-export"}'),
        Member("contact.json", DATA, encryption="aes-256"),
        Member("note.json", b'{"note":[]}', encryption="zipcrypto"),
    ]
    with open_archive(write(tmp_path / "m.zip", build_zip(members)), password=PASSWORD) as arc:
        assert arc.encryption == "mixed"
        assert [(e.path, e.encryption) for e in arc.entries] == [
            ("manifest.json", "none"),
            ("contact.json", "aes-256"),
            ("note.json", "zipcrypto"),
        ]
        assert [(f.code, f.file) for f in arc.findings] == [
            ("archive.weak-encryption", "note.json")
        ]
        assert arc.read_entry_bytes(arc.entries[0], 1000) == b'{"format":"mi-export"}'
        assert _read_all(arc, arc.entries[1]) == DATA
        assert _read_all(arc, arc.entries[2]) == b'{"note":[]}'


@pytest.mark.parametrize(
    ("encryptions", "named"),
    [
        (["aes-256"], "(AES-256)"),
        (["zipcrypto"], "(ZipCrypto)"),
        (["aes-256", "zipcrypto", "none"], "(AES-256 and ZipCrypto)"),
    ],
)
def test_no_password_is_password_required_naming_the_encryption(
    tmp_path: Path, encryptions: list[str], named: str
) -> None:
    members = [json_member(f"t{i}.json", encryption=e) for i, e in enumerate(encryptions)]
    err = _password_error(write(tmp_path / "a.zip", build_zip(members)), None)
    assert err.code == "archive.password-required"
    assert named in err.message
    assert "compression" not in err.message


def test_encrypted_clutter_alone_needs_no_password(tmp_path: Path) -> None:
    members = [json_member("contact.json"), Member("readme.txt", b"hi", encryption="aes-256")]
    with open_archive(write(tmp_path / "a.zip", build_zip(members))) as archive:
        assert archive.encryption == "aes-256"
        assert [e.role for e in archive.entries] == ["data", "skipped"]


@pytest.mark.parametrize("encryption", ["aes-256", "zipcrypto"])
def test_wrong_password(tmp_path: Path, encryption: str) -> None:
    members = [json_member(f"t{i}.json", encryption=encryption) for i in range(3)]
    path = write(tmp_path / "a.zip", build_zip(members))
    assert _password_error(path, "not-it").code == "archive.wrong-password"


@pytest.mark.parametrize("method", [STORED, 8])
def test_zipcrypto_password_passing_the_check_byte_is_still_wrong(
    tmp_path: Path, method: int
) -> None:
    member = Member("contact.json", DATA, method=method, encryption="zipcrypto")
    data = build_zip([member])
    header = data[30 + len("contact.json") :][:12]
    check = zipcrypto(PASSWORD.encode(), header, decrypt=True)[11]
    for n in itertools.count():
        candidate = f"wrong-{n}"
        if zipcrypto(candidate.encode(), header, decrypt=True)[11] == check:
            break
    err = _password_error(write(tmp_path / "a.zip", data), candidate)
    assert err.code == "archive.wrong-password"
    assert candidate not in str(err)


def _flip_mac(body: bytes) -> bytes:
    return body[:-1] + bytes([body[-1] ^ 0xFF])


def test_only_member_failing_its_hmac_is_wrong_password(tmp_path: Path) -> None:
    member = Member("contact.json", DATA, encryption="aes-256", tamper=_flip_mac)
    err = _password_error(write(tmp_path / "a.zip", build_zip([member])), PASSWORD)
    assert err.code == "archive.wrong-password"
    assert "damaged" in err.message


def test_damaged_local_header_is_integrity_not_wrong_password(tmp_path: Path) -> None:
    data = bytearray(build_zip([json_member("a.json", encryption="aes-256")]))
    data[30:35] = b"x.jso"  # the local header now names another file
    with open_archive(write(tmp_path / "a.zip", bytes(data)), password=PASSWORD) as archive:
        with pytest.raises(MemberError) as caught:
            archive.open_entry(archive.entries[0])
        assert caught.value.code == "archive.integrity"
        assert "local header" in caught.value.message


def _zero_middle(body: bytes) -> bytes:
    middle = len(body) // 2
    return body[: middle - 512] + bytes(1024) + body[middle + 512 :]


@pytest.mark.parametrize("encryption", ["aes-256", "zipcrypto", "none"])
@pytest.mark.parametrize("method", [STORED, 8])
def test_damaged_member_is_integrity_and_the_others_still_read(
    tmp_path: Path, encryption: str, method: int
) -> None:
    big = DATA * 4
    members = [
        json_member("a.json", encryption=encryption),
        Member("b.json", big, method=method, encryption=encryption, tamper=_zero_middle),
        json_member("c.json", encryption=encryption),
    ]
    path = write(tmp_path / "a.zip", build_zip(members))
    with open_archive(path, password=PASSWORD) as archive:
        a, b, c = archive.data_entries()
        with pytest.raises(MemberError) as caught:
            _read_all(archive, b)
        assert caught.value.code == "archive.integrity"
        assert caught.value.member == "b.json"
        assert _read_all(archive, a).startswith(b'{"contact"')
        assert _read_all(archive, c).startswith(b'{"contact"')


def test_member_with_another_password_is_integrity(tmp_path: Path) -> None:
    members = [
        json_member("a.json", encryption="aes-256"),
        json_member("b.json", encryption="aes-256", password="other", records=200),
    ]
    with open_archive(write(tmp_path / "a.zip", build_zip(members)), password=PASSWORD) as arc:
        with pytest.raises(MemberError) as caught:
            arc.open_entry(arc.entries[1])
        assert caught.value.code == "archive.integrity"
        assert "password" in caught.value.message


def test_errors_repeat_and_stream_stays_broken(tmp_path: Path) -> None:
    member = Member("b.json", DATA * 4, tamper=_zero_middle)
    path = write(tmp_path / "a.zip", build_zip([member]))
    with open_archive(path) as archive, archive.open_entry(archive.entries[0]) as stream:
        with pytest.raises(MemberError):
            while stream.read(4096):
                pass
        with pytest.raises(MemberError):
            stream.read(1)


def test_password_never_shows(tmp_path: Path) -> None:
    secret = "sëcret-Π-42"
    members = [Member("a.json", DATA, encryption="zipcrypto", password=secret)]
    path = write(tmp_path / "a.zip", build_zip(members, password=secret))
    with open_archive(path, password=secret) as archive:
        shown = repr(archive) + repr(vars(archive)) + repr(archive.findings)
        assert secret not in shown and secret.encode() not in shown.encode()
    for wrong in ("zq-Π-77", "zq-Π-78".encode()):
        with pytest.raises(PasswordError) as caught:
            open_archive(path, password=wrong)
        text = str(caught.value) + repr(caught.value) + repr(caught.value.__dict__)
        assert "zq" not in text


def test_member_cut_short_is_integrity(tmp_path: Path) -> None:
    members = [Member("a.json", DATA, method=STORED, tamper=lambda body: body[:-100])]
    with open_archive(write(tmp_path / "a.zip", build_zip(members))) as archive:
        with pytest.raises(MemberError) as caught:
            _read_all(archive, archive.entries[0])
        assert caught.value.code == "archive.integrity"
        assert "cut short" in caught.value.message


@pytest.mark.parametrize("encryption", ["none", "aes-256"])
def test_declared_size_larger_than_data_is_cut_short(tmp_path: Path, encryption: str) -> None:
    # pyzipper hands out the shorter AE-2 member without complaint (its CRC is 0).
    members = [
        Member("a.json", DATA, encryption=encryption, declared_size=len(DATA) + 10),
        json_member("b.json", encryption=encryption),
    ]
    path = write(tmp_path / "a.zip", build_zip(members))
    with open_archive(path, password=PASSWORD) as archive:
        with pytest.raises(MemberError, match="cut short") as caught:
            _read_all(archive, archive.entries[0])
        assert caught.value.code == "archive.integrity"


@pytest.mark.parametrize(
    ("member", "words"),
    [
        (Member("a.json", b"{}", method=9), "Deflate64"),
        (Member("a.json", b"{}", method=14), "LZMA"),
    ],
)
def test_unsupported_method_is_listed_not_read(tmp_path: Path, member: Member, words: str) -> None:
    with open_archive(write(tmp_path / "a.zip", build_zip([member]))) as archive:
        (entry,) = archive.entries
        assert entry.role == "skipped"
        (finding,) = [f for f in archive.findings if f.code == "archive.unsupported"]
        assert words in finding.message and finding.file == "a.json"
        with pytest.raises(MemberError) as caught:
            archive.open_entry(entry)
        assert caught.value.code == "archive.unsupported"


def test_aes_without_its_extra_field_is_unsupported(tmp_path: Path) -> None:
    data = bytearray(build_zip([json_member("a.json", encryption="aes-256")]))
    for start in range(len(data)):  # break the 0x9901 tag in both headers
        if data[start : start + 2] == b"\x01\x99":
            data[start : start + 2] = b"\x02\x99"
    with open_archive(write(tmp_path / "a.zip", bytes(data))) as archive:
        assert archive.entries[0].encryption == "unknown"
        assert [f.code for f in archive.findings] == ["archive.unsupported"]


def test_data_descriptor_and_zipcrypto_time_check(tmp_path: Path) -> None:
    members = [Member("a.json", DATA, encryption="zipcrypto", descriptor=True)]
    path = write(tmp_path / "a.zip", build_zip(members))
    with open_archive(path, password=PASSWORD) as archive:
        assert _read_all(archive, archive.entries[0]) == DATA


def test_zip64_records_written_by_the_builder(tmp_path: Path) -> None:
    members = [Member("a.json", DATA), Member("b.json", DATA, encryption="aes-256")]
    data = build_zip(members, zip64=True)
    assert b"PK\x06\x06" in data
    with open_archive(write(tmp_path / "a.zip", data), password=PASSWORD) as archive:
        assert [e.bytes for e in archive.entries] == [len(DATA), len(DATA)]
        assert all(_read_all(archive, e) == DATA for e in archive.entries)


def test_zip64_forced_by_zipfile(tmp_path: Path) -> None:
    path = tmp_path / "z64.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        with zf.open("contact.json", "w", force_zip64=True) as out:
            out.write(DATA)
        zf.writestr("note.json", b'{"note":[]}')
    with open_archive(path) as archive:
        assert _read_all(archive, archive.entries[0]) == DATA
        assert _read_all(archive, archive.entries[1]) == b'{"note":[]}'


def test_prefix_and_comment_are_tolerated(tmp_path: Path) -> None:
    data = build_zip([json_member("a.json")], comment=b"PK\x05\x06 in a comment")
    with open_archive(write(tmp_path / "a.zip", data)) as archive:
        assert _read_all(archive, archive.entries[0]).startswith(b'{"contact"')


def test_builder_output_reads_with_zipfile_and_pyzipper() -> None:
    plain = build_zip([Member("a.json", DATA), Member("b.json", DATA, method=BZIP2)])
    assert zipfile.ZipFile(io.BytesIO(plain)).testzip() is None
    aes = build_zip([Member("a.json", DATA, encryption="aes-256")])
    with pyzipper.AESZipFile(io.BytesIO(aes)) as zf:
        assert zf.read("a.json", pwd=PASSWORD.encode()) == DATA
    crypto = build_zip([Member("a.json", DATA, encryption="zipcrypto")])
    assert zipfile.ZipFile(io.BytesIO(crypto)).read("a.json", pwd=PASSWORD.encode()) == DATA


def test_archives_written_by_pyzipper_and_zipfile(tmp_path: Path) -> None:
    aes_path = tmp_path / "aes.zip"
    with pyzipper.AESZipFile(
        aes_path, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES
    ) as zf:
        zf.setpassword(PASSWORD.encode())
        zf.writestr("contact.json", DATA)
        zf.writestr("manifest.json", b"{}")
    with open_archive(aes_path, password=PASSWORD) as archive:
        assert archive.encryption == "aes-256"
        assert _read_all(archive, archive.data_entries()[0]) == DATA
    plain_path = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain_path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("export/contact.json", DATA)
        zf.writestr("export/manifest.json", b"{}")
    with open_archive(plain_path) as archive:
        assert [(e.path, e.role) for e in archive.entries] == [
            ("contact.json", "data"),
            ("manifest.json", "manifest"),
        ]


def test_read_entry_bytes_refuses_big_members(tmp_path: Path) -> None:
    with open_archive(write(tmp_path / "a.zip", build_zip([Member("manifest.json", DATA)]))) as a:
        with pytest.raises(MemberError) as caught:
            a.read_entry_bytes(a.entries[0], 100)
        assert caught.value.code == "archive.limits"
        assert a.read_entry_bytes(a.entries[0], len(DATA)) == DATA
