"""Passwords: generation, password files, the common source order, Secret never shown."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from mi_export.passwords import (
    PasswordFileError,
    Secret,
    generate_password,
    password_from_sources,
    read_secret_file,
)


def test_secret_never_shows_its_value() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) and "hunter2" not in str(secret)
    assert "hunter2" not in f"{secret} {secret!r} {[secret]} {dict(a=secret)}"
    assert secret.reveal() == "hunter2" and secret.encode() == b"hunter2"
    assert secret == Secret("hunter2") and secret != Secret("other")
    assert not Secret("")


def test_generated_passwords_are_strong_and_readable() -> None:
    seen = {generate_password().reveal() for _ in range(200)}
    assert len(seen) == 200
    for password in seen:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){6}", password)
        assert not set(password) & set("01ilo")
    assert 28 * math.log2(31) >= 128  # the docstring's claim


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"simple\n", "simple"),
        (b"with spaces  \r\nsecond line\n", "with spaces  "),
        (b"no newline", "no newline"),
        ("密码 😀\n".encode(), "密码 😀"),
        (b"\xef\xbb\xbfbom first\n", "bom first"),
    ],
)
def test_password_file_first_line(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / "pw"
    path.write_bytes(content)
    assert read_secret_file(path).reveal() == expected


@pytest.mark.parametrize("content", [b"", b"\n", b"\r\nsecond\n", b"\xff\xfe p\x00w\x00"])
def test_unusable_password_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pw"
    path.write_bytes(content)
    with pytest.raises(PasswordFileError) as info:
        read_secret_file(path)
    assert str(path) in str(info.value)


def test_missing_password_file(tmp_path: Path) -> None:
    with pytest.raises(PasswordFileError, match="cannot read"):
        read_secret_file(tmp_path / "absent")


def test_source_order(tmp_path: Path) -> None:
    path = tmp_path / "pw"
    path.write_text("from-file\n", encoding="utf-8")
    env = {"MI_EXPORT_PASSWORD": "from-env", "MI_EXPORT_KEY_PASSPHRASE": "key"}
    assert password_from_sources(path, env) == Secret("from-file")
    assert password_from_sources(None, env) == Secret("from-env")
    assert password_from_sources(None, env, env_var="MI_EXPORT_KEY_PASSPHRASE") == Secret("key")
    assert password_from_sources(None, {"MI_EXPORT_PASSWORD": ""}) is None
    assert password_from_sources(None, {}) is None
