"""Batches: many archives, each with its own password, in one run.

::

    validate_many(jobs, options, workers=N)       this process, or N local processes
    validate_many_dask(jobs, options, client)      a Dask cluster (the ``dask`` extra)
        -> list[Report], in input order
    BatchSummary.of(reports).exit_code             3 unreadable > 1 invalid > 0 (§6)
    jobs_from_list(path)                           the ``--from-list`` file format

An archive whose validation cannot finish becomes a report with an
``archive.unreadable`` finding that says so: a batch never ends in a traceback because
of one archive.
"""

from __future__ import annotations

from mi_export_validator.batch._dask import (
    DASK_EXTRA,
    DaskClient,
    import_distributed,
    validate_many_dask,
)
from mi_export_validator.batch._jobs import BatchJob, crash_report, run_job
from mi_export_validator.batch._listing import (
    ArchiveListError,
    ListedArchive,
    jobs_from_list,
    read_archive_list,
)
from mi_export_validator.batch._local import BatchProgress, validate_many
from mi_export_validator.batch._summary import (
    BatchSummary,
    InOrder,
    batch_to_dict,
    render_batch_json,
)

__all__ = [
    "DASK_EXTRA",
    "ArchiveListError",
    "BatchJob",
    "BatchProgress",
    "BatchSummary",
    "DaskClient",
    "InOrder",
    "ListedArchive",
    "batch_to_dict",
    "crash_report",
    "import_distributed",
    "jobs_from_list",
    "read_archive_list",
    "render_batch_json",
    "run_job",
    "validate_many",
    "validate_many_dask",
]
