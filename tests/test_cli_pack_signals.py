"""Killing `mi-export pack` mid-way leaves nothing under the output name."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The child restores Python's SIGINT handler: a parent that runs in the background
# (CI) may pass SIGINT down as ignored.
_CHILD = (
    "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "from mi_export_validator.cli import main; sys.exit(main(sys.argv[1:]))"
)


@pytest.fixture(scope="module")
def big_input(tmp_path_factory: pytest.TempPathFactory) -> Path:
    record = {
        "id": "ID",
        "content": {
            "address": "+8613800138000",
            "body": "一条很长的短信 😀 " * 8,
            "folder": "0",
            "localTime": 1764633600000,
            "threadId": "12345678901234567",
        },
        "creator": "user",
        "deleted": False,
        "lastUpdateTime": 1764633600000,
    }
    head, tail = json.dumps(record, ensure_ascii=False).split('"ID"')
    path = tmp_path_factory.mktemp("big") / "sms.jsonl"
    with path.open("w", encoding="utf-8") as stream:
        for i in range(150_000):  # about 40 MB: several seconds of packing
            stream.write(f'{head}"{10**17 + i}"{tail}\n')
    return path


def _temp_files(directory: Path) -> list[Path]:
    return list(directory.glob(".out.zip.*.tmp"))


def _start_and_wait_for_data(big_input: Path, out: Path) -> subprocess.Popen[bytes]:
    argv = [sys.executable, "-c", _CHILD, "pack", str(big_input), "-o", str(out)]
    process = subprocess.Popen(
        [*argv, "--no-encryption"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        temps = _temp_files(out.parent)
        if temps and temps[0].stat().st_size > 16 << 10:  # records are being written
            return process
        if process.poll() is not None:
            process.communicate()
            pytest.fail("pack ended before it could be interrupted")
        time.sleep(0.01)
    process.kill()
    process.communicate()
    pytest.fail("pack did not start writing within 60 s")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_removes_everything(
    big_input: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    out = tmp_path / "out.zip"
    process = _start_and_wait_for_data(big_input, out)
    process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert b"interrupted" in err
    assert not out.exists()
    assert _temp_files(tmp_path) == []


def test_sigkill_leaves_nothing_under_the_final_name(big_input: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.zip"
    process = _start_and_wait_for_data(big_input, out)
    process.kill()
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert not out.exists()
    # Nothing can clean up after SIGKILL: only the hidden temporary file remains.
    assert [p.name.startswith(".") for p in tmp_path.iterdir()] == [True]
