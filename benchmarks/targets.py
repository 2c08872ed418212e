"""Issue 5's targets, checked against the measurements of one run.

Each target row says what was compared, the measured value, what is required and
whether it holds. Ratios compare MB/s of the same archive measured in the same run.
"""

from __future__ import annotations

from typing import Any

READ_SHARE = 0.40  # validate >= 40 % of the raw AES read rate
VERSUS_CHECK_JSONSCHEMA = 15.0  # validate >= 15x check-jsonschema
WRITER_SHARE = 0.50  # SDK writer >= 50 % of pyzipper writing the same bytes
PEAK_RSS_MB = 100.0
FLAT_PERCENT = 10.0
STARTUP_SECONDS = 1.0

Row = dict[str, Any]


def _find(rows: list[Row], size: int | None, variant: str, measure: str) -> Row | None:
    for row in rows:
        if (row["size_mb"], row["variant"], row["measure"]) == (size, variant, measure):
            return row
    return None


def _target(size: Any, variant: str, target: str, value: float, required: str, holds: bool) -> Row:
    return {
        "size_mb": size,
        "variant": variant,
        "target": target,
        "value": value,
        "required": required,
        "holds": holds,
    }


def _ratio(rows: list[Row], size: int, variant: str, ours: str, theirs: str) -> float | None:
    a, b = _find(rows, size, variant, ours), _find(rows, size, variant, theirs)
    if a is None or b is None or not a["mb_per_s"] or not b["mb_per_s"]:
        return None
    return float(a["mb_per_s"] / b["mb_per_s"])


def _size_targets(rows: list[Row], size: int) -> list[Row]:
    out = []
    for variant in ("valid", "invalid"):
        share = _ratio(rows, size, variant, "validate", "read-sdk")
        if share is not None:
            out.append(
                _target(
                    size,
                    variant,
                    "validate ÷ raw AES read (MB/s)",
                    share,
                    f"≥ {READ_SHARE:.2f}",
                    share >= READ_SHARE,
                )
            )
        run = _find(rows, size, variant, "validate")
        if run is not None:
            out.append(
                _target(
                    size,
                    variant,
                    "validate peak RSS (MB)",
                    run["peak_rss_mb"],
                    f"< {PEAK_RSS_MB:.0f}",
                    run["peak_rss_mb"] < PEAK_RSS_MB,
                )
            )
    speedup = _ratio(rows, size, "valid", "validate", "check-jsonschema")
    if speedup is not None:
        out.append(
            _target(
                size,
                "valid",
                "validate ÷ check-jsonschema (MB/s)",
                speedup,
                f"≥ {VERSUS_CHECK_JSONSCHEMA:.0f}",
                speedup >= VERSUS_CHECK_JSONSCHEMA,
            )
        )
    writer = _ratio(rows, size, "valid", "write-sdk", "write-pyzipper")
    if writer is not None:
        out.append(
            _target(
                size,
                "valid",
                "SDK writer ÷ pyzipper write (MB/s)",
                writer,
                f"≥ {WRITER_SHARE:.2f}",
                writer >= WRITER_SHARE,
            )
        )
    return out


def spread_percent(values: list[float]) -> float:
    """How far the largest value is above the smallest, in percent of the smallest."""
    return (max(values) - min(values)) / min(values) * 100


def _flatness(rows: list[Row], measure: str, variant: str, label: str) -> Row | None:
    found = [
        r
        for r in rows
        if r["measure"] == measure and r["variant"] == variant and r["size_mb"] is not None
    ]
    if len({r["size_mb"] for r in found}) < 2:
        return None
    spread = spread_percent([r["peak_rss_mb"] for r in found])
    sizes = ", ".join(str(r["size_mb"]) for r in found)
    return _target(sizes, variant, label, spread, f"≤ {FLAT_PERCENT:.0f}", spread <= FLAT_PERCENT)


def _startup(rows: list[Row]) -> list[Row]:
    out = []
    for variant, measure in (
        ("—", "startup: mi-export --help"),
        ("sample", "startup: validate tiny archive"),
    ):
        row = _find(rows, None, variant, measure)
        if row is not None:
            out.append(
                _target(
                    None,
                    variant,
                    f"{measure.removeprefix('startup: ')} (s)",
                    row["seconds"],
                    f"< {STARTUP_SECONDS:.0f}",
                    row["seconds"] < STARTUP_SECONDS,
                )
            )
    return out


def target_rows(rows: list[Row]) -> list[Row]:
    """Every target that the rows allow to check, in the order of the issue."""
    sizes = sorted({r["size_mb"] for r in rows if r["size_mb"] is not None})
    out = [t for size in sizes for t in _size_targets(rows, size)]
    for variant in ("valid", "invalid"):
        flat = _flatness(rows, "validate", variant, "validate peak RSS spread over sizes (%)")
        out += [flat] if flat else []
    flat = _flatness(rows, "write-sdk", "valid", "SDK writer peak RSS spread over sizes (%)")
    out += [flat] if flat else []
    return out + _startup(rows)
