"""Batches: validate_many (in process and on a local pool), the list file, the CLI."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from mi_export.passwords import Secret
from mi_export.writer import ArchiveWriter
from mi_export_validator.batch import (
    ArchiveListError,
    BatchJob,
    BatchSummary,
    InOrder,
    _jobs,
    _local,
    crash_report,
    jobs_from_list,
    read_archive_list,
    run_job,
    validate_many,
)
from mi_export_validator.cli import main, validate_cmd
from mi_export_validator.engine import Options
from mi_export_validator.report import ArchiveInfo, Report
from test_cli_validate import SMS

PASSWORD_A = "pw-A-Zq9xv-unique"
PASSWORD_B = "pw-B-Kd3mw-unique"


def make_archive(path: Path, password: str) -> Path:
    """A small valid AES-256 archive."""
    with ArchiveWriter(path, password=password) as writer:
        writer.write_table("sms", [SMS, {**SMS, "id": "2"}])
    return path


@pytest.fixture()
def corpus(tmp_path: Path) -> dict[str, Path]:
    """Archives with two passwords, a broken JSON file, a missing path, password files."""
    (tmp_path / "pw-a").write_text(PASSWORD_A + "\n", encoding="utf-8")
    (tmp_path / "pw-b").write_text(PASSWORD_B + "\n", encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text('{"sms": [{}]}', encoding="utf-8")
    return {
        "a": make_archive(tmp_path / "a.zip", PASSWORD_A),
        "b": make_archive(tmp_path / "b.zip", PASSWORD_B),
        "broken": broken,
        "missing": tmp_path / "missing.zip",
    }


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    """A report without its timing, which differs from run to run."""
    return {**report, "stats": {k: v for k, v in report["stats"].items() if k != "seconds"}}


# -- the SDK -------------------------------------------------------------------------------


def test_pool_keeps_input_order_and_reports_progress(corpus: dict[str, Path]) -> None:
    jobs = [
        BatchJob(str(corpus["missing"])),
        BatchJob(str(corpus["a"]), Secret(PASSWORD_A)),
        BatchJob(str(corpus["broken"])),
        BatchJob(str(corpus["b"]), Secret(PASSWORD_B)),
    ]
    seen: list[int] = []
    reports = validate_many(jobs, Options(), workers=2, progress=lambda i, r: seen.append(i))
    assert [r.archive.path for r in reports] == [j.path for j in jobs]
    assert [r.exit_code for r in reports] == [3, 0, 1, 0]
    assert sorted(seen) == [0, 1, 2, 3]


def test_each_archive_uses_its_own_password(corpus: dict[str, Path]) -> None:
    a, b = str(corpus["a"]), str(corpus["b"])
    right = [BatchJob(a, Secret(PASSWORD_A)), BatchJob(b, Secret(PASSWORD_B))]
    assert [r.exit_code for r in validate_many(right, Options())] == [0, 0]
    swapped = [BatchJob(a, Secret(PASSWORD_B)), BatchJob(b, Secret(PASSWORD_A))]
    codes = [r.findings[0].code for r in validate_many(swapped, Options())]
    assert codes == ["archive.wrong-password"] * 2


def test_a_job_without_password_uses_the_options_password(corpus: dict[str, Path]) -> None:
    jobs = [BatchJob(str(corpus["a"])), BatchJob(str(corpus["b"]), Secret(PASSWORD_B))]
    reports = validate_many(jobs, Options(password=PASSWORD_A))
    assert [r.exit_code for r in reports] == [0, 0]


def test_an_internal_error_becomes_a_report(
    corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: str, options: Options) -> Report:
        raise ValueError("a record value that must not leak")

    monkeypatch.setattr(_jobs, "validate", explode)
    report = run_job(str(corpus["a"]), Secret(PASSWORD_A), Options())
    assert report.exit_code == 3 and report.errors == 1
    (finding,) = report.findings
    assert finding.code == "archive.unreadable" and "ValueError" in finding.message
    assert "must not leak" not in finding.message


def crash_on_marker(path: str, password: Secret | None, options: Options) -> Report:
    """A worker that dies (as in a native crash) on archives named ``crash*``."""
    if Path(path).name.startswith("crash"):
        os._exit(70)
    return run_job(path, password, options)


def test_a_worker_that_dies_costs_only_its_archive(corpus: dict[str, Path]) -> None:
    crash = corpus["a"].with_name("crash.zip")
    paths = [str(p) for p in (crash, corpus["a"], crash, corpus["broken"])]
    jobs = [BatchJob(p, Secret(PASSWORD_B if "b.zip" in p else PASSWORD_A)) for p in paths]
    results = _local._Results(len(jobs), None)
    _local._run_pooled(jobs, Options(), 2, results, crash_on_marker)
    reports = results.in_order()
    assert [r.exit_code for r in reports] == [3, 0, 3, 1]
    assert [r.archive.path for r in reports] == paths
    assert "worker process died" in reports[0].findings[0].message


def test_batch_exit_code_rule() -> None:
    valid = Report(archive=ArchiveInfo("v"))
    invalid = Report(archive=ArchiveInfo("i"), errors=1)
    unreadable = crash_report("u", "test")
    assert BatchSummary.of([valid, valid]).exit_code == 0
    assert BatchSummary.of([valid, invalid]).exit_code == 1
    assert BatchSummary.of([invalid, unreadable, valid]).exit_code == 3
    summary = BatchSummary.of([invalid, unreadable, valid, valid])
    assert summary.to_dict() == {"archives": 4, "valid": 2, "invalid": 1, "unreadable": 1}
    assert summary.describe() == "Batch: 4 archives: 2 valid, 1 invalid, 1 unreadable"


def test_in_order_releases_reports_in_input_order() -> None:
    reports = [Report(archive=ArchiveInfo(str(i))) for i in range(4)]
    order = InOrder()
    assert order.add(2, reports[2]) == []
    assert order.add(0, reports[0]) == [reports[0]]
    assert order.add(1, reports[1]) == [reports[1], reports[2]]
    assert order.add(3, reports[3]) == [reports[3]]


def test_passwords_stay_out_of_reprs_and_travel_by_pickle(corpus: dict[str, Path]) -> None:
    job = BatchJob(str(corpus["a"]), Secret(PASSWORD_A))
    assert PASSWORD_A not in repr(job) and PASSWORD_A not in repr(Options(password=PASSWORD_A))
    assert pickle.loads(pickle.dumps(job)) == job
    report = run_job(job.path, job.password, Options())
    assert pickle.loads(pickle.dumps(report)).to_dict() == report.to_dict()
    assert PASSWORD_A not in json.dumps(report.to_dict())


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        validate_many([], Options(), workers=0)


# -- the list file -------------------------------------------------------------------------


def test_list_lines_resolve_against_the_list_folder(tmp_path: Path) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    listing = folder / "archives.txt"
    absolute = tmp_path / "elsewhere.zip"
    listing.write_text(
        f"\ufeff# comment\n\none.zip\n  two.zip \t ../pw-a \r\n{absolute}\n", encoding="utf-8"
    )
    items = read_archive_list(listing)
    assert [(i.path, i.password_file, i.line) for i in items] == [
        (str(folder / "one.zip"), None, 3),
        (str(folder / "two.zip"), str(folder / "../pw-a"), 4),
        (str(absolute), None, 5),
    ]


def test_list_reads_each_password_file(tmp_path: Path) -> None:
    (tmp_path / "pw-a").write_text(PASSWORD_A + "\n", encoding="utf-8")
    (tmp_path / "pw-b").write_text(PASSWORD_B + "\r\n", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text("x.zip\tpw-a\ny.zip\tpw-b\nz.zip\n", encoding="utf-8")
    jobs = jobs_from_list(listing)
    assert [j.password.reveal() if j.password else None for j in jobs] == [
        PASSWORD_A,
        PASSWORD_B,
        None,
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a.zip\tpw\textra\n", "line 1: expected PATH or PATH<TAB>PASSWORD_FILE"),
        ("# c\na.zip\t\n", "line 2: expected PATH"),
        ("a.zip\tno-such-password-file\n", "line 1: cannot read password file"),
    ],
)
def test_bad_list_lines_are_named(tmp_path: Path, content: str, message: str) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(content, encoding="utf-8")
    with pytest.raises(ArchiveListError, match=message):
        jobs_from_list(listing)


def test_unreadable_list(tmp_path: Path) -> None:
    with pytest.raises(ArchiveListError, match="cannot read archive list"):
        read_archive_list(tmp_path / "none.txt")
    (tmp_path / "latin1.txt").write_bytes(b"caf\xe9.zip\n")
    with pytest.raises(ArchiveListError, match="not UTF-8"):
        read_archive_list(tmp_path / "latin1.txt")


# -- the CLI -------------------------------------------------------------------------------


def _list_file(corpus: dict[str, Path]) -> Path:
    """a.zip with its password file, b.zip without (the run's password), broken, missing."""
    listing = corpus["a"].parent / "list.txt"
    listing.write_text("a.zip\tpw-a\nb.zip\nbroken.json\n", encoding="utf-8")
    return listing


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_per_archive_passwords_summary_and_exit_code(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MI_EXPORT_PASSWORD", PASSWORD_B)
    listing = _list_file(corpus)
    code, out, err = _cli(capsys, "--from-list", str(listing), "--format", "json")
    assert code == 1, err
    document = json.loads(out)
    assert [r["valid"] for r in document["reports"]] == [True, True, False]
    assert document["summary"] == {"archives": 3, "valid": 2, "invalid": 1, "unreadable": 0}
    code, out, err = _cli(capsys, str(corpus["missing"]), "--from-list", str(listing))
    assert code == 3
    assert out.index("missing.zip") < out.index("a.zip") < out.index("broken.json")
    assert out.rstrip().splitlines()[-1] == ("Batch: 4 archives: 2 valid, 1 invalid, 1 unreadable")
    for secret in (PASSWORD_A, PASSWORD_B):
        assert secret not in out + err


def test_cli_jobs_2_gives_the_same_result_as_jobs_1(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MI_EXPORT_PASSWORD", PASSWORD_B)
    listing = _list_file(corpus)
    runs = {}
    for jobs in ("1", "2"):
        code, out, _ = _cli(
            capsys,
            "--from-list",
            str(listing),
            str(corpus["missing"]),
            "--format",
            "json",
            "--jobs",
            jobs,
        )
        document = json.loads(out)
        runs[jobs] = code, [_comparable(r) for r in document["reports"]], document["summary"]
    assert runs["1"] == runs["2"]
    assert runs["1"][0] == 3


def test_cli_one_archive_prints_one_report(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _cli(capsys, str(corpus["broken"]), "--format", "json", "--jobs", "2")
    assert code == 1 and "reports" not in json.loads(out)
    code, out, _ = _cli(capsys, str(corpus["broken"]))
    assert code == 1 and "Batch:" not in out


def test_cli_one_archive_internal_error_stays_exit_4(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(path: str, options: Options) -> Report:
        raise ValueError("bug")

    monkeypatch.delenv("MI_EXPORT_DEBUG", raising=False)
    monkeypatch.setattr(validate_cmd, "run_validation", explode)
    monkeypatch.setattr(_jobs, "validate", explode)
    code, _, err = _cli(capsys, str(corpus["broken"]))
    assert code == 4 and "internal error (ValueError)" in err
    code, out, _ = _cli(capsys, str(corpus["broken"]), str(corpus["broken"]))
    assert code == 3 and "internal error ValueError" in out  # a batch reports it per archive


def test_cli_bad_list_or_options_are_usage_errors(
    corpus: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    listing = corpus["a"].parent / "bad-list.txt"
    listing.write_text("a.zip\tno-such-file\n", encoding="utf-8")
    code, _, err = _cli(capsys, "--from-list", str(listing))
    assert code == 2 and "line 1" in err
    code, _, err = _cli(capsys, str(corpus["a"]), "--jobs", "2", "--dask-scheduler", "tcp://x:1")
    assert code == 2 and "exclude each other" in err
    code, _, _ = _cli(capsys, str(corpus["a"]), "--jobs", "0")
    assert code == 2


def test_cli_without_dask_says_how_to_install_it(corpus: dict[str, Path]) -> None:
    script = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None\n"
        "from mi_export_validator.cli import main\n"
        f"sys.exit(main(['validate', {str(corpus['broken'])!r}, "
        "'--dask-scheduler', 'tcp://127.0.0.1:8786']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "pip install 'mi-export[dask]'" in result.stderr
    assert "Traceback" not in result.stderr


# -- Ctrl-C --------------------------------------------------------------------------------


def sleep_job(path: str, password: Secret | None, options: Options) -> Report:
    """A worker that takes far longer than the test (it marks that it has started)."""
    Path(f"{path}.started").touch()
    time.sleep(120)
    return run_job(path, password, options)


INTERRUPTED = """
import sys
sys.path.insert(0, {tests!r})
from mi_export_validator.batch import BatchJob, _local
from mi_export_validator.engine import Options
import test_batch
if __name__ == "__main__":
    results = _local._Results(3, None)
    try:
        _local._run_pooled([BatchJob("x")] * 3, Options(), 2, results, test_batch.sleep_job)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
"""


def test_ctrl_c_stops_the_workers_without_tracebacks(tmp_path: Path) -> None:
    script = tmp_path / "interrupted.py"
    script.write_text(INTERRUPTED.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        cwd=tmp_path,
    )
    # Ctrl-C once a worker runs: a fixed sleep lost the race on a loaded machine
    deadline = time.monotonic() + 60
    while not (tmp_path / "x.started").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (tmp_path / "x.started").exists(), "no worker started within 60 s"
    started = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130 and out.strip() == "interrupted"
    assert time.monotonic() - started < 10
    assert "Traceback" not in err, err
    assert _group_ends(process.pid, timeout=10), "worker processes outlived the batch"


def _group_ends(group: int, timeout: float) -> bool:
    """Whether every process of the group is gone (reaped) within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False
