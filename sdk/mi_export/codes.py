"""The catalogue of finding codes: the one place where every code is defined.

Each code has a severity, a short title, what it means and how to fix it at the
source. The docs page of finding codes is generated from :data:`CODES`, and a test
fails when any code used in the code base is missing here. Codes are never renamed
or reused (FORMAT.md §6).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class CodeInfo:
    """One entry of the catalogue."""

    code: str
    severity: Severity
    title: str
    meaning: str
    fix: str
    example_pointer: str = ""


def _c(
    code: str, severity: Severity, title: str, meaning: str, fix: str, example: str = ""
) -> CodeInfo:
    return CodeInfo(code, severity, title, meaning, fix, example)


_ENTRIES = (
    # archive
    _c(
        "archive.not-found",
        "error",
        "Archive not found",
        "The path given does not exist or is not readable.",
        "Check the path; download the archive again if it was moved.",
    ),
    _c(
        "archive.unreadable",
        "error",
        "Not an archive",
        "The input is neither a ZIP, nor a JSON file, nor a directory (for example an HTML "
        "page saved under the archive's name).",
        "Download the archive again from the link in the e-mail.",
    ),
    _c(
        "archive.truncated",
        "error",
        "Truncated download",
        "The ZIP has no central directory: the download was cut short or is incomplete.",
        "Download the archive again; the link stays valid 30 days.",
    ),
    _c(
        "archive.password-required",
        "error",
        "Password required",
        "The archive is encrypted and no password was given.",
        "Pass the password from the e-mail with --password-file or MI_EXPORT_PASSWORD.",
    ),
    _c(
        "archive.wrong-password",
        "error",
        "Wrong password",
        "No encrypted member could be read with the password given.",
        "Use the password sent with the download link, exactly as written.",
    ),
    _c(
        "archive.integrity",
        "error",
        "Corrupt member",
        "A member failed its CRC-32 or AES HMAC check, or is cut short.",
        "Download the archive again; if it persists the producer wrote a corrupt file.",
    ),
    _c(
        "archive.unsafe-path",
        "error",
        "Unsafe member path",
        "A member name is absolute, contains '..', a drive letter or a backslash, or the "
        "entry is a symbolic link. It is never extracted.",
        "Producers must write relative names with '/' separators only.",
    ),
    _c(
        "archive.limits",
        "error",
        "Archive limit exceeded",
        "Too many entries, too much uncompressed data, a suspicious compression ratio, "
        "overlapping entries or a member inflating past its declared size (zip bomb).",
        "Raise the limit if the archive is trusted (see the security page).",
    ),
    _c(
        "archive.unsupported",
        "error",
        "Member cannot be read",
        "A member uses a compression method or an encryption this tool does not read "
        "(Deflate64, LZMA, PKWARE strong encryption, AES without its header field); it "
        "is listed but not read.",
        "Re-create the archive with Deflate or Store and AES-256 (or no encryption).",
    ),
    _c(
        "archive.weak-encryption",
        "warning",
        "Weak encryption",
        "A member is protected with legacy ZipCrypto, which is easily broken.",
        "Producers should use AES-256 (WinZip AE-2).",
    ),
    _c(
        "archive.filename-encoding",
        "warning",
        "Member name not UTF-8",
        "A member name is not valid UTF-8 and was decoded as GB18030.",
        "Producers should write UTF-8 names and set the UTF-8 flag.",
    ),
    _c(
        "archive.unencrypted",
        "info",
        "Not encrypted",
        "The archive is not encrypted.",
        "Nothing to fix for a local copy.",
    ),
    _c(
        "archive.unexpected-file",
        "info",
        "Not a data file",
        "An entry that is not a data file (macOS metadata, thumbnails, nested archives, "
        "non-JSON files) was skipped.",
        "Nothing to fix; it is ignored.",
    ),
    # json
    _c(
        "json.syntax",
        "error",
        "JSON syntax error",
        "The data file is not valid JSON at the offset given; reading that file stops there.",
        "Fix the producer's JSON serialiser (no NaN, no trailing commas, no comments).",
    ),
    _c(
        "json.truncated",
        "error",
        "Data file cut short",
        "The data file ends inside its value; the message says how many complete records "
        "came before.",
        "Download the archive again or re-export that table.",
    ),
    _c(
        "json.encoding",
        "error",
        "Not UTF-8",
        "The data file is not UTF-8 (invalid bytes, or UTF-16/UTF-32).",
        "Write data files as UTF-8 without byte order mark.",
    ),
    _c(
        "json.bom",
        "warning",
        "Byte order mark",
        "The data file starts with a UTF-8 byte order mark; it is read normally.",
        "Write UTF-8 without BOM.",
    ),
    _c(
        "json.shape",
        "error",
        "Wrong top-level shape",
        "A data file must be one JSON object whose values are arrays of records.",
        'Write {"tableName": [record, ...]}.',
    ),
    _c(
        "json.duplicate-key",
        "error",
        "Duplicate key",
        "An object has the same key twice; JSON readers disagree on which value wins.",
        "Write each key once.",
        "/contact/0/content/displayName",
    ),
    _c(
        "json.depth",
        "error",
        "Nesting too deep",
        "A value is nested deeper than the limit (default 64, the top-level object is 1).",
        "Flatten the data; raise the limit only for trusted input.",
    ),
    _c(
        "json.limits",
        "error",
        "Value too large",
        "A string, number literal or record exceeds its size limit.",
        "Split the value or raise the limit for trusted input.",
    ),
    # tables
    _c(
        "table.non-exportable",
        "error",
        "Data that must not be exported",
        "The archive holds a table the guide lists as not exportable: it leaks data.",
        "Remove the table from the export.",
    ),
    _c(
        "table.unknown",
        "warning",
        "Unknown table",
        "A table that is not part of format v1.",
        "Check the table name's spelling.",
    ),
    _c("table.empty", "info", "Empty table", "A table has no records.", "Nothing to fix."),
    # records and fields
    _c(
        "record.type",
        "error",
        "Record is not an object",
        "Every record must be a JSON object.",
        "Write each record as an object.",
        "/sms/3",
    ),
    _c(
        "field.required",
        "error",
        "Missing field",
        "A required field is missing.",
        "Write the field; use 0 for unset times.",
        "/sms/3/lastUpdateTime",
    ),
    _c(
        "field.type",
        "error",
        "Wrong type",
        "A field has the wrong JSON type.",
        "Write the type the schema gives.",
        "/sms/3/deleted",
    ),
    _c(
        "field.enum",
        "error",
        "Value not allowed",
        "A field holds a value outside its closed list.",
        "Use one of the listed values.",
        "/contact/3/status",
    ),
    _c(
        "field.format",
        "error",
        "Wrong format",
        "A string does not have the required format (id digits, URI, hash, package name, "
        "date, time zone, recurrence rule).",
        "Write the documented format.",
        "/recorder/3/id",
    ),
    _c(
        "field.range",
        "error",
        "Out of range",
        "A number is outside its allowed range (negative size, latitude past 90, empty "
        "string where one is required...).",
        "Write a value in range.",
        "/findDevice/3/content/latitude",
    ),
    _c(
        "field.unknown",
        "warning",
        "Unknown field",
        "A field that format v1 does not define; it is kept.",
        "Check the field's spelling.",
        "/note/3/colour",
    ),
    _c(
        "field.coerced",
        "warning",
        "Alternative form accepted",
        "A field uses an accepted alternative form (e.g. an integer folder).",
        "Write the canonical form.",
        "/sms/3/content/folder",
    ),
    _c(
        "content.invalid",
        "error",
        "Content not a JSON object",
        "A content field is a string that is not valid JSON, or whose JSON is not an object.",
        "Write an object, or a string holding a JSON object.",
        "/sms/3/content",
    ),
    # ids
    _c(
        "id.duplicate",
        "error",
        "Duplicate id",
        "Two records of one table share an id (or key); the message says whether they are "
        "identical or conflict.",
        "Export each record once.",
        "/sms/3/id",
    ),
    _c(
        "id.numeric",
        "warning",
        "Id written as a number",
        "An id is a JSON number; ids should be digit strings.",
        "Write ids as strings.",
        "/sms/3/id",
    ),
    _c(
        "id.precision",
        "error",
        "Id beyond 2^53",
        "A numeric id above 2^53 may already have been corrupted by a float parser.",
        "Write ids as strings.",
        "/sms/3/id",
    ),
    # times
    _c(
        "time.range",
        "error",
        "Time out of range",
        "A time is negative or at/after 2100-01-01.",
        "Write epoch milliseconds, UTC.",
        "/sms/3/lastUpdateTime",
    ),
    _c(
        "time.seconds",
        "warning",
        "Time looks like seconds",
        "A time below 10^11 is almost surely in seconds, not milliseconds (it is kept as is).",
        "Write epoch milliseconds.",
        "/sms/3/lastUpdateTime",
    ),
    _c(
        "time.order",
        "error",
        "End before start",
        "An event ends before it starts (dtend < dtstart).",
        "Swap or fix the times.",
        "/calendar/3/content/dtend",
    ),
    _c(
        "time.sequence",
        "warning",
        "Times out of order",
        "createTime is after updateTime, deleteTime or uploadTime.",
        "Check the clock source.",
        "/note/3/updateTime",
    ),
    # text
    _c(
        "text.encoding",
        "error",
        "Unpaired surrogate",
        "A string holds an unpaired UTF-16 surrogate, which no UTF-8 system can store.",
        "Fix the producer's string escaping.",
        "/sms/3/content/body",
    ),
    _c(
        "text.control",
        "warning",
        "Control character",
        "A string holds a C0 control character other than tab, LF and CR.",
        "Strip control characters at the source.",
        "/note/3/content",
    ),
    _c(
        "text.mojibake",
        "warning",
        "Mojibake",
        "A string looks like UTF-8 bytes escaped one by one as \\u00XX.",
        "Escape code points, not bytes.",
        "/contact/3/content/displayName",
    ),
    # manifest
    _c(
        "manifest.missing",
        "info",
        "No manifest",
        "The archive has no manifest.json; everything else is still validated.",
        "Producers should write a manifest.",
    ),
    _c(
        "manifest.invalid",
        "error",
        "Manifest malformed",
        "manifest.json does not have the shape of FORMAT.md §3.",
        "Fix the manifest writer.",
    ),
    _c(
        "manifest.version",
        "error",
        "Unsupported format version",
        "The manifest's formatVersion has another major version; data is validated as v1.",
        "Use a validator for that version.",
    ),
    _c(
        "manifest.link-validity",
        "warning",
        "Link validity not 30 days",
        "linkExpiresAt is not createdAt + 30 days.",
        "Set linkExpiresAt = createdAt + 30 days.",
    ),
    _c(
        "manifest.file-missing",
        "error",
        "Listed file missing",
        "A file listed in the manifest is not in the archive.",
        "Re-export.",
    ),
    _c(
        "manifest.file-unlisted",
        "error",
        "Unlisted data file",
        "A data file is not listed in the manifest.",
        "List every data file.",
    ),
    _c(
        "manifest.size",
        "error",
        "Size mismatch",
        "A data file's byte size differs from the manifest.",
        "Re-export.",
    ),
    _c(
        "manifest.checksum",
        "error",
        "Checksum mismatch",
        "A data file's SHA-256 differs from the manifest: the file was changed or damaged.",
        "Download again; do not edit data files by hand.",
    ),
    _c(
        "manifest.count",
        "error",
        "Record count mismatch",
        "A table's record count differs from the manifest.",
        "Re-export.",
    ),
    _c(
        "manifest.signature-missing",
        "error",
        "Signature missing",
        "A trust key was given but the manifest or its signature is absent.",
        "Ask the producer for a signed export.",
    ),
    _c(
        "manifest.signature-invalid",
        "error",
        "Signature invalid",
        "manifest.json.sig does not verify with the trusted key: the manifest was changed "
        "or signed with another key.",
        "Do not import; ask the producer.",
    ),
)

CODES: Mapping[str, CodeInfo] = {entry.code: entry for entry in _ENTRIES}

#: Codes that mean the archive could not be opened or read at all (exit 3).
FATAL_CODES: frozenset[str] = frozenset(
    {
        "archive.not-found",
        "archive.unreadable",
        "archive.truncated",
        "archive.password-required",
        "archive.wrong-password",
    }
)


def severity_of(code: str) -> Severity:
    """Return the catalogue severity of ``code`` (KeyError for an unknown code)."""
    return CODES[code].severity
