"""The real `mi-export validate` command: exit codes, reports, passwords, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from mi_export.writer import ArchiveWriter
from mi_export_validator.report_schema import report_schema

SMS = {
    "id": "1",
    "content": {"address": "a", "body": "b", "folder": "0", "localTime": 0, "threadId": "2"},
    "creator": "c",
    "deleted": False,
    "lastUpdateTime": 1764633600000,
}


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "MI_EXPORT_PASSWORD"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "mi_export_validator", "validate", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture()
def archive(tmp_path: Path) -> Path:
    path = tmp_path / "export.zip"
    with ArchiveWriter(path, password="s3cret-pw") as writer:
        writer.write_table("sms", [SMS])
    (tmp_path / "pw").write_text("s3cret-pw\n", encoding="utf-8")
    return path


def test_valid_archive_with_password_file(archive: Path) -> None:
    result = run(str(archive), "--password-file", str(archive.parent / "pw"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "VALID" in result.stdout and "s3cret" not in result.stdout + result.stderr


def test_password_from_environment_and_json_report(archive: Path) -> None:
    result = run(str(archive), "--format", "json", env={"MI_EXPORT_PASSWORD": "s3cret-pw"})
    assert result.returncode == 0
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    assert report["valid"] is True and report["stats"]["records"] == 1
    assert report["archive"]["encryption"] == "aes-256"


@pytest.mark.parametrize(
    ("env", "code"),
    [({}, "archive.password-required"), ({"MI_EXPORT_PASSWORD": "nope"}, "archive.wrong-password")],
)
def test_password_problems_exit_3_with_a_json_report(
    archive: Path, env: dict[str, str], code: str
) -> None:
    result = run(str(archive), "--format", "json", env=env)
    assert result.returncode == 3
    report = json.loads(result.stdout)
    jsonschema.validate(report, report_schema())
    assert report["valid"] is False
    assert [f["code"] for f in report["findings"]] == [code]
    assert "nope" not in result.stdout + result.stderr


def test_usage_errors_exit_2(tmp_path: Path, archive: Path) -> None:
    assert run().returncode == 2
    assert run(str(archive), "--password-file", str(tmp_path / "missing")).returncode == 2
    assert run(str(archive), "--trust-key", str(tmp_path / "missing.pem")).returncode == 2
    assert run(str(archive), "--format", "xml").returncode == 2


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", 3),
        (b"<html><body>sign in</body></html>", 3),
        (os.urandom(4096), 3),
        (b'{"sms": [{"id": "1", "content": ', 1),
        (b'{"sms": [NaN]}', 1),
        (b"PK\x03\x04" + b"\x00" * 100, 3),
    ],
)
def test_broken_input_gets_an_exit_code_not_a_traceback(
    tmp_path: Path, content: bytes, code: int
) -> None:
    path = tmp_path / "export.zip"
    path.write_bytes(content)
    result = run(str(path), env={"MI_EXPORT_PASSWORD": "x"})
    assert result.returncode == code
    assert "Traceback" not in result.stdout + result.stderr


def test_batch_exit_code_is_the_worst(tmp_path: Path, archive: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"sms": [{}]}', encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text(f"{bad}\n# a comment\n", encoding="utf-8")
    env = {"MI_EXPORT_PASSWORD": "s3cret-pw"}
    result = run(str(archive), "--from-list", str(listing), "--format", "json", env=env)
    assert result.returncode == 1
    reports = json.loads(result.stdout)["reports"]
    assert [r["valid"] for r in reports] == [True, False]
    assert run(str(archive), str(tmp_path / "missing.zip"), env=env).returncode == 3


@pytest.mark.parametrize("content", [b'"hello"', b"123", b"null", b"\xef\xbb\xbf\xef\xbb\xbf{}"])
def test_a_json_file_that_is_not_an_object_of_tables_is_invalid_not_unreadable(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    result = run(str(path), "--format", "json")
    assert result.returncode == 1
    codes = {f["code"] for f in json.loads(result.stdout)["findings"]}
    assert codes & {"json.shape", "json.syntax"}
