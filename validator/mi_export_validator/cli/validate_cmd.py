"""``mi-export validate``: parse options, run the engine, print reports, return the code."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from mi_export.limits import DEFAULT_LIMITS
from mi_export_validator.cli._reading import given_password, password_for, read_trust_key
from mi_export_validator.cli.progress import ProgressLine
from mi_export_validator.engine import Options
from mi_export_validator.engine import validate as run_validation
from mi_export_validator.formats import FORMATS, render_json_batch
from mi_export_validator.report import Report

EXIT_CODES_HELP = """
\b
Exit codes:
  0  valid (no errors; warnings and infos allowed)
  1  invalid: at least one error
  2  usage error (bad option, unreadable --password-file or --trust-key)
  3  an archive cannot be opened or read at all (not found, not an archive,
     truncated download, password required or wrong)
"""


def _batch_exit_code(reports: list[Report]) -> int:
    if any(r.exit_code == 3 for r in reports):
        return 3
    return 1 if any(r.exit_code == 1 for r in reports) else 0


def _archives(paths: tuple[str, ...], from_list: str | None) -> list[str]:
    found = list(paths)
    if from_list is not None:
        try:
            lines = Path(from_list).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise click.UsageError(f"cannot read --from-list {from_list}: {exc}") from None
        found.extend(
            line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")
        )
    if not found:
        raise click.UsageError("give at least one ARCHIVE (or --from-list FILE)")
    return found


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
    help="File with one archive path per line (added to ARCHIVES).",
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
) -> int:
    """Validate Xiaomi Cloud export ARCHIVES (ZIP, .json file or extracted directory)."""
    paths = _archives(archives, from_list)
    given = given_password(password_file)
    key_pem = read_trust_key(trust_key)
    limits = replace(
        DEFAULT_LIMITS, max_depth=max_depth, max_entries=max_entries, max_ratio=max_ratio
    )
    base = Options(
        trust_key=key_pem,
        limits=limits,
        strict=strict,
        show_values=show_values,
        max_findings=max_findings or None,
        fast=not exact_only,
    )
    reports = []
    for path in paths:
        password = password_for(path, given)
        progress = ProgressLine(f"validating {Path(path).name}")
        try:
            report = validate_one(path, replace(base, password=password, progress=progress))
        finally:
            progress.close()
        reports.append(report)
        if output_format == "text":
            click.echo(FORMATS["text"](report), nl=False)
    if output_format == "json":
        text = FORMATS["json"](reports[0]) if len(reports) == 1 else render_json_batch(reports)
        click.echo(text, nl=False)
    return _batch_exit_code(reports)


def validate_one(path: str, options: Options) -> Report:
    """Validate one archive (the library does the work)."""
    return run_validation(path, options)
