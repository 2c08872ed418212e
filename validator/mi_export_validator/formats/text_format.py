"""The human-readable report: a summary, a table per table, findings grouped by code."""

from __future__ import annotations

from mi_export.findings import Finding
from mi_export_validator.report import Report, without_surrogates

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _where(finding: Finding) -> str:
    parts = [finding.file or ""]
    if finding.pointer is not None:
        parts.append(finding.pointer)
    elif finding.table is not None:
        parts.append(f"/{finding.table}")
    if finding.offset is not None:
        spot = f"byte {finding.offset}"
        if finding.line is not None:
            spot += f" (line {finding.line}, column {finding.column})"
        parts.append(spot)
    return "  ".join(p for p in parts if p)


def _summary(report: Report) -> list[str]:
    info = report.archive
    verdict = "VALID" if report.valid else ("UNREADABLE" if report.fatal else "INVALID")
    described = ", ".join(str(x) for x in (info.kind, info.encryption) if x)
    if info.bytes is not None:
        described += f", {info.bytes:,} bytes"
    lines = [f"Archive: {info.path}" + (f" ({described})" if described else "")]
    lines.append(
        f"Result:  {verdict}: {_plural(report.errors, 'error')}, "
        f"{_plural(report.warnings, 'warning')}, {_plural(report.infos, 'info')}; "
        f"{_plural(len(report.tables), 'table')}, {_plural(report.records, 'record')} "
        f"in {report.seconds:.2f} s"
    )
    return lines


def _tables(report: Report) -> list[str]:
    if not report.tables:
        return []
    width = max(12, *(len(t.name) for t in report.tables))
    lines = [
        "",
        f"  {'table':<{width}}  {'records':>9}  {'errors':>6}  {'warnings':>8}  "
        f"{'infos':>5}  files",
    ]
    for t in report.tables:
        lines.append(
            f"  {t.name:<{width}}  {t.records:>9,}  {t.errors:>6,}  {t.warnings:>8,}  "
            f"{t.infos:>5,}  {', '.join(t.files)}"
        )
    return lines


def _findings(report: Report) -> list[str]:
    if not report.findings:
        return []
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.severity, finding.code), []).append(finding)
    lines = ["", "Findings:"]
    for (severity, code), items in sorted(
        groups.items(), key=lambda kv: _SEVERITY_ORDER.get(kv[0][0], 3)
    ):
        total = report.code_counts.get(code, len(items))
        shown = f"{len(items):,}" if total == len(items) else f"{len(items):,} of {total:,}"
        lines.append(f"  {severity} {code} ({shown})")
        for finding in items:
            where = _where(finding)
            lines.append(f"    {where}: {finding.message}" if where else f"    {finding.message}")
            if finding.value is not None:
                lines.append(f"      value: {finding.value}")
            for other in finding.related:
                lines.append(f"      also at {other.file}  {other.pointer}")
    if report.truncated:
        lines.append(
            f"  ... {report.omitted:,} more findings not listed (raise --max-findings to see them)"
        )
    return lines


def render_text(report: Report) -> str:
    """The report as text for a terminal."""
    lines = _summary(report) + _tables(report) + _findings(report)
    return without_surrogates("\n".join(lines) + "\n")
