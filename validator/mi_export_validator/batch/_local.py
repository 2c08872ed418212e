"""A batch on this machine: in this process, or on a local pool of worker processes.

Workers are started with ``spawn`` (the same on Linux, macOS and Windows, and safe in a
process that already runs threads) and run :func:`~._jobs.run_job`, a module-level
function with picklable arguments. They ignore Ctrl-C: the calling process handles it,
cancels what has not started and stops the workers.

A worker that dies (a crash in native code, the out-of-memory killer) breaks the whole
pool, and every unfinished archive fails with it. Those that were in flight are then
run again on a pool of one worker, one after another, so that the one that crashes
gets a report saying so (:func:`~._jobs.crash_report`) and the others their real one;
the rest of the batch goes on in a new pool.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace

from mi_export.passwords import Secret
from mi_export_validator.batch._jobs import BatchJob, crash_report, run_job
from mi_export_validator.engine import Options
from mi_export_validator.report import Report

#: Called in the calling process with (index in the batch, report) as each archive ends.
BatchProgress = Callable[[int, Report], None]
#: What a worker runs for one archive: (path, password, options) -> report.
Worker = Callable[[str, Secret | None, Options], Report]

# A ProcessPoolExecutor hands each worker one item plus one spare at a time, in
# submission order: when the pool breaks, the culprit is among the first unfinished
# items. Isolating a few more than needed only costs time; the loop stays correct.
_IN_FLIGHT_EXTRA = 1


class _Results:
    """The reports in input order, filled as archives finish, with the progress hook."""

    def __init__(self, size: int, progress: BatchProgress | None) -> None:
        self.reports: list[Report | None] = [None] * size
        self._progress = progress

    def done(self, index: int, report: Report) -> None:
        self.reports[index] = report
        if self._progress is not None:
            self._progress(index, report)

    def in_order(self) -> list[Report]:
        return [r for r in self.reports if r is not None]


def validate_many(
    jobs: Sequence[BatchJob],
    options: Options,
    *,
    workers: int = 1,
    progress: BatchProgress | None = None,
) -> list[Report]:
    """Validate several archives, each with its own password; reports in input order.

    Args:
        jobs: the archives, with their passwords (a job without one uses
            ``options.password``).
        options: how to validate every archive. With ``workers > 1``,
            ``options.progress`` (bytes read) is not used: workers report per archive.
        workers: 1 validates in this process, one archive after another; more runs
            that many worker processes at once.
        progress: called with (index, report) each time an archive is finished, in
            the order they finish, in the calling process.

    Returns:
        One report per job, in the order of ``jobs``. An archive whose validation
        could not finish (an internal error, a worker that died) gets a report with
        an ``archive.unreadable`` finding that says so, never an exception.

    Raises:
        ValueError: ``workers`` is below 1.
        KeyboardInterrupt: Ctrl-C; archives not started are cancelled and the workers
            stopped before it propagates.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    results = _Results(len(jobs), progress)
    if workers == 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            results.done(index, run_job(job.path, job.password, options))
    else:
        _run_pooled(jobs, replace(options, progress=None), workers, results)
    return results.in_order()


def _run_pooled(
    jobs: Sequence[BatchJob],
    options: Options,
    workers: int,
    results: _Results,
    worker: Worker = run_job,
) -> None:
    todo = list(range(len(jobs)))
    while todo:
        unfinished = _pool_pass(todo, jobs, options, min(workers, len(todo)), results, worker)
        cut = workers + _IN_FLIGHT_EXTRA
        suspects, todo = unfinished[:cut], unfinished[cut:]
        while suspects:
            # One worker takes items strictly in order: the first unfinished one killed it.
            unfinished = _pool_pass(suspects, jobs, options, 1, results, worker)
            if unfinished:
                crashed = unfinished[0]
                results.done(crashed, crash_report(jobs[crashed].path, "its worker process died"))
            suspects = unfinished[1:]


def _pool_pass(
    indices: list[int],
    jobs: Sequence[BatchJob],
    options: Options,
    workers: int,
    results: _Results,
    worker: Worker,
) -> list[int]:
    """Run ``indices`` on a new pool; return those left unfinished by a broken pool."""
    executor = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_sigint
    )
    broken: set[int] = set()
    try:
        with _sigint_blocked():  # workers start (on submit) with Ctrl-C blocked for good
            futures: dict[Future[Report], int] = {
                executor.submit(worker, jobs[i].path, jobs[i].password, options): i for i in indices
            }
        for future in as_completed(futures):
            index = futures[future]
            try:
                results.done(index, future.result())
            except BrokenProcessPool:
                broken.add(index)
            except Exception as exc:  # e.g. a report that failed to travel back
                results.done(index, crash_report(jobs[index].path, type(exc).__name__))
    except BaseException:
        _stop(executor)
        raise
    executor.shutdown(wait=True)
    return [i for i in indices if i in broken]


@contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block Ctrl-C in this thread; a child started meanwhile inherits the block.

    Without it, a Ctrl-C while a worker is still importing raises there and prints
    its traceback. A Ctrl-C pressed inside the block reaches this process after it.
    """
    if not hasattr(signal, "pthread_sigmask"):  # Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _ignore_sigint() -> None:
    """Worker initializer: Ctrl-C is for the calling process, which stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(executor: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now, without waiting."""
    # CPython keeps its workers in ``_processes`` (3.14 adds terminate_workers()).
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
