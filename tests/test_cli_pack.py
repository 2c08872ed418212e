"""`mi-export pack`: inputs, password rules, signing, refusals and exit codes."""

from __future__ import annotations

import io
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import pyzipper

from mi_export import _zipout
from mi_export.manifest import parse_manifest
from mi_export.signing import load_public_key, verify_manifest
from mi_export_validator.cli import _pack_run, main

CLOCK = 1764633600000


def _sms(i: int) -> dict[str, Any]:
    return {
        "id": str(10**17 + i),
        "content": {
            "address": "+8613800138000",
            "body": f"第{i}条 😀",
            "folder": "1",
            "localTime": CLOCK,
            "threadId": "12345678901234567",
        },
        "creator": "user",
        "deleted": i % 3 == 0,
        "lastUpdateTime": CLOCK,
    }


def _read(path: Path, password: bytes | None) -> dict[str, bytes]:
    with pyzipper.AESZipFile(path) as zf:
        if password is not None:
            zf.setpassword(password)
        return {name: zf.read(name) for name in zf.namelist()}


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    data = tmp_path / "in"
    data.mkdir()
    doc = {"sms": [_sms(i) for i in range(3)], "contact": []}
    (data / "export.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    lines = "".join(json.dumps(_sms(i)) + "\n" for i in range(3, 6))
    (data / "sms-2.jsonl").write_text(lines + "\n", encoding="utf-8")
    (data / "pw.txt").write_text("s3cret 密码\r\nsecond line\n", encoding="utf-8")
    return data


@pytest.fixture(autouse=True)
def _no_env_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MI_EXPORT_PASSWORD", raising=False)
    monkeypatch.delenv("MI_EXPORT_KEY_PASSPHRASE", raising=False)


def test_pack_json_and_jsonl_with_password_file(inputs: Path, capsys: Any) -> None:
    out = inputs.parent / "out.zip"
    code = main(
        [
            "pack",
            str(inputs / "export.json"),
            str(inputs / "sms-2.jsonl"),
            "-o",
            str(out),
            "--password-file",
            str(inputs / "pw.txt"),
            "--request-type",
            "backup",
            "--requested-at",
            "2025-12-01T00:00:00Z",
        ]
    )
    assert code == 0
    members = _read(out, "s3cret 密码".encode())
    assert list(members) == ["sms.json", "contact.json", "sms-2.json", "manifest.json"]
    records = json.loads(members["sms.json"])["sms"] + json.loads(members["sms-2.json"])["sms"]
    assert records == [_sms(i) for i in range(6)]
    manifest, findings = parse_manifest(members["manifest.json"])
    assert findings == [] and manifest is not None
    assert manifest.request_type == "backup" and manifest.requested_at == CLOCK - 86400000
    out_text = capsys.readouterr()
    assert "s3cret" not in out_text.out + out_text.err
    assert "2 tables, 6 records" in out_text.out


def test_directory_input_skips_manifest_and_others(inputs: Path) -> None:
    (inputs / "manifest.json").write_text("{}", encoding="utf-8")
    (inputs / "notes.txt").write_text("ignored", encoding="utf-8")
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs), "-o", str(out), "--no-encryption"]) == 0
    assert list(_read(out, None)) == ["sms.json", "contact.json", "sms-2.json", "manifest.json"]


def test_jsonl_table_option(inputs: Path) -> None:
    out = inputs.parent / "out.zip"
    argv = ["pack", str(inputs / "sms-2.jsonl"), "-o", str(out), "--no-encryption"]
    assert main([*argv, "--table", "nosuchTable"]) == 1  # the option names the table...
    assert main([*argv, "--table", "contact"]) == 1  # ...sms records are not contacts...
    assert not out.exists()
    assert main(argv) == 0  # ...and without it the stem "sms-2" means table sms
    assert list(_read(out, None)) == ["sms.json", "manifest.json"]


def test_no_password_refused_with_exit_2(inputs: Path, capsys: Any) -> None:
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs / "export.json"), "-o", str(out)]) == 2
    assert "no password" in capsys.readouterr().err
    assert not out.exists()


def test_password_from_environment(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MI_EXPORT_PASSWORD", "from-env")
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs / "export.json"), "-o", str(out)]) == 0
    assert "sms.json" in _read(out, b"from-env")


@pytest.mark.parametrize(
    "options",
    [
        ["--no-encryption", "--generate-password"],
        ["--password-file", "PW", "--no-encryption"],
        ["--password-file", "missing.txt"],
        ["--split-bytes", "0"],
        ["--split-bytes", "lots"],
        ["--requested-at", "yesterday"],
        ["--no-encryption", "--sign-key", "KEY"],
    ],
)
def test_usage_errors_exit_2(inputs: Path, options: list[str]) -> None:
    (inputs / "bad.key").write_bytes(b"not a key")
    options = [
        str(inputs / "pw.txt") if o == "PW" else str(inputs / "bad.key") if o == "KEY" else o
        for o in options
    ]
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs / "export.json"), "-o", str(out), *options]) == 2
    assert not out.exists()


def test_generate_password_and_signature(inputs: Path, capsys: Any) -> None:
    assert main(["keygen", str(inputs.parent / "signer")]) == 0
    out = inputs.parent / "out.zip"
    code = main(
        [
            "pack",
            str(inputs / "export.json"),
            "-o",
            str(out),
            "--generate-password",
            "--sign-key",
            str(inputs.parent / "signer.key"),
        ]
    )
    assert code == 0
    password_file = inputs.parent / "out.password"
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    password = password_file.read_text(encoding="utf-8").rstrip("\n")
    assert len(password) == 34 and password.count("-") == 6
    assert password not in capsys.readouterr().out
    members = _read(out, password.encode())
    public = load_public_key((inputs.parent / "signer.pub").read_bytes())
    assert verify_manifest(members["manifest.json"], members["manifest.json.sig"], public)


@pytest.mark.parametrize("overwrite", [False, True])
@pytest.mark.parametrize("when", ["right after the rename", "while the folder is synced"])
def test_an_interrupt_after_the_archive_is_in_place_keeps_it_and_its_password(
    inputs: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch, overwrite: bool, when: str
) -> None:
    def interrupted(*args: Any) -> None:
        raise KeyboardInterrupt

    if when == "while the folder is synced":
        monkeypatch.setattr(_zipout, "_fsync_dir", interrupted)
    else:
        name = "replace" if overwrite else "link"
        real = getattr(os, name)

        def renamed_then_interrupted(*args: Any) -> None:
            real(*args)
            raise KeyboardInterrupt

        monkeypatch.setattr(_zipout.os, name, renamed_then_interrupted)
    out = inputs.parent / "out.zip"
    argv = ["pack", str(inputs / "export.json"), "-o", str(out), "--generate-password"]
    assert main(argv + (["--overwrite"] if overwrite else [])) == 130
    assert "was complete: it is kept" in capsys.readouterr().err
    password = (inputs.parent / "out.password").read_text(encoding="utf-8").rstrip("\n")
    assert json.loads(_read(out, password.encode())["manifest.json"])["files"]
    assert not list(inputs.parent.glob(".out.zip.*.tmp"))


def test_a_password_file_that_cannot_be_written_is_not_left_empty(
    inputs: Path, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    class FullDisk(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    real_fdopen = os.fdopen
    monkeypatch.setattr(_pack_run.os, "fdopen", lambda fd, *a, **k: (os.close(fd), FullDisk())[1])
    out = inputs.parent / "out.zip"
    argv = ["pack", str(inputs / "export.json"), "-o", str(out), "--generate-password"]
    assert main(argv) != 0
    assert "No space left" in capsys.readouterr().err
    assert not (inputs.parent / "out.password").exists() and not out.exists()
    monkeypatch.setattr(_pack_run.os, "fdopen", real_fdopen)
    assert main(argv) == 0  # the next run is not refused


def test_a_failed_overwrite_keeps_the_old_archive_and_its_password(
    inputs: Path, capsys: Any
) -> None:
    out = inputs.parent / "out.zip"
    argv = ["-o", str(out), "--generate-password", "--overwrite"]
    assert main(["pack", str(inputs / "export.json"), *argv]) == 0
    password = (inputs.parent / "out.password").read_text(encoding="utf-8").rstrip("\n")
    (inputs / "bad.json").write_text('{"sms": [{"id": "1"}]}', encoding="utf-8")
    assert main(["pack", str(inputs / "bad.json"), *argv]) == 1
    assert (inputs.parent / "out.password").read_text(encoding="utf-8").rstrip("\n") == password
    assert "manifest.json" in _read(out, password.encode())
    assert not list(inputs.parent.glob(".out.*.tmp"))


def test_encrypted_sign_key_passphrase(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MI_EXPORT_KEY_PASSPHRASE", "key pass")
    assert main(["keygen", str(inputs.parent / "signer")]) == 0
    base = ["pack", str(inputs / "export.json"), "--no-encryption"]
    key = ["--sign-key", str(inputs.parent / "signer.key")]
    assert main([*base, "-o", str(inputs.parent / "a.zip"), *key]) == 0
    monkeypatch.delenv("MI_EXPORT_KEY_PASSPHRASE")
    assert main([*base, "-o", str(inputs.parent / "b.zip"), *key]) == 2
    (inputs / "kp.txt").write_text("key pass\n", encoding="utf-8")
    argv = [*base, "-o", str(inputs.parent / "c.zip"), *key]
    assert main([*argv, "--key-passphrase-file", str(inputs / "kp.txt")]) == 0


def test_invalid_records_exit_1_with_locations_not_values(inputs: Path, capsys: Any) -> None:
    bad = inputs / "bad.json"
    secret_value = "very-private-value"
    doc = {"sms": [_sms(0), [secret_value], _sms(2), secret_value]}
    bad.write_text(json.dumps(doc), encoding="utf-8")
    out = inputs.parent / "out.zip"
    assert main(["pack", str(bad), "-o", str(out), "--no-encryption"]) == 1
    err = capsys.readouterr().err
    assert "table sms, record 1: record.type at /sms/1" in err
    assert "record 3: record.type at /sms/3" in err
    assert secret_value not in err
    assert "no archive written" in err
    assert list(inputs.parent.glob("*.zip")) == [] and not list(inputs.parent.glob(".*.tmp"))


def test_refused_records_far_into_a_large_table_are_located(inputs: Path, capsys: Any) -> None:
    """Records go to the writer in groups: each refusal still names its own record."""
    records: list[Any] = [_sms(i) for i in range(10_000)]
    for at in (0, 4095, 4096, 9_999):
        records[at] = {**records[at], "deleted": "no"}
    (inputs / "big.json").write_text(json.dumps({"sms": records}), encoding="utf-8")
    lines = "".join(json.dumps(r) + "\n" for r in records[:5000])
    (inputs / "big.jsonl").write_text(lines, encoding="utf-8")
    out = inputs.parent / "out.zip"
    argv = ["pack", str(inputs / "big.json"), str(inputs / "big.jsonl"), "--table", "sms"]
    assert main([*argv, "-o", str(out), "--no-encryption"]) == 1
    err = capsys.readouterr().err.splitlines()
    refused = [line.split(": ", 2)[2] for line in err if "field.type" in line]
    message = "field.type at {}/deleted: expected a boolean (true or false)"
    assert refused == [
        f"table sms, record {at}: " + message.format(f"/sms/{at}") for at in (0, 4095, 4096, 9_999)
    ] + [f"table sms, line {at + 1}: " + message.format("") for at in (0, 4095, 4096)]
    assert not out.exists()


def test_problems_are_reported_in_reading_order(inputs: Path, capsys: Any) -> None:
    """Refused records and syntax errors interleave as read; the first 20 are shown."""
    bad = {**_sms(0), "deleted": "no"}
    lines = [json.dumps(bad)] * 15 + ["{oops}"] * 15
    (inputs / "mixed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["pack", str(inputs / "mixed.jsonl"), "--table", "sms", "--no-encryption"]
    assert main([*argv, "-o", str(inputs.parent / "out.zip")]) == 1
    err = capsys.readouterr().err
    shown = [int(n) for n in re.findall(r"mixed\.jsonl(?::|: table sms, line )(\d+)", err)]
    assert shown == list(range(1, 21))


def test_malformed_inputs_exit_1(inputs: Path, capsys: Any) -> None:
    (inputs / "cut.json").write_text('{"sms": [{"id": "1"', encoding="utf-8")
    (inputs / "bad.jsonl").write_text('{"id": "1"}\n{oops}\n', encoding="utf-8")
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs / "cut.json"), "-o", str(out), "--no-encryption"]) == 1
    assert "json.truncated" in capsys.readouterr().err
    argv = ["pack", str(inputs / "bad.jsonl"), "-o", str(out), "--no-encryption"]
    assert main([*argv, "--table", "sms"]) == 1
    assert "bad.jsonl:2:2: table sms, json.syntax" in capsys.readouterr().err
    assert not out.exists()


def test_unknown_table_exit_1(inputs: Path, capsys: Any) -> None:
    (inputs / "leak.json").write_text('{"userProfile": []}', encoding="utf-8")
    out = inputs.parent / "out.zip"
    assert main(["pack", str(inputs / "leak.json"), "-o", str(out), "--no-encryption"]) == 1
    assert "must never be exported" in capsys.readouterr().err


def test_overwrite_refused_without_option(inputs: Path) -> None:
    out = inputs.parent / "out.zip"
    out.write_bytes(b"old")
    argv = ["pack", str(inputs / "export.json"), "-o", str(out), "--no-encryption"]
    assert main(argv) == 2
    assert out.read_bytes() == b"old"
    assert main([*argv, "--overwrite"]) == 0
    assert "sms.json" in _read(out, None)


def test_split_bytes_option(inputs: Path) -> None:
    out = inputs.parent / "out.zip"
    argv = ["pack", str(inputs / "export.json"), "-o", str(out), "--no-encryption"]
    assert main([*argv, "--split-bytes", "600"]) == 0
    assert [n for n in _read(out, None) if n.startswith("sms")] == ["sms.json", "sms-2.json"]


def test_password_file_permissions_follow_generation(inputs: Path) -> None:
    out = inputs.parent / "out.zip"
    (inputs.parent / "out.password").write_text("old\n", encoding="utf-8")
    argv = ["pack", str(inputs / "export.json"), "-o", str(out), "--generate-password"]
    assert main(argv) == 2  # an existing password file is not replaced silently
    assert main([*argv, "--overwrite"]) == 0
    assert (inputs.parent / "out.password").read_text(encoding="utf-8") != "old\n"
    assert os.stat(out).st_mode & 0o077 == 0


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("exists", "exists (use --overwrite"),
        ("no-folder", "output folder"),
        ("is-input", "is also an input"),
    ],
)
def test_output_problems_are_usage_errors_in_cli_words(
    tmp_path: Path, case: str, message: str
) -> None:
    from click.testing import CliRunner

    from mi_export_validator.cli import cli

    source = tmp_path / "contact.json"
    source.write_text('{"contact": []}', encoding="utf-8")
    (tmp_path / "pw").write_text("pw\n", encoding="utf-8")
    output = {
        "exists": tmp_path / "out.zip",
        "no-folder": tmp_path / "none" / "x.zip",
        "is-input": source,
    }[case]
    if case == "exists":
        output.write_bytes(b"old")
    args = ["pack", str(source), "-o", str(output), "--password-file", str(tmp_path / "pw")]
    if case == "is-input":
        args.append("--overwrite")
    result = CliRunner().invoke(cli, args, standalone_mode=False)
    assert result.return_value == 2
    assert message in result.output and "overwrite=True" not in result.output
    assert source.read_text(encoding="utf-8") == '{"contact": []}'
