"""The writer's output file: a ZIP under a temporary name, moved into place at the end.

Private helpers of :mod:`mi_export.writer`: atomic creation (temporary file in the
target directory, fsync, rename) and one streamed ZIP member that hashes and counts
its bytes as they go through.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import tempfile
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pyzipper

from mi_export.errors import WriterError

_BUFFER = 1 << 22


def zip_date_time(epoch_ms: int) -> tuple[int, int, int, int, int, int]:
    """DOS date and time (UTC) of a member, from epoch ms; ZIP cannot go before 1980."""
    stamp = time.gmtime(max(epoch_ms // 1000, 315532800))
    return (
        stamp.tm_year,
        stamp.tm_mon,
        stamp.tm_mday,
        stamp.tm_hour,
        stamp.tm_min,
        stamp.tm_sec - stamp.tm_sec % 2,
    )


class AtomicFile:
    """A file created under a hidden temporary name beside ``final``.

    :meth:`commit` flushes, fsyncs and moves it to ``final``; :meth:`discard` deletes
    it. The temporary name starts with ``.`` and ends with ``.tmp``, mode 0600 (the
    archive holds personal data).
    """

    def __init__(self, final: Path, *, overwrite: bool) -> None:
        self.final = final
        self.overwrite = overwrite
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
        self.temp = Path(name)
        self.stream: io.BufferedRandom = os.fdopen(fd, "w+b")
        info = os.fstat(fd)
        self._identity = (info.st_dev, info.st_ino)

    def commit(self) -> None:
        """Flush, fsync and move into place (refusing to replace unless ``overwrite``)."""
        self.stream.flush()
        os.fsync(self.stream.fileno())
        self.stream.close()
        if self.overwrite:
            os.replace(self.temp, self.final)
        else:
            self._link_into_place()
        _fsync_dir(self.final.parent)

    def _link_into_place(self) -> None:
        # A hard link fails if the final name appeared meanwhile: no silent clobbering.
        try:
            os.link(self.temp, self.final)
        except FileExistsError:
            self.discard()
            raise WriterError(f"{self.final} exists (pass overwrite=True to replace it)") from None
        except OSError:  # no hard links on this file system
            if self.final.exists():
                self.discard()
                raise WriterError(f"{self.final} exists (pass overwrite=True)") from None
            os.replace(self.temp, self.final)
            return
        self.temp.unlink()

    @property
    def committed(self) -> bool:
        """True once this file is under its final name (also if commit was then cut short).

        Asked of the file system, not remembered: a signal between the rename and any
        bookkeeping after it cannot make it wrong.
        """
        try:
            info = os.stat(self.final)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._identity

    def discard(self) -> None:
        """Close and delete the temporary file; never raises."""
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            self.temp.unlink()


def _fsync_dir(directory: Path) -> None:
    # Makes the rename durable; not possible everywhere (Windows), hence best effort.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def open_zip(stream: io.BufferedRandom, password: bytes | None, compresslevel: int) -> Any:
    """A pyzipper writer on ``stream``: AES-256 (WinZip AE-2) when ``password`` is set."""
    zf = pyzipper.AESZipFile(
        stream,
        "w",
        compression=pyzipper.ZIP_DEFLATED,
        compresslevel=compresslevel,
        allowZip64=True,
        encryption=pyzipper.WZ_AES if password is not None else None,
    )
    if password is not None:
        zf.setpassword(password)
        zf.setencryption(pyzipper.WZ_AES, nbits=256)
    return zf


def member_info(zf: Any, path: str, epoch_ms: int, compresslevel: int) -> Any:
    """A ZipInfo for ``path``: deflated, fixed timestamp, UTF-8 name, mode 0600."""
    info = zf.zipinfo_cls(path, zip_date_time(epoch_ms))
    info.compress_type = pyzipper.ZIP_DEFLATED
    info._compresslevel = compresslevel
    info.external_attr = 0o600 << 16
    return info


class Member:
    """One data file being written: buffers, hashes and counts its bytes.

    Deflate, AES and the file write run on a helper thread, a chunk at a time, while
    the caller encodes the next records (zlib, AES and hashlib release the GIL on
    large buffers): at most one chunk is in flight and one filling.
    """

    def __init__(self, zf: Any, info: Any) -> None:
        self.path: str = info.filename
        self._handle = zf.open(info, "w", force_zip64=True)
        self._sha = hashlib.sha256()
        self._parts: list[bytes] = []  # joined once per chunk: no growing buffer
        self._buffered = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mi-export-deflate")
        self._pending: Future[None] | None = None
        self.size = 0

    def write(self, data: bytes) -> None:
        """Add bytes to the member."""
        self._parts.append(data)
        self._buffered += len(data)
        self.size += len(data)
        if self._buffered >= _BUFFER:
            self._flush()

    def _flush(self) -> None:
        if self._parts:
            chunk = b"".join(self._parts)
            self._parts.clear()
            self._buffered = 0
            self._wait()
            self._pending = self._pool.submit(self._write_chunk, chunk)

    def _write_chunk(self, chunk: bytes) -> None:
        self._sha.update(chunk)
        self._handle.write(chunk)

    def _wait(self) -> None:
        """Wait for the chunk in flight; its exception, if any, is raised here."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()

    def close(self) -> str:
        """Finish the member; returns its SHA-256 (lowercase hex)."""
        try:
            self._flush()
            self._wait()
            self._handle.close()
        finally:
            self._pool.shutdown(wait=True)
        return self._sha.hexdigest()

    def drop(self) -> None:
        """Forget the member without finishing it (the archive is being discarded)."""
        waited = False
        try:
            with contextlib.suppress(Exception):
                self._wait()
            waited = True
        finally:  # even on a second Ctrl-C while waiting: the archive is being deleted
            self._pool.shutdown(wait=waited)
            # Mark the handle closed without its close() logic, which would write to a
            # file that is gone; otherwise its finaliser complains at garbage collection.
            io.BufferedIOBase.close(self._handle)
