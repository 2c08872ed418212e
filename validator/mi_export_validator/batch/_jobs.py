"""One archive of a batch: the job, how a worker runs it, and the report of a crash."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from mi_export.findings import Finding
from mi_export.passwords import Secret
from mi_export_validator.engine import Options, validate
from mi_export_validator.report import ArchiveInfo, Report

#: The code of a report for an archive the validator could not finish: the archive
#: could not be read at all, so the batch exit code counts it as unreadable (3).
CRASH_CODE = "archive.unreadable"


@dataclass(frozen=True)
class BatchJob:
    """One archive to validate, with its own password.

    Args:
        path: the archive (ZIP, ``.json`` file or extracted directory).
        password: its password; None falls back to ``Options.password``. A
            :class:`~mi_export.passwords.Secret`, so ``repr`` never shows it.
    """

    path: str
    password: Secret | None = field(default=None, repr=False)


def crash_report(path: str, reason: str) -> Report:
    """The report of an archive whose validation did not finish.

    Args:
        path: the archive.
        reason: what happened, without any record value (e.g. an exception's type).

    Returns:
        A report with one ``archive.unreadable`` finding that says so.
    """
    message = (
        f"the validator could not finish this archive ({reason}); the other archives "
        "of the batch are not affected. Validate it alone to see more, and report it"
    )
    report = Report(archive=ArchiveInfo(path=path))
    report.findings.append(Finding.make(CRASH_CODE, message))
    report.errors = 1
    return report


def run_job(path: str, password: Secret | None, options: Options) -> Report:
    """Validate one archive of a batch; never raises for a problem of that archive.

    This is what a worker process (local or Dask) runs: a module-level function with
    picklable arguments. An unexpected exception becomes a report (see
    :func:`crash_report`) naming only the exception's type, never its message, which
    could quote record values.

    Args:
        path: the archive.
        password: its password, or None to keep ``options.password``.
        options: how to validate.

    Returns:
        The archive's report.
    """
    if password is not None:
        options = replace(options, password=password.reveal())
    try:
        return validate(path, options)
    except Exception as exc:  # one bad archive must not end the batch
        return crash_report(path, f"internal error {type(exc).__name__}")
