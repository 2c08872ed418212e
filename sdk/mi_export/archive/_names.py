"""Member names: decoding, safety, the archive root and each entry's role.

Shared by the ZIP and directory kinds: both describe their members as
:class:`RawMember` values and get back one :class:`Placed` per member.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from mi_export.archive._base import EntryRole
from mi_export.findings import Finding

MANIFEST_NAME = "manifest.json"
SIGNATURE_NAME = "manifest.json.sig"

_DRIVE = re.compile(r"^[A-Za-z]:")
_NESTED_ARCHIVE = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".zst", ".jar")


def decode_name(raw: bytes) -> tuple[str, bool]:
    """Decode a member name: UTF-8 when valid, else GB18030.

    Returns:
        The name and whether the GB18030 fallback was used (a warning).
    """
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("gb18030", errors="replace"), True


@dataclass(frozen=True, slots=True)
class RawMember:
    """A member as its container lists it, before any interpretation."""

    name: str
    is_dir: bool = False
    is_symlink: bool = False
    is_regular: bool = True
    name_fallback: bool = False
    #: The member exists but cannot be read at all (a folder without permission).
    problem: str | None = None


@dataclass(slots=True)
class Placed:
    """Where a member lands: its path relative to the root, role and findings."""

    path: str
    role: EntryRole
    findings: list[Finding] = field(default_factory=list)
    #: Why a non-readable entry is not read: (finding code, message).
    reason: tuple[str, str] | None = None

    def refuse(self, role: EntryRole, code: str, message: str, *, silent: bool = False) -> None:
        """Give the entry a non-readable role, with a finding unless ``silent``."""
        self.role = role
        self.reason = (code, message)
        if not silent:
            self.findings.append(Finding.make(code, message, file=self.path))


def unsafe_reason(member: RawMember) -> str | None:
    """Why a member name must never be used as a path, or ``None`` when it is safe."""
    name = member.name
    if member.is_symlink:
        return "is a symbolic link; it is never opened"
    if "\x00" in name:
        return "contains a NUL character"
    if "\\" in name:
        return "contains a backslash; only '/' separates folders"
    if name.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(name):
        return "starts with a drive letter"
    if ".." in name.split("/"):
        return "contains a '..' component that points outside the archive"
    return None


def normalize(name: str) -> str:
    """Drop empty and ``.`` components (``./a//b.json`` is ``a/b.json``)."""
    return "/".join(part for part in name.split("/") if part not in ("", "."))


def ignored_reason(path: str) -> str | None:
    """Why a file is system clutter (macOS, Windows) rather than data, or ``None``."""
    parts = path.split("/")
    base = parts[-1]
    if "__MACOSX" in parts[:-1]:
        return "macOS resource data (__MACOSX), not a data file"
    if base.startswith("._"):
        return "macOS AppleDouble file, not a data file"
    if base == ".DS_Store":
        return "macOS folder settings (.DS_Store), not a data file"
    if base == "Thumbs.db":
        return "Windows thumbnail cache, not a data file"
    return None


def find_root(paths: Sequence[str]) -> str:
    """The archive root: the folder holding the shallowest ``manifest.json``.

    Returns:
        ``""`` for the container root, else a folder prefix ending in ``/``. When
        several manifests share the shallowest depth the container root is used.
    """
    candidates = [p for p in paths if p.rsplit("/", 1)[-1] == MANIFEST_NAME]
    if not candidates:
        return ""
    depth = min(p.count("/") for p in candidates)
    shallowest = [p for p in candidates if p.count("/") == depth]
    if depth == 0 or len(shallowest) != 1:
        return ""
    return shallowest[0][: -len(MANIFEST_NAME)]


def place_members(members: Sequence[RawMember]) -> list[Placed]:
    """Give every member its path relative to the root, role and findings."""
    placed: list[Placed] = []
    for member in members:
        spot = Placed(path=normalize(member.name) or member.name, role="data")
        if member.name_fallback:
            spot.findings.append(
                Finding.make(
                    "archive.filename-encoding",
                    "member name is not valid UTF-8; decoded as GB18030",
                    file=spot.path,
                )
            )
        _place_early(member, spot)
        placed.append(spot)
    root = find_root([s.path for s in placed if s.reason is None])
    seen: set[str] = set()
    for spot in placed:
        if spot.reason is None:
            _place_in_root(spot, root, seen)
    return placed


def _place_early(member: RawMember, spot: Placed) -> None:
    """Roles that do not depend on the root: unsafe, folders, clutter, specials."""
    reason = unsafe_reason(member)
    if reason is not None:
        spot.path = member.name
        spot.refuse("unsafe", "archive.unsafe-path", f"member name {reason}")
    elif member.problem is not None:
        spot.refuse("skipped", "archive.integrity", member.problem)
    elif member.is_dir:
        spot.path = normalize(member.name) + "/"
        spot.refuse("skipped", "archive.unexpected-file", "a folder", silent=True)
    elif (clutter := ignored_reason(spot.path)) is not None:
        spot.refuse("skipped", "archive.unexpected-file", clutter)
    elif not member.is_regular:
        spot.refuse("skipped", "archive.unexpected-file", "not a regular file; it is not read")


def _place_in_root(spot: Placed, root: str, seen: set[str]) -> None:
    if not spot.path.startswith(root):
        spot.refuse(
            "skipped", "archive.unexpected-file", f"outside the archive root folder {root!r}"
        )
        return
    spot.path = spot.path[len(root) :]
    lower = spot.path.lower()
    if spot.path == MANIFEST_NAME:
        spot.role = "manifest"
    elif spot.path == SIGNATURE_NAME:
        spot.role = "signature"
    elif lower.endswith(_NESTED_ARCHIVE):
        spot.refuse("skipped", "archive.unexpected-file", "a nested archive; it is not opened")
        return
    elif not lower.endswith(".json"):
        spot.refuse("skipped", "archive.unexpected-file", "not a JSON file")
        return
    if spot.path in seen:
        spot.refuse(
            "unsafe",
            "archive.unsafe-path",
            "a second member with the same name; readers disagree on which one they use",
        )
        return
    seen.add(spot.path)
