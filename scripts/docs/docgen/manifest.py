"""The manifest page: keys, rules and a real example written by :class:`ArchiveWriter`."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from docgen.common import code, finding, header, json_block, table, thousands
from docgen.examples import DAY, NOW, example_record
from mi_export.manifest import (
    FORMAT_NAME,
    FORMAT_VERSION,
    LINK_VALIDITY_MS,
    MANIFEST_NAME,
    SIGNATURE_NAME,
)
from mi_export.tables import TABLES
from mi_export.writer import ArchiveWriter

EXPORT_ID = "8c1d0f4e-6f0a-4d4e-9a51-3b0c2f7e9d11"

#: (JSON pointer, required, type, meaning); the generator checks it against the writer.
KEYS: tuple[tuple[str, bool, str, str], ...] = (
    ("format", True, "string", f"Always {code(FORMAT_NAME)}."),
    ("formatVersion", True, "string `MAJOR.MINOR`",
     f"{code(FORMAT_VERSION)} for this format; see [versioning](versioning.md)."),
    ("exportId", True, "string", "Identifies the export (the writer uses a random UUID)."),
    ("requestType", True, "string", "`migration` or `backup` (a deletion request produces "
     "no archive)."),
    ("requestedAt", False, "time", "When the user asked for the export."),
    ("createdAt", True, "time", "When the archive was made."),
    ("linkExpiresAt", True, "time", "When the download link expires: `createdAt` + 30 days."),
    ("dataCenter", False, "string", "Where the data is held (`NL-Amsterdam`)."),
    ("producer", False, "object", "`{name, version}` of the software that wrote the archive."),
    ("files", True, "array", "Every data file, in reading order."),
    ("files[].path", True, "string", "Path relative to the archive root, `/` separators."),
    ("files[].bytes", True, "integer ≥ 0", "Exact size of the stored (uncompressed) file."),
    ("files[].sha256", True, "string", "SHA-256 of those bytes, 64 hex digits."),
    ("files[].tables", True, "object", "Per table held in the file: `records` (count) and "
     "`schemaVersion`."),
)


def example_manifest() -> dict[str, Any]:
    """A manifest written by the real writer over the example records of two tables."""
    with tempfile.TemporaryDirectory() as tmp:
        writer = ArchiveWriter(
            Path(tmp) / "export.zip", encryption="none", clock=lambda: NOW,
            export_id=EXPORT_ID, requested_at=NOW - 2 * DAY,
        )
        with writer:
            for name in ("contact", "sms"):
                writer.write_table(name, [example_record(TABLES[name])])
        assert writer.manifest is not None
        manifest: dict[str, Any] = json.loads(writer.manifest.to_json_bytes())
    documented = {key for key, *_ in KEYS if "[" not in key}
    if documented != set(manifest):
        raise ValueError(f"manifest keys changed: {sorted(set(manifest) ^ documented)}")
    return manifest


def _checks_table() -> str:
    days = LINK_VALIDITY_MS // 86_400_000
    rows = [
        ("shape and types of the keys above", finding("manifest.invalid") + " (error)"),
        ("`formatVersion` major is not 1",
         finding("manifest.version") + " (error; the data is still validated as v1)"),
        (f"`linkExpiresAt` ≠ `createdAt` + {days} days ({thousands(LINK_VALIDITY_MS)} ms)",
         finding("manifest.link-validity") + " (warning)"),
        ("a listed file is absent", finding("manifest.file-missing")),
        ("a data file is not listed", finding("manifest.file-unlisted")),
        ("size, SHA-256, record count per table",
         ", ".join(finding(c) for c in ("manifest.size", "manifest.checksum", "manifest.count"))),
    ]
    return "## What the validator checks\n\n" + table(("check", "finding"), rows)


def render_manifest_page() -> str:
    """``reference/manifest.md``."""
    rows = [(code(k), "yes" if req else "optional", kind, text) for k, req, kind, text in KEYS]
    return "".join([
        header("mi_export.manifest and mi_export.writer"),
        "# The manifest\n\n",
        f"`{MANIFEST_NAME}`, at the archive root, lists what the archive holds: every data "
        "file with its exact size, its SHA-256 and its record count per table. It is "
        "optional for readers (without it the validator reports info "
        "[`manifest.missing`](codes.md#manifest.missing) and checks everything else) and "
        "always written by `ArchiveWriter` and `mi-export pack`. Unknown keys are ignored, "
        "for forward compatibility.\n\n",
        table(("key", "required", "type", "meaning"), rows),
        "\n## Example\n\nWritten by `ArchiveWriter` for one contact and one SMS (the "
        "example records of [contact](tables/contact.md) and [sms](tables/sms.md)):\n\n",
        json_block(example_manifest()),
        "\nThe writer's output is deterministic: the same manifest gives the same bytes "
        "(UTF-8, two-space indentation, keys in this order, a final newline).\n\n",
        _RULES.format(checks=_checks_table(), sig=SIGNATURE_NAME),
    ])


_RULES = """\
{checks}
A table split over several files (`sms.json`, `sms-2.json`) is read in the order of
`files`; without a manifest, in the order of the paths with `.json` removed (`sms`
before `sms-2`).

## Signature

`{sig}`, next to the manifest, is a detached **Ed25519** signature over the exact bytes
of `manifest.json`, in standard base64 (RFC 4648 §4; surrounding whitespace is
ignored). Since the manifest holds the SHA-256 of every data file, a valid signature
authenticates the whole archive. With `mi-export validate --trust-key KEY.pub` the
signature is required: absent manifest or signature is
[`manifest.signature-missing`](codes.md#manifest.signature-missing), a wrong one
[`manifest.signature-invalid`](codes.md#manifest.signature-invalid). Without a trust
key the signature is not checked, and the manifest only detects accidental damage. See
[Security and privacy](../security.md#signatures) for what a signature proves.
"""
