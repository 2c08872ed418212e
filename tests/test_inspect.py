"""`mi-export inspect` and the SDK inventory behind it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mi_export.errors import ArchiveError
from mi_export.inventory import take_inventory
from mi_export.signing import generate_keypair
from mi_export_validator.cli import cli

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLE = FIXTURES / "sample-export.zip"
PASSWORD = (FIXTURES / "sample-export.password").read_text(encoding="utf-8").splitlines()[0]
KEY = (FIXTURES / "sample-signing.pub").read_bytes()


def test_counts_agree_with_the_manifest_and_times_are_found() -> None:
    inv = take_inventory(SAMPLE, password=PASSWORD, trust_key=KEY)
    assert inv.kind == "zip" and inv.encryption == "aes-256" and inv.signature == "valid"
    assert len(inv.tables) == 19 and inv.problems == []
    for table in inv.tables:
        assert table.records == table.manifest_records, table.name
    sms = next(t for t in inv.tables if t.name == "sms")
    assert sms.files == ["sms.json", "sms-2.json"]
    assert sms.first_time is not None and sms.last_time is not None
    assert sms.first_time <= sms.last_time


def test_manifest_only_reads_no_data_and_other_key_is_invalid() -> None:
    _, other = generate_keypair(None)
    inv = take_inventory(SAMPLE, password=PASSWORD, trust_key=other, scan=False)
    assert inv.signature == "invalid" and not inv.scanned
    assert all(t.records is None and t.manifest_records for t in inv.tables)


def test_wrong_password_raises() -> None:
    with pytest.raises(ArchiveError) as caught:
        take_inventory(SAMPLE, password="nope")
    assert caught.value.code == "archive.wrong-password"


def test_cli_text_json_and_exit_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"MI_EXPORT_PASSWORD": PASSWORD}
    text = runner.invoke(cli, ["inspect", str(SAMPLE)], env=env, standalone_mode=False)
    assert text.return_value == 0 and "sms-2.json" in text.output and PASSWORD not in text.output
    out = runner.invoke(
        cli, ["inspect", str(SAMPLE), "--format", "json"], env=env, standalone_mode=False
    )
    body = json.loads(out.output)
    assert body["signature"].startswith("present") and body["manifest"]["requestType"]
    missing = runner.invoke(cli, ["inspect", str(tmp_path / "none.zip")], standalone_mode=False)
    assert missing.return_value == 3
