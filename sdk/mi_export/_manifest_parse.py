"""Shape checks of ``manifest.json`` (private: use :func:`mi_export.manifest.parse_manifest`).

Returns plain, checked values plus findings; never raises on bad input.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from mi_export.findings import Finding, pointer_join
from mi_export.tables._spec import TIME_LIMIT_MS

MANIFEST_FILE = "manifest.json"
#: The download link stays valid 30 days (FORMAT.md §1).
LINK_VALIDITY_MS = 30 * 24 * 3600 * 1000
_VERSION = re.compile(r"^([0-9]+)\.[0-9]+$")
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
_MISSING = object()


class _Checker:
    """Collects ``manifest.invalid`` findings while reading typed values."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.invalid = False

    def fail(self, pointer: str, message: str, code: str = "manifest.invalid") -> None:
        if code == "manifest.invalid":
            self.invalid = True
        self.findings.append(Finding.make(code, message, file=MANIFEST_FILE, pointer=pointer))

    def field(self, obj: dict[str, Any], key: str, base: str, kind: str, required: bool) -> Any:
        """The value of ``obj[key]`` if it has ``kind``, else _MISSING (with a finding)."""
        pointer = pointer_join(base, key)
        if key not in obj:
            if required:
                self.fail(pointer, f"required key {key!r} is missing")
            return _MISSING
        value = _as_kind(obj[key], kind)
        if value is _MISSING:
            self.fail(pointer, f"{key!r} must be {_KIND_TEXT[kind]}")
        return value


_KIND_TEXT = {
    "string": "a non-empty string",
    "time": "an integer time in epoch milliseconds before 2100",
    "count": "an integer >= 0",
    "object": "an object",
    "array": "an array",
}


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
        return int(value)  # 5000.0 is an integer, as in JSON Schema
    return None


def _as_kind(value: Any, kind: str) -> Any:
    if kind == "string":
        return value if isinstance(value, str) and value else _MISSING
    if kind == "object":
        return value if isinstance(value, dict) else _MISSING
    if kind == "array":
        return value if isinstance(value, list) else _MISSING
    number = _as_int(value)
    if number is None or number < 0 or (kind == "time" and number >= TIME_LIMIT_MS):
        return _MISSING
    return number


def _load(data: bytes, check: _Checker) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        check.fail("", "manifest.json is not UTF-8")
        return _MISSING
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        check.fail("", f"manifest.json is not valid JSON (line {exc.lineno}, column {exc.colno})")
    except (ValueError, RecursionError):  # NaN/Infinity, or nesting too deep
        check.fail("", "manifest.json is not valid JSON")
    return _MISSING


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _check_path(path: str) -> str | None:
    """Why ``path`` is not a safe relative archive path, or None."""
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        return "must be a relative path with '/' separators"
    if any(part in ("", ".", "..") for part in parts):
        return "must not hold empty, '.' or '..' segments"
    return None


def _check_tables(obj: Any, base: str, check: _Checker) -> list[tuple[str, dict[str, Any]]]:
    tables = []
    for name, entry in obj.items():
        pointer = pointer_join(base, name)
        if not name:
            check.fail(pointer, "a table name must not be empty")
        if not isinstance(entry, dict):
            check.fail(pointer, "a table entry must be an object")
            continue
        records = check.field(entry, "records", pointer, "count", True)
        version = check.field(entry, "schemaVersion", pointer, "string", True)
        tables.append((name, {"records": records, "schemaVersion": version}))
    return tables


def _check_file(entry: Any, base: str, check: _Checker) -> dict[str, Any] | None:
    if not isinstance(entry, dict):
        check.fail(base, "a file entry must be an object")
        return None
    path = check.field(entry, "path", base, "string", True)
    if path is not _MISSING and (problem := _check_path(path)) is not None:
        check.fail(pointer_join(base, "path"), f"'path' {problem}")
    size = check.field(entry, "bytes", base, "count", True)
    digest = check.field(entry, "sha256", base, "string", True)
    if digest is not _MISSING and not _SHA256.match(digest):
        check.fail(pointer_join(base, "sha256"), "'sha256' must be 64 hexadecimal digits")
        digest = _MISSING
    tables = check.field(entry, "tables", base, "object", True)
    if tables is not _MISSING:
        tables = _check_tables(tables, pointer_join(base, "tables"), check)
    sha = digest.lower() if isinstance(digest, str) else digest
    return {"path": path, "bytes": size, "sha256": sha, "tables": tables}


def _check_files(files: list[Any], check: _Checker) -> list[dict[str, Any]]:
    checked, seen = [], set()
    for index, entry in enumerate(files):
        base = pointer_join("/files", index)
        item = _check_file(entry, base, check)
        if item is None:
            continue
        if item["path"] in seen:
            check.fail(pointer_join(base, "path"), "the same path is listed twice")
        seen.add(item["path"])
        checked.append(item)
    return checked


def _check_version(top: dict[str, Any], check: _Checker) -> None:
    version = check.field(top, "formatVersion", "", "string", True)
    if version is _MISSING:
        return
    match = _VERSION.match(version)
    if match is None:
        check.fail("/formatVersion", "'formatVersion' must look like '1.0'")
    elif int(match.group(1)) != 1:
        check.fail(
            "/formatVersion",
            f"format version {version} is not supported (1.x expected); data is validated as 1.x",
            code="manifest.version",
        )


def _check_top(top: dict[str, Any], check: _Checker) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if check.field(top, "format", "", "string", True) not in (_MISSING, "mi-export"):
        check.fail("/format", "'format' must be 'mi-export'")
    out["format"] = top.get("format")
    _check_version(top, check)
    out["formatVersion"] = top.get("formatVersion")
    out["exportId"] = check.field(top, "exportId", "", "string", True)
    request = check.field(top, "requestType", "", "string", True)
    if request not in (_MISSING, "migration", "backup"):
        check.fail("/requestType", "'requestType' must be 'migration' or 'backup'")
    out["requestType"] = request
    for key, kind, required in (
        ("requestedAt", "time", False),
        ("createdAt", "time", True),
        ("linkExpiresAt", "time", True),
        ("dataCenter", "string", False),
    ):
        value = check.field(top, key, "", kind, required)
        if value is not _MISSING:
            out[key] = value
    return out


def _check_producer(top: dict[str, Any], check: _Checker) -> dict[str, str] | None:
    producer = check.field(top, "producer", "", "object", False)
    if producer is _MISSING:
        return None
    name = check.field(producer, "name", "/producer", "string", True)
    version = check.field(producer, "version", "/producer", "string", True)
    return {"name": name, "version": version}


def _check_link(out: dict[str, Any], check: _Checker) -> None:
    created, expires = out.get("createdAt"), out.get("linkExpiresAt")
    if created is not None and expires is not None and expires != created + LINK_VALIDITY_MS:
        check.fail(
            "/linkExpiresAt",
            "linkExpiresAt is not createdAt + 30 days (the download link's validity)",
            code="manifest.link-validity",
        )


def parse_manifest_dict(data: bytes) -> tuple[dict[str, Any] | None, list[Finding]]:
    """Checked manifest values (None if any ``manifest.invalid``) and the findings."""
    check = _Checker()
    top = _load(data, check)
    if top is _MISSING:
        return None, check.findings
    if not isinstance(top, dict):
        check.fail("", "manifest.json must hold a JSON object")
        return None, check.findings
    out = _check_top(top, check)
    out["producer"] = _check_producer(top, check)
    files = check.field(top, "files", "", "array", True)
    out["files"] = _check_files(files, check) if files is not _MISSING else []
    _check_link(out, check)
    return (None if check.invalid else out), check.findings
