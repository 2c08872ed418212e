"""`mi-export keygen`: file modes, passphrases, refusal to overwrite."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mi_export.signing import load_private_key, load_public_key
from mi_export_validator.cli import main


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MI_EXPORT_KEY_PASSPHRASE", raising=False)


def test_keygen_writes_pair_with_modes(tmp_path: Path) -> None:
    assert main(["keygen", str(tmp_path / "k")]) == 0
    private, public = tmp_path / "k.key", tmp_path / "k.pub"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert stat.S_IMODE(public.stat().st_mode) == 0o644
    key = load_private_key(private.read_bytes(), None)
    assert load_public_key(public.read_bytes()) == key.public_key()


def test_keygen_refuses_to_overwrite(tmp_path: Path) -> None:
    assert main(["keygen", str(tmp_path / "k")]) == 0
    before = (tmp_path / "k.key").read_bytes()
    assert main(["keygen", str(tmp_path / "k")]) == 2
    assert (tmp_path / "k.key").read_bytes() == before
    (tmp_path / "k.key").chmod(0o644)
    assert main(["keygen", str(tmp_path / "k"), "--force"]) == 0
    assert (tmp_path / "k.key").read_bytes() != before
    assert stat.S_IMODE((tmp_path / "k.key").stat().st_mode) == 0o600


def test_keygen_passphrase_from_file_or_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pass").write_text("phrase one\n", encoding="utf-8")
    assert main(["keygen", str(tmp_path / "a"), "--passphrase-file", str(tmp_path / "pass")]) == 0
    load_private_key((tmp_path / "a.key").read_bytes(), b"phrase one")
    monkeypatch.setenv("MI_EXPORT_KEY_PASSPHRASE", "phrase two")
    assert main(["keygen", str(tmp_path / "b")]) == 0
    load_private_key((tmp_path / "b.key").read_bytes(), b"phrase two")


def test_keygen_unreadable_passphrase_file(tmp_path: Path) -> None:
    argv = ["keygen", str(tmp_path / "a"), "--passphrase-file", str(tmp_path / "none")]
    assert main(argv) == 2
    assert not (tmp_path / "a.key").exists()


def test_keygen_creates_the_parent_folder(tmp_path: Path) -> None:
    """`mi-export keygen out/signing` works when out/ does not exist yet (README)."""
    from click.testing import CliRunner

    from mi_export_validator.cli import cli

    result = CliRunner().invoke(
        cli, ["keygen", str(tmp_path / "new" / "signing")], standalone_mode=False
    )
    assert result.return_value == 0
    assert (tmp_path / "new" / "signing.key").stat().st_mode & 0o777 == 0o600
