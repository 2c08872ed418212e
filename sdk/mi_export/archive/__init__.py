"""The archive container layer: open every input kind and stream its members.

:func:`open_archive` tells the kind by content (FORMAT.md §3): a ZIP (AES-256,
ZipCrypto or plain, ZIP64 included), a single JSON file, or a directory (an
extracted archive). It lists every entry with a role, reports the archive-level
findings met while opening (unsafe names, limits, name encoding, unexpected files,
weak or no encryption) and gives streaming access to members. It never extracts to
disk and never prints.
"""

from mi_export.archive._base import Archive, Encryption, Entry, EntryRole
from mi_export.archive._files import DirectoryArchive, JsonFileArchive
from mi_export.archive._open import open_archive
from mi_export.archive._zip import ZipArchive

__all__ = [
    "Archive",
    "DirectoryArchive",
    "Encryption",
    "Entry",
    "EntryRole",
    "JsonFileArchive",
    "ZipArchive",
    "open_archive",
]
