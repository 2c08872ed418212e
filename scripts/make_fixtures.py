"""Build the fixture archives in ``fixtures/``, deterministically (see Usage below).

Each fixture kind is a builder registered in :data:`FIXTURES` with :func:`fixture`: a
function that writes its files into a directory and returns their names. To add a
kind (for example invalid archives with golden files), write a builder and decorate
it; ``tests/test_fixtures_*.py`` then check that the committed files match.

Usage::

    python scripts/make_fixtures.py                 # every fixture, into fixtures/
    python scripts/make_fixtures.py sample-export   # only these
    python scripts/make_fixtures.py --out DIR       # somewhere else (the tests do this)
    python scripts/make_fixtures.py --list

AES salts are random, so an archive's bytes differ on every run even when its content
does not. A file is therefore only replaced when its content changed (for archives:
the decrypted members), and rerunning the script leaves git clean.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyzipper

from fixture_records import T0, TABLE_RECORDS
from mi_export.signing import private_key_from_seed, serialize_keypair
from mi_export.writer import ArchiveWriter

ROOT = Path(__file__).resolve().parent.parent
FIXTURES_DIR = ROOT / "fixtures"

SAMPLE_PASSWORD = "mi-export-sample-2024"
SAMPLE_EXPORT_ID = "5f0c6d1e-8b7a-4c2e-9d3f-1a2b3c4d5e6f"
SAMPLE_CREATED_AT = T0 + 7 * 86_400_000  # 2024-12-08T00:00:00Z
SAMPLE_REQUESTED_AT = T0 + 6 * 86_400_000
#: The sample's TEST signing key is derived from this text: anyone can rebuild it.
TEST_KEY_SEED = hashlib.sha256(b"mi-export sample fixture: TEST key, never use it").digest()
SMS_SPLIT_BYTES = 2500  # small, so that the sms table is split over sms.json and sms-2.json

Builder = Callable[[Path], list[str]]


@dataclass(frozen=True)
class Fixture:
    """A registered fixture kind: its name, what it is for, and how to build it."""

    name: str
    description: str
    build: Builder


FIXTURES: dict[str, Fixture] = {}


def fixture(name: str, description: str) -> Callable[[Builder], Builder]:
    """Register a builder under ``name``."""

    def register(build: Builder) -> Builder:
        if name in FIXTURES:
            raise ValueError(f"fixture {name!r} registered twice")
        FIXTURES[name] = Fixture(name, description, build)
        return build

    return register


@fixture("sample-export", "valid AES-256 archive of all 19 tables, signed with a TEST key")
def build_sample(out: Path) -> list[str]:
    """The sample archive, its password file and its TEST signing key pair."""
    key = private_key_from_seed(TEST_KEY_SEED)
    private_pem, public_pem = serialize_keypair(key)
    (out / "sample-signing.key").write_bytes(private_pem)
    (out / "sample-signing.pub").write_bytes(public_pem)
    (out / "sample-export.password").write_text(SAMPLE_PASSWORD + "\n", encoding="utf-8")
    with ArchiveWriter(
        out / "sample-export.zip",
        password=SAMPLE_PASSWORD,
        signing_key=key,
        request_type="migration",
        requested_at=SAMPLE_REQUESTED_AT,
        clock=lambda: SAMPLE_CREATED_AT,
        export_id=SAMPLE_EXPORT_ID,
        overwrite=True,
    ) as writer:
        for table, records in TABLE_RECORDS.items():
            split = SMS_SPLIT_BYTES if table == "sms" else None
            with writer.open_table(table, split_bytes=split) as table_writer:
                for record in records():
                    table_writer.write(record)
    manifest = writer.manifest
    assert manifest is not None
    assert manifest.table_files("sms") == ["sms.json", "sms-2.json"], "adjust SMS_SPLIT_BYTES"
    return [
        "sample-export.zip",
        "sample-export.password",
        "sample-signing.key",
        "sample-signing.pub",
    ]


def archive_contents(path: Path, password: bytes | None) -> list[tuple[str, bytes]]:
    """Member names and decrypted bytes, in archive order: what "same archive" means."""
    with pyzipper.AESZipFile(path) as zf:
        if password is not None:
            zf.setpassword(password)
        return [(info.filename, zf.read(info.filename)) for info in zf.infolist()]


def _same(new: Path, old: Path) -> bool:
    if not old.exists():
        return False
    if new.suffix != ".zip":
        return new.read_bytes() == old.read_bytes()
    password_file = new.with_suffix(".password")
    password = password_file.read_bytes().rstrip(b"\r\n") if password_file.exists() else None
    try:
        return archive_contents(new, password) == archive_contents(old, password)
    except (RuntimeError, pyzipper.BadZipFile):
        return False


def build(names: list[str], out: Path) -> list[str]:
    """Build fixtures into ``out``, replacing only files whose content changed."""
    changed = []
    out.mkdir(parents=True, exist_ok=True)
    for name in names:
        with tempfile.TemporaryDirectory(prefix="fixtures-") as tmp:
            for file in FIXTURES[name].build(Path(tmp)):
                target = out / file
                target.parent.mkdir(parents=True, exist_ok=True)
                if not _same(Path(tmp) / file, target):
                    shutil.copyfile(Path(tmp) / file, target)
                    changed.append(file)
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command line: build all or some fixtures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="fixtures to build (default: all)")
    parser.add_argument("--out", type=Path, default=FIXTURES_DIR, help="output directory")
    parser.add_argument("--list", action="store_true", help="list the fixture kinds")
    args = parser.parse_args(argv)
    if args.list:
        for item in FIXTURES.values():
            print(f"{item.name}: {item.description}")
        return 0
    unknown = [n for n in args.names if n not in FIXTURES]
    if unknown:
        parser.error(f"unknown fixture(s): {', '.join(unknown)}")
    changed = build(args.names or list(FIXTURES), args.out)
    print(f"{len(changed)} file(s) written to {args.out}" + "".join(f"\n  {c}" for c in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
