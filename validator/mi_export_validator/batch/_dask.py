"""A batch on a Dask cluster (``pip install 'mi-export[dask]'``).

Each archive is one task running :func:`~._jobs.run_job` on a worker, which must see
the archive at the same path (a shared file system) and have mi-export installed.
Passwords travel with their task as :class:`~mi_export.passwords.Secret` (whose
``repr`` is masked) and are never part of a task's key: keys are opaque,
``validate-<index>-<random hex>``, so the dashboard, the scheduler's state and the
logs show no password (the task's arguments, as the scheduler shows them, hold the
path and ``Secret('********')``). The password does cross the network inside the
pickled task: on a cluster that spans machines, use a ``tls://`` scheduler address.
"""

from __future__ import annotations

import importlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from mi_export_validator.batch._jobs import BatchJob, crash_report, run_job
from mi_export_validator.batch._local import BatchProgress
from mi_export_validator.engine import Options
from mi_export_validator.report import Report

#: What the extra installs; named in the message when it is missing.
DASK_EXTRA = "pip install 'mi-export[dask]'"


class DaskClient(Protocol):
    """What is used of a ``dask.distributed.Client``."""

    def submit(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Submit one task; returns a future."""

    def cancel(self, futures: Any, *args: Any, **kwargs: Any) -> Any:
        """Cancel futures."""


def import_distributed() -> Any:
    """Import ``dask.distributed`` only when a Dask batch runs.

    Returns:
        The module.

    Raises:
        ImportError: the extra is not installed; the message says how to install it.
    """
    try:
        return importlib.import_module("dask.distributed")
    except ImportError as exc:
        raise ImportError(f"Dask is not installed: {DASK_EXTRA}") from exc


def task_key(index: int) -> str:
    """An opaque task key: the batch position and a random part, nothing else."""
    return f"validate-{index}-{uuid.uuid4().hex}"


def validate_many_dask(
    jobs: Sequence[BatchJob],
    options: Options,
    client: DaskClient,
    *,
    progress: BatchProgress | None = None,
) -> list[Report]:
    """Validate several archives on a Dask cluster; reports in input order.

    Args:
        jobs: the archives, with their passwords (a job without one uses
            ``options.password``). Every worker must see them at these paths.
        options: how to validate every archive (``options.progress`` is not used).
        client: a connected ``dask.distributed.Client``.
        progress: called with (index, report) in this process as each archive ends.

    Returns:
        One report per job, in the order of ``jobs``. A task that fails (a worker
        that died too often, a lost task) gets a report with an
        ``archive.unreadable`` finding that says so.

    Raises:
        ImportError: ``dask.distributed`` is not installed.
        KeyboardInterrupt: Ctrl-C; the batch's tasks are cancelled first.
    """
    distributed = import_distributed()
    options = replace(options, progress=None)
    futures = [
        client.submit(run_job, job.path, job.password, options, key=task_key(i), pure=False)
        for i, job in enumerate(jobs)
    ]
    position = {future.key: i for i, future in enumerate(futures)}
    reports: list[Report | None] = [None] * len(jobs)
    try:
        for future in distributed.as_completed(futures):
            index = position[future.key]
            report = reports[index] = _outcome(future, jobs[index].path)
            if progress is not None:
                progress(index, report)
    except BaseException:
        client.cancel(futures)
        raise
    return [r for r in reports if r is not None]


def _outcome(future: Any, path: str) -> Report:
    """The report a finished task brought back, or one that says why there is none."""
    if future.status == "finished":
        result = future.result()
        if isinstance(result, Report):
            return result
        return crash_report(path, f"the task returned a {type(result).__name__}")
    if future.status == "error":
        return crash_report(path, f"the task failed: {type(future.exception()).__name__}")
    return crash_report(path, f"the task was {future.status}")
