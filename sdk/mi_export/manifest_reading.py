"""Reading an archive's ``manifest.json`` and ``manifest.json.sig`` (shared by the reader,
the inventory and the validator)."""

from __future__ import annotations

from dataclasses import dataclass

from mi_export.archive import Archive
from mi_export.errors import MemberError
from mi_export.findings import Finding
from mi_export.manifest import Manifest, parse_manifest

MAX_MANIFEST_BYTES = 64 << 20
MAX_SIGNATURE_BYTES = 1 << 16


@dataclass(frozen=True)
class StoredManifest:
    """The manifest as stored: parsed (None if absent or malformed), raw bytes, signature."""

    manifest: Manifest | None
    manifest_bytes: bytes | None
    signature: bytes | None
    present: bool
    findings: tuple[Finding, ...]


def read_stored_manifest(archive: Archive) -> StoredManifest:
    """Read and parse the manifest and its signature; problems become findings."""
    manifest = manifest_bytes = signature = None
    present = False
    findings: list[Finding] = []
    for entry in archive.entries:
        try:
            if entry.role == "manifest":
                present = True
                manifest_bytes = archive.read_entry_bytes(entry, MAX_MANIFEST_BYTES)
                manifest, problems = parse_manifest(manifest_bytes)
                findings.extend(problems)
            elif entry.role == "signature":
                signature = archive.read_entry_bytes(entry, MAX_SIGNATURE_BYTES)
        except MemberError as exc:
            findings.append(Finding.make(exc.code, exc.message, file=exc.member))
    return StoredManifest(manifest, manifest_bytes, signature, present, tuple(findings))
