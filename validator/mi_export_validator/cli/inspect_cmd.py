"""``mi-export inspect``: what an archive holds, without validating every record."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import click

from mi_export.errors import ArchiveError
from mi_export.inventory import Inventory, take_inventory
from mi_export_validator.cli._reading import given_password, password_for, read_trust_key
from mi_export_validator.cli.progress import ProgressLine

EXIT_HELP = """
\b
Exit codes: 0 described; 2 usage error; 3 the archive cannot be opened
(not found, not an archive, truncated, password required or wrong).
Inspect does not judge validity: run `mi-export validate` for that.
"""


def _utc(ms: int | None) -> str:
    if not ms:
        return "-"
    try:
        moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    except (OverflowError, OSError, ValueError):
        return f"{ms} (not a date)"
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _manifest_lines(manifest: dict[str, Any] | None, signature: str) -> list[str]:
    if manifest is None:
        return ["Manifest:   none", f"Signature:  {signature}"]
    return [
        f"Manifest:   export {manifest['exportId']}, format {manifest['formatVersion']}, "
        f"{manifest['requestType']}, {manifest['files']} data files",
        f"            created {_utc(manifest['createdAt'])}, link expires "
        f"{_utc(manifest['linkExpiresAt'])}, data centre {manifest.get('dataCenter') or '-'}",
        f"Signature:  {signature}",
    ]


def render_inventory(inv: Inventory) -> str:
    """The inventory as text."""
    size = f", {inv.bytes:,} bytes" if inv.bytes is not None else ""
    lines = [f"Archive:    {inv.path} ({inv.kind}, {inv.encryption}{size})"]
    lines += _manifest_lines(inv.manifest, inv.signature)
    lines += ["", "Entries:"]
    for entry in inv.entries:
        lines.append(
            f"  {entry['path']:<40} {entry['role']:<9} {entry['encryption']:<9} "
            f"{entry['bytes']:>14,} bytes"
        )
    lines += [
        "",
        f"  {'table':<18} {'records':>10} {'manifest':>10}  {'first time':<20} "
        f"{'last time':<20} files",
    ]
    for t in inv.tables:
        records = "-" if t.records is None else f"{t.records:,}"
        listed = "-" if t.manifest_records is None else f"{t.manifest_records:,}"
        name = t.name if t.known else f"{t.name} (unknown)"
        lines.append(
            f"  {name:<18} {records:>10} {listed:>10}  {_utc(t.first_time):<20} "
            f"{_utc(t.last_time):<20} {', '.join(t.files)}"
        )
    if inv.problems:
        lines += [
            "",
            f"{len(inv.problems)} problems met while reading (run `mi-export "
            "validate` for details):",
        ]
        lines += [f"  {p.code}  {p.file or ''}" for p in inv.problems[:20]]
    return "\n".join(lines) + "\n"


@click.command(epilog=EXIT_HELP)
@click.argument("archive", type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False),
    help="File whose first line is the password (else MI_EXPORT_PASSWORD, else a "
    "prompt on a terminal).",
)
@click.option(
    "--trust-key",
    type=click.Path(dir_okay=False),
    help="Ed25519 public key (PEM) to check the manifest signature with.",
)
@click.option(
    "--manifest-only",
    is_flag=True,
    help="Do not read the data files: counts from the manifest, no time ranges.",
)
def inspect(
    archive: str,
    output_format: str,
    password_file: str | None,
    trust_key: str | None,
    manifest_only: bool,
) -> int:
    """Describe ARCHIVE: protection, files, manifest, signature, tables, counts, times."""
    password = password_for(archive, given_password(password_file))
    key = read_trust_key(trust_key)
    progress = ProgressLine(f"reading {Path(archive).name}")
    try:
        inventory = take_inventory(
            archive, password=password, trust_key=key, scan=not manifest_only, progress=progress
        )
    except ArchiveError as exc:
        progress.close()
        if output_format == "json":
            click.echo(
                json.dumps({"path": archive, "error": {"code": exc.code, "message": exc.message}})
            )
        else:
            click.echo(f"{archive}: {exc.code}: {exc.message}", err=True)
        return 3
    progress.close()
    if output_format == "json":
        text = json.dumps(inventory.to_dict(), ensure_ascii=False, indent=2)
        click.echo(text.encode("utf-8", "backslashreplace").decode("utf-8"))
    else:
        click.echo(render_inventory(inventory), nl=False)
    return 0
