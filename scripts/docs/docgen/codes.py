"""The finding-codes page, from the catalogue :data:`mi_export.codes.CODES`."""

from __future__ import annotations

import json
from typing import Any

from docgen.common import code, header, table
from mi_export.codes import CODES, FATAL_CODES, SEVERITIES, CodeInfo

_GROUPS = {
    "archive": "Archive and container",
    "json": "JSON syntax and encoding",
    "table": "Tables",
    "record": "Records and fields",
    "field": "Records and fields",
    "content": "Records and fields",
    "id": "Ids",
    "time": "Times",
    "text": "Text",
    "manifest": "Manifest and signature",
}
_DATA_FILE = {"file": "sms.json"}
#: Example locations of codes whose catalogue entry has no example pointer (FORMAT.md §6).
_LOCATIONS: dict[str, dict[str, Any]] = {
    "json.syntax": {"file": "sms.json", "table": "sms", "index": 41, "offset": 18230,
                    "line": 43, "column": 17},
    "json.truncated": {"file": "sms.json", "table": "sms", "index": 1999, "offset": 1048576,
                       "line": 2001, "column": 88},
    "json.encoding": {"file": "sms.json", "offset": 5120, "line": 7, "column": 30},
    "json.bom": {"file": "sms.json", "offset": 0, "line": 1, "column": 1},
    "json.shape": {"file": "sms.json", "offset": 0, "line": 1, "column": 1},
    "json.depth": {"file": "note.json", "table": "note", "index": 3, "offset": 90210,
                   "line": 5, "column": 1201},
    "json.limits": {"file": "note.json", "table": "note", "index": 3, "offset": 90210,
                    "line": 5, "column": 12},
    "table.non-exportable": {"file": "userStatus.json", "table": "userStatus",
                             "pointer": "/userStatus"},
    "table.unknown": {"file": "extra.json", "table": "weather", "pointer": "/weather"},
    "table.empty": {"file": "music.json", "table": "music"},
    "manifest.invalid": {"file": "manifest.json", "pointer": "/files/0/sha256"},
    "manifest.version": {"file": "manifest.json", "pointer": "/formatVersion"},
    "manifest.link-validity": {"file": "manifest.json", "pointer": "/linkExpiresAt"},
    "manifest.missing": {},
    "manifest.signature-missing": {"file": "manifest.json"},
    "manifest.signature-invalid": {"file": "manifest.json"},
}
_NO_LOCATION = FATAL_CODES | {"archive.unencrypted"}


def example_location(info: CodeInfo) -> dict[str, Any]:
    """Where a finding of this code typically points, as its JSON report keys."""
    if info.example_pointer:
        tokens = info.example_pointer.split("/")
        where: dict[str, Any] = {"file": f"{tokens[1]}.json", "table": tokens[1]}
        if len(tokens) > 2 and tokens[2].isdigit():
            where["index"] = int(tokens[2])
        where["pointer"] = info.example_pointer
        if info.code == "id.duplicate":
            where["related"] = [{"file": where["file"], "table": tokens[1], "index": 1,
                                 "pointer": info.example_pointer.replace("/3/", "/1/")}]
        return where
    if info.code in _LOCATIONS:
        return dict(_LOCATIONS[info.code])
    if info.code in _NO_LOCATION:
        return {}
    return dict(_DATA_FILE)


def _group(name: str) -> str:
    return _GROUPS.get(name.split(".", 1)[0], "Other")


def _exit(info: CodeInfo) -> str:
    if info.code in FATAL_CODES:
        return "3"
    return {"error": "1", "warning": "0 (1 with `--strict`)"}.get(info.severity, "0")


def _entry(info: CodeInfo) -> str:
    where = example_location(info)
    if where:
        related = where.pop("related", None)
        finding = {"code": info.code, "severity": info.severity, **where, "message": "..."}
        if related:
            finding["related"] = related
        shown = json.dumps(finding, ensure_ascii=False)
        location = f"Example location:\n\n```json\n{shown}\n```\n\n"
    else:
        location = "Example location: none; the finding is about the whole archive.\n\n"
    return (
        f"### {code(info.code)} {{#{info.code}}}\n\n"
        f"**{info.severity}** · {info.title} · alone, it makes `validate` exit {_exit(info)}\n\n"
        f"{info.meaning}\n\n{location}"
        f"**Fix at the source:** {info.fix}\n\n"
    )


def render_codes_page() -> str:
    """``reference/codes.md``."""
    counts = {s: sum(i.severity == s for i in CODES.values()) for s in SEVERITIES}
    summary = [(f"[{code(i.code)}](#{i.code})", i.severity, i.title) for i in CODES.values()]
    out = [
        header("mi_export.codes.CODES"),
        "# Finding codes\n\n",
        f"Every finding the validator reports has one of these {len(CODES)} stable codes "
        f"({counts['error']} errors, {counts['warning']} warnings, {counts['info']} infos). "
        "Codes are never renamed or reused. A finding has a `code`, a `severity`, a "
        "`message` and, where they apply, the location keys `file`, `table`, `index` "
        "(position in the file's array, from 0), `pointer` (RFC 6901, inside the file), "
        "`offset` (bytes, from 0), `line` and `column` (from 1), and `related` (the other "
        "records of an `id.duplicate`). Keys that do not apply are left out. Messages "
        "never quote record values unless `--show-values` is given.\n\n",
        "`--strict` reports warnings as errors; infos stay infos. The exit code of "
        "`mi-export validate` is 3 when the archive cannot be opened or read at all, "
        "else 1 when any error remains, else 0 ([CLI reference](cli.md#validate)).\n\n",
        table(("code", "severity", "title"), summary),
    ]
    seen: list[str] = []
    for info in CODES.values():
        group = _group(info.code)
        if group not in seen:
            seen.append(group)
            out.append(f"\n## {group}\n\n")
        out.append(_entry(info))
    return "".join(out).rstrip("\n") + "\n"
