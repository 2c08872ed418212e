"""Batches on Dask: a LocalCluster in this process, the SDK function and the CLI option."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip(
    "dask.distributed",
    reason="the dask extra is not installed (pip install -e '.[dask]')",
)

from dask.distributed import Client, LocalCluster

from mi_export.passwords import Secret
from mi_export_validator.batch import BatchJob, validate_many, validate_many_dask
from mi_export_validator.batch._dask import _outcome
from mi_export_validator.cli import main
from mi_export_validator.engine import Options
from test_batch import PASSWORD_A, PASSWORD_B, make_archive

KEY = re.compile(r"validate-\d+-[0-9a-f]{32}")


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as local:
        yield local


@pytest.fixture()
def client(cluster: LocalCluster) -> Iterator[Client]:
    with Client(cluster) as connected:
        yield connected


@pytest.fixture()
def jobs(tmp_path: Path) -> list[BatchJob]:
    broken = tmp_path / "broken.json"
    broken.write_text('{"sms": [{}]}', encoding="utf-8")
    return [
        BatchJob(str(make_archive(tmp_path / "a.zip", PASSWORD_A)), Secret(PASSWORD_A)),
        BatchJob(str(tmp_path / "missing.zip")),
        BatchJob(str(broken)),
        BatchJob(str(make_archive(tmp_path / "b.zip", PASSWORD_B)), Secret(PASSWORD_B)),
    ]


def _comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {**report, "stats": {k: v for k, v in report["stats"].items() if k != "seconds"}}


def test_dask_gives_the_local_results_in_input_order(client: Client, jobs: list[BatchJob]) -> None:
    seen: list[int] = []
    reports = validate_many_dask(jobs, Options(), client, progress=lambda i, r: seen.append(i))
    assert [r.archive.path for r in reports] == [j.path for j in jobs]
    assert [r.exit_code for r in reports] == [0, 3, 1, 0]
    assert sorted(seen) == [0, 1, 2, 3]
    local = validate_many(jobs, Options())
    assert [_comparable(r.to_dict()) for r in reports] == [_comparable(r.to_dict()) for r in local]


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _scheduler_view(dask_scheduler: Any) -> list[str]:
    """Everything the scheduler (and so the dashboard) knows about the tasks."""
    seen = []
    for key, state in dask_scheduler.tasks.items():
        spec = state.run_spec
        seen += [str(key), repr(state), repr(spec), str(spec), repr(getattr(spec, "args", ""))]
        seen.append(state.prefix.name + " " + state.group.name)
    return seen


def test_passwords_stay_out_of_keys_scheduler_and_logs(
    client: Client, jobs: list[BatchJob]
) -> None:
    recorder = _Recorder()
    logger = logging.getLogger("distributed")
    old_level = logger.level
    logger.addHandler(recorder)
    logger.setLevel(logging.DEBUG)
    views: list[str] = []
    try:
        validate_many_dask(
            jobs,
            Options(password=PASSWORD_B),
            client,
            progress=lambda i, r: views.extend(client.run_on_scheduler(_scheduler_view)),
        )
    finally:
        logger.removeHandler(recorder)
        logger.setLevel(old_level)
    keys = {v for v in views if v.startswith("validate-")}
    assert keys and all(KEY.fullmatch(k) for k in keys), keys
    assert any("Secret('********')" in v for v in views)  # the password's masked repr
    for text in views + recorder.lines:
        assert PASSWORD_A not in text and PASSWORD_B not in text, text


def test_cli_runs_the_batch_on_a_scheduler(
    cluster: LocalCluster, jobs: list[BatchJob], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(jobs[0].path).parent
    (folder / "pw-a").write_text(PASSWORD_A + "\n", encoding="utf-8")
    (folder / "pw-b").write_text(PASSWORD_B + "\n", encoding="utf-8")
    listing = folder / "list.txt"
    listing.write_text("a.zip\tpw-a\nbroken.json\nb.zip\tpw-b\n", encoding="utf-8")
    argv = ["validate", "--from-list", str(listing), "--format", "json"]
    code = main([*argv, "--dask-scheduler", cluster.scheduler_address])
    out, err = capsys.readouterr()
    assert code == 1, err
    document = json.loads(out)
    assert document["summary"] == {"archives": 3, "valid": 2, "invalid": 1, "unreadable": 0}
    assert PASSWORD_A not in out + err and PASSWORD_B not in out + err


def test_reports_travel_back_from_a_worker_process(jobs: list[BatchJob]) -> None:
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as local,
        Client(local) as remote,
    ):
        reports = validate_many_dask(jobs, Options(), remote)
        logs = [str(remote.get_scheduler_logs())]
        logs += [str(lines) for lines in remote.get_worker_logs().values()]
    assert [r.exit_code for r in reports] == [0, 3, 1, 0]
    assert reports[0].records == 2
    for text in logs:
        assert PASSWORD_A not in text and PASSWORD_B not in text


class _FakeFuture:
    def __init__(self, status: str, result: object = None) -> None:
        self.status = status
        self._result = result

    def result(self) -> object:
        return self._result

    def exception(self) -> BaseException:
        return RuntimeError("worker lost")


@pytest.mark.parametrize(
    ("future", "reason"),
    [
        (_FakeFuture("error"), "the task failed: RuntimeError"),
        (_FakeFuture("cancelled"), "the task was cancelled"),
        (_FakeFuture("finished", 42), "the task returned a int"),
    ],
)
def test_a_failed_task_becomes_a_report(future: _FakeFuture, reason: str) -> None:
    report = _outcome(future, "x.zip")
    assert report.exit_code == 3 and reason in report.findings[0].message
