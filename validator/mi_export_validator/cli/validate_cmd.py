"""``mi-export validate``: parse options, run the engine, print reports, return the code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from mi_export.errors import MiExportError
from mi_export.limits import DEFAULT_LIMITS
from mi_export.passwords import Secret
from mi_export_validator.batch import (
    BatchJob,
    BatchProgress,
    BatchSummary,
    InOrder,
    import_distributed,
    jobs_from_list,
    render_batch_json,
    validate_many,
    validate_many_dask,
)
from mi_export_validator.cli._reading import given_password, password_for, read_trust_key
from mi_export_validator.cli.progress import ProgressLine
from mi_export_validator.engine import Options
from mi_export_validator.engine import validate as run_validation
from mi_export_validator.formats import FORMATS
from mi_export_validator.report import Report

EXIT_CODES_HELP = """
\b
Exit codes (of a batch: 3 if any archive is unreadable, else 1 if any is
invalid, else 0):
  0  valid (no errors; warnings and infos allowed)
  1  invalid: at least one error
  2  usage error (bad option, unreadable --password-file, --trust-key or list)
  3  an archive cannot be opened or read at all (not found, not an archive,
     truncated download, password required or wrong)

\b
--from-list FILE: one archive a line, PATH or PATH<TAB>PASSWORD_FILE (the
archive's own password file; else --password-file or MI_EXPORT_PASSWORD).
Relative paths are relative to the list's folder; blank lines and lines
starting with # are ignored.
"""


def _archives(paths: tuple[str, ...], from_list: str | None) -> list[BatchJob]:
    found = [BatchJob(path) for path in paths]
    if from_list is not None:
        try:
            found.extend(jobs_from_list(from_list))
        except MiExportError as exc:
            raise click.UsageError(f"--from-list: {exc}") from None
    if not found:
        raise click.UsageError("give at least one ARCHIVE (or --from-list FILE)")
    return found


def _with_passwords(jobs: list[BatchJob], given: str | None) -> list[BatchJob]:
    """Each archive's own password, else the run's, else a prompt (on a terminal)."""
    done = []
    for job in jobs:
        if job.password is None:
            password = password_for(job.path, given)
            job = BatchJob(job.path, Secret(password) if password else None)
        done.append(job)
    return done


@click.command(epilog=EXIT_CODES_HELP)
@click.argument("archives", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATS)),
    default="text",
    show_default=True,
    help="Report format (json follows the published schema).",
)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    help="File whose first line is the archive password. "
    "Else MI_EXPORT_PASSWORD, else a hidden prompt on a terminal.",
)
@click.option(
    "--trust-key",
    type=click.Path(dir_okay=False),
    help="Ed25519 public key (PEM): the manifest signature is then required.",
)
@click.option("--strict", is_flag=True, help="Report warnings as errors.")
@click.option(
    "--show-values",
    is_flag=True,
    help="Show the offending values in findings (off by default: privacy).",
)
@click.option(
    "--max-findings",
    type=click.IntRange(min=0),
    default=1000,
    show_default=True,
    help="List at most N findings per archive (0: no limit); all are counted.",
)
@click.option(
    "--from-list",
    type=click.Path(dir_okay=False),
    help="File listing archives, one a line: PATH or PATH<TAB>PASSWORD_FILE "
    "(added to ARCHIVES; see below).",
)
@click.option(
    "--jobs",
    metavar="N",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Validate N archives at once, each in its own process.",
)
@click.option(
    "--dask-scheduler",
    metavar="ADDRESS",
    help="Run the batch on a Dask cluster (tcp://host:port); its workers must see the "
    "archives at the same paths. Needs: pip install 'mi-export[dask]'.",
)
@click.option(
    "--exact-only",
    is_flag=True,
    hidden=True,
    help="Decode every record with the exact parser (slow; for testing).",
)
@click.option(
    "--max-depth",
    type=click.IntRange(min=4),
    default=DEFAULT_LIMITS.max_depth,
    show_default=True,
    help="Maximum JSON nesting depth.",
)
@click.option(
    "--max-entries",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.max_entries,
    show_default=True,
    help="Maximum number of ZIP entries.",
)
@click.option(
    "--max-ratio",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMITS.max_ratio,
    show_default=True,
    help="Maximum compression ratio of one member.",
)
def validate(
    archives: tuple[str, ...],
    output_format: str,
    password_file: str | None,
    trust_key: str | None,
    strict: bool,
    show_values: bool,
    max_findings: int,
    from_list: str | None,
    exact_only: bool,
    max_depth: int,
    max_entries: int,
    max_ratio: int,
    jobs: int,
    dask_scheduler: str | None,
) -> int:
    """Validate Xiaomi Cloud export ARCHIVES (ZIP, .json file or extracted directory)."""
    if dask_scheduler is not None and jobs != 1:
        raise click.UsageError("--jobs and --dask-scheduler exclude each other")
    batch = _archives(archives, from_list)
    given = given_password(password_file)
    key_pem = read_trust_key(trust_key)
    limits = replace(
        DEFAULT_LIMITS, max_depth=max_depth, max_entries=max_entries, max_ratio=max_ratio
    )
    options = Options(
        trust_key=key_pem,
        limits=limits,
        strict=strict,
        show_values=show_values,
        max_findings=max_findings or None,
        fast=not exact_only,
    )
    batch = _with_passwords(batch, given)
    streaming = output_format == "text" and len(batch) > 1
    reports = _run(batch, options, jobs, dask_scheduler, _text_in_order() if streaming else None)
    _print_end(reports, output_format)
    return BatchSummary.of(reports).exit_code


def _print_end(reports: list[Report], output_format: str) -> None:
    """One archive: its report. Several: the JSON document, or the text summary line."""
    if len(reports) == 1:
        click.echo(FORMATS[output_format](reports[0]), nl=False)
    elif output_format == "json":
        click.echo(render_batch_json(reports), nl=False)
    else:
        click.echo(BatchSummary.of(reports).describe())


def _text_in_order() -> BatchProgress:
    """Print each text report as soon as it and those before it are done."""
    order = InOrder()

    def show(index: int, report: Report) -> None:
        for ready in order.add(index, report):
            click.echo(FORMATS["text"](ready), nl=False)

    return show


def _run(
    batch: list[BatchJob],
    options: Options,
    workers: int,
    scheduler: str | None,
    show: BatchProgress | None,
) -> list[Report]:
    """Run the batch here, on a local pool or on Dask (the library does the work)."""
    if scheduler is not None:
        with _dask_client(scheduler) as client:
            return validate_many_dask(batch, options, client, progress=show)
    if len(batch) > 1:
        return validate_many(batch, options, workers=workers, progress=show)
    # One archive is no batch: an internal error stays exit 4 (MI_EXPORT_DEBUG shows it).
    (job,) = batch
    password = job.password.reveal() if job.password else None
    line = ProgressLine(f"validating {Path(job.path).name}")  # bytes, on a terminal
    try:
        return [run_validation(job.path, replace(options, password=password, progress=line))]
    finally:
        line.close()


def _dask_client(address: str) -> Any:
    """A connected ``dask.distributed.Client`` (usage error when it cannot be had)."""
    try:
        distributed = import_distributed()
    except ImportError as exc:
        raise click.UsageError(f"--dask-scheduler: {exc}") from None
    try:
        return distributed.Client(address, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise click.UsageError(f"--dask-scheduler: cannot connect to {address}: {exc}") from None
