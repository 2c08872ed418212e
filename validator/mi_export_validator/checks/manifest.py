"""Manifest checks: the manifest against what the archive really holds (FORMAT.md §3).

Sizes and SHA-256 are measured while the data file streams through the scanner, and
record counts come from the scanner's table events: no second pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from mi_export.findings import Finding
from mi_export.manifest import FileEntry, Manifest
from mi_export.signing import SigningKeyError, load_public_key, verify_manifest

MANIFEST = "manifest.json"


def signature_findings(
    trust_key_pem: bytes | None, manifest_bytes: bytes | None, signature: bytes | None
) -> Iterator[Finding]:
    """``manifest.signature-*`` findings; nothing is required without a trust key."""
    if trust_key_pem is None:
        return
    if manifest_bytes is None or signature is None:
        missing = "manifest.json" if manifest_bytes is None else "manifest.json.sig"
        yield Finding.make(
            "manifest.signature-missing",
            f"a trust key was given but the archive has no {missing}",
            file=MANIFEST,
        )
        return
    try:
        key = load_public_key(trust_key_pem)
    except SigningKeyError as exc:  # checked by the CLI already; a library caller may not
        yield Finding.make(
            "manifest.signature-invalid", f"trust key unusable: {exc}", file=MANIFEST
        )
        return
    if not verify_manifest(manifest_bytes, signature, key):
        yield Finding.make(
            "manifest.signature-invalid",
            "manifest.json.sig does not verify with the trusted key",
            file=MANIFEST,
        )


class ManifestComparison:
    """Compares each data file with its manifest entry as it is read."""

    def __init__(self, manifest: Manifest) -> None:
        self.expected: dict[str, FileEntry] = manifest.files_by_path()

    def listing_findings(self, data_paths: Sequence[str]) -> Iterator[Finding]:
        """Files listed but absent, and data files not listed."""
        present = set(data_paths)
        for path in self.expected:
            if path not in present:
                yield Finding.make(
                    "manifest.file-missing",
                    "the manifest lists this file but the archive lacks it",
                    file=path,
                )
        for path in data_paths:
            if path not in self.expected:
                yield Finding.make(
                    "manifest.file-unlisted", "data file not listed in the manifest", file=path
                )

    def file_findings(
        self,
        path: str,
        size: int | None,
        sha256: str | None,
        counts: Mapping[str, int],
        complete: bool,
    ) -> Iterator[Finding]:
        """Size, checksum and per-table counts of one data file that was read."""
        entry = self.expected.get(path)
        if entry is None:
            return
        if size is not None and size != entry.bytes:
            yield Finding.make(
                "manifest.size",
                f"file has {size} bytes, the manifest says {entry.bytes}",
                file=path,
            )
        if sha256 is not None and sha256 != entry.sha256:
            yield Finding.make(
                "manifest.checksum",
                "SHA-256 of the file differs from the manifest: the file was changed or damaged",
                file=path,
            )
        if not complete:
            return  # counts of a file that could not be read to the end mean nothing
        for table in sorted(set(entry.tables) | set(counts)):
            want = entry.tables[table].records if table in entry.tables else 0
            got = counts.get(table, 0)
            if want != got:
                yield Finding.make(
                    "manifest.count",
                    f"table {table!r} has {got} records in this file, the manifest says {want}",
                    file=path,
                    table=table,
                )
