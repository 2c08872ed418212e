"""The archive rules page (container, data files, limits) and the versioning policy."""

from __future__ import annotations

import dataclasses

import click

from docgen.common import code, finding, header, size_text, table, thousands
from mi_export.limits import DEFAULT_LIMITS
from mi_export.manifest import FORMAT_VERSION
from mi_export.tables import TABLES
from mi_export_validator.cli.validate_cmd import validate

#: What each limit bounds (FORMAT.md §7), by the field name of :class:`Limits`.
_LIMIT_TEXT = {
    "max_entries": ("entries in the archive", "archive.limits"),
    "max_total_bytes": ("uncompressed bytes in total", "archive.limits"),
    "max_ratio": ("compression ratio of one entry", "archive.limits"),
    "max_depth": ("JSON nesting depth (top-level object 1, a table's array 2, a record 3)",
                  "json.depth"),
    "max_string_bytes": ("bytes in one string", "json.limits"),
    "max_number_chars": ("characters in one number literal (checked on the raw bytes, "
                         "inside JSON-string content too)", "json.limits"),
    "max_record_bytes": ("bytes in one record", "json.limits"),
}


def _cli_options() -> dict[str, str]:
    """``--max-*`` options of ``validate``, by the limit they set."""
    return {
        p.name: p.opts[0] for p in validate.params
        if isinstance(p, click.Option) and p.name and p.name.startswith("max_")
        and hasattr(DEFAULT_LIMITS, p.name)
    }


def _limit_value(name: str, value: int) -> str:
    return size_text(value) if name.endswith("_bytes") else thousands(value)


def limits_table(up: str) -> str:
    """Every limit with its default, finding, and the CLI option that changes it."""
    options = _cli_options()
    rows = []
    for f in dataclasses.fields(DEFAULT_LIMITS):
        what, finding = _LIMIT_TEXT[f.name]
        option = code(options[f.name]) if f.name in options else "`Limits` only"
        rows.append((what, _limit_value(f.name, getattr(DEFAULT_LIMITS, f.name)),
                     f"[{code(finding)}]({up}codes.md#{finding})", option,
                     code(f"Limits.{f.name}")))
    return table(("at most", "default", "finding", "CLI option", "Python"), rows)


def limits_snippet() -> str:
    """``docs/snippets/limits.md``: the limits table for pages at the docs root."""
    return header("mi_export.limits and the validate command") + limits_table("reference/")


def render_archive_page() -> str:
    """``reference/archive.md``."""
    return "".join([
        header("mi_export.limits and the validate command"),
        "# Archive rules\n\n",
        _CONTAINER,
        "## Limits and hostile input\n\n",
        "Every limit has a default and can be changed. Beyond a limit the finding below is "
        "reported and the rest of the archive is still validated where possible.\n\n",
        limits_table(""),
        _LIMITS_AFTER,
    ])


def render_versioning_page() -> str:
    """``reference/versioning.md``."""
    versions = sorted({t.schema_version for t in TABLES.values()})
    return "".join([
        header("mi_export.manifest.FORMAT_VERSION and the table definitions"),
        _VERSIONING.format(version=FORMAT_VERSION, major=FORMAT_VERSION.split(".")[0],
                           schema_versions=", ".join(code(v) for v in versions),
                           versions_table=table(("`formatVersion` in the manifest",
                                                 "what happens"), _VERSION_ROWS)),
    ])


_VERSION_ROWS = (
    ("`1.0`, `1.x` (any minor)", "accepted; validated against v1"),
    ("another major (`2.0`, `0.9`)",
     f"error {finding('manifest.version')}; the data is still validated against v1, so the "
     "report shows what an import would meet"),
    ("not `MAJOR.MINOR`, or missing", f"error {finding('manifest.invalid')}"),
    ("no manifest at all", f"info {finding('manifest.missing')}; validated against v1"),
)

_CONTAINER = """\
## Container

The export is a ZIP encrypted with **AES-256 (WinZip AE-2)**; the password is sent
with the download link (this container is our assumption: the guide only says the file
is encrypted with a password). The validator and the readers accept:

| input | finding |
|---|---|
| AES-256 ZIP | none |
| ZipCrypto ZIP | [`archive.weak-encryption`](codes.md#archive.weak-encryption) (warning) |
| unencrypted ZIP | [`archive.unencrypted`](codes.md#archive.unencrypted) (info) |
| a single `.json` data file | none |
| a directory (an extracted archive; a directory argument is always one archive) | none |

The kind is told by content, not by the file name. ZIP64 (archives and entries over
4 GiB, more than 65,535 entries) is supported. Deflate and Store are read; other
methods (Deflate64, LZMA, PKWARE strong encryption) are
[`archive.unsupported`](codes.md#archive.unsupported).

## Data files

- Any number of data files `*.json`, at any depth, each **one JSON object whose keys are
  table names and whose values are arrays of records**. A file may hold one table or
  many; a table may be split over several files (`sms.json`, `sms-2.json`): its records
  are the concatenation, in manifest order, or without a manifest in the order of the
  paths with `.json` removed (`sms` before `sms-2`).
- Tables are identified by the keys inside the files, never by file names.
- The producer's layout (`ArchiveWriter`, `mi-export pack`) is one file per table at
  the root (`contact.json` holds `{"contact": [...]}`), plus `manifest.json` and,
  when signed, `manifest.json.sig`.
- The archive root is the folder that holds `manifest.json`: an archive re-zipped with
  one top folder still validates.
- Entries under `__MACOSX/`, names starting with `._`, `.DS_Store`, `Thumbs.db`, other
  non-JSON entries and nested archives are not data files: skipped with info
  [`archive.unexpected-file`](codes.md#archive.unexpected-file).
- A member name not flagged as UTF-8 is decoded as UTF-8 when it is valid UTF-8;
  otherwise as GB18030, with warning
  [`archive.filename-encoding`](codes.md#archive.filename-encoding).
- Names that are absolute, contain `..`, a drive letter or a backslash, and symbolic
  links are [`archive.unsafe-path`](codes.md#archive.unsafe-path) and never opened.
- Files are UTF-8 (a byte order mark is a warning [`json.bom`](codes.md#json.bom));
  anything else is [`json.encoding`](codes.md#json.encoding).

## Passwords

Taken, in this order, from `--password-file` (its first line, without the line
ending), the `MI_EXPORT_PASSWORD` environment variable, or a hidden prompt when stdin is
a terminal; encoded as UTF-8. With none of them and an encrypted archive:
[`archive.password-required`](codes.md#archive.password-required), exit 3. If no
encrypted member can be read with the password:
[`archive.wrong-password`](codes.md#archive.wrong-password), exit 3. If some members
read correctly and another fails its CRC or HMAC, that member is
[`archive.integrity`](codes.md#archive.integrity) (exit 1) and the others are
validated. See [Security and privacy](../security.md#passwords).

"""

_LIMITS_AFTER = """
Also, always: a member may not inflate past its declared size, overlapping entries
are refused (both [`archive.limits`](codes.md#archive.limits)), nested archives are
not opened, and `validate` never extracts anything to disk. Commands that write files
never write outside their target. From Python, pass
`Limits(...)` to `open_archive(..., limits=...)` or to the validator's
`Options(limits=...)`; see [Security and privacy](../security.md#limits).
"""

_VERSIONING = """\
# Versioning policy

This is format **v{major}**: `formatVersion` `{version}` in the manifest; every table
schema is at version {schema_versions} (`schemaVersion` in the manifest, `version` in
each schema file). Schema `$id`s contain the major version (`.../schemas/v{major}/...`)
and never change within it.

## What is a breaking change

A change is **breaking**, and needs a new major version (`2.0`, new `$id`s under
`/schemas/v2/`), when an archive that is valid today could become invalid, or when a
reader written today could misread a valid archive:

- removing a table or a field, or renaming one;
- making an optional field required;
- changing a field's type, unit or meaning (for example seconds instead of
  milliseconds), or what `0` means for a time;
- removing a value from a closed enum, narrowing a pattern or a range;
- changing the container, the data-file shape, the manifest's required keys or how
  split tables are ordered;
- reusing or renaming a finding code, raising a code's severity, or adding an error
  for data the contract allowed.

A change is **not breaking** (a minor version, `1.1`): adding an optional field, a new
table, a value to an enum, an optional manifest key; widening a pattern or a range;
adding a warning or info code; an error for data the contract already forbade (a
validator fix); better messages.

Archives of an older minor version stay valid for newer validators. The reverse holds
as far as it can: a validator reads an archive of a newer 1.x version, keeps unknown
fields (warning [`field.unknown`](codes.md#field.unknown)), counts unknown tables
(warning [`table.unknown`](codes.md#table.unknown)) and ignores unknown manifest keys,
but a new enum value is [`field.enum`](codes.md#field.enum) to it: validate an archive
with a validator of its minor version or newer.

## How the validator treats versions

{versions_table}
The per-table `schemaVersion` is recorded in the manifest for readers; the validator
checks the data against the schemas it ships, whatever that field says.

## Stability of this site

The reference pages are generated from the code that validates archives, so they
describe exactly what the installed version checks, and a test fails when a page is
out of date.
"""
