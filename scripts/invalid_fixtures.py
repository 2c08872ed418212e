"""Build ``fixtures/invalid/``: one small input per kind of fault, with its golden file.

Every case (registered in the ``fixtures`` package next to this script) writes its
input ``<case>.zip``, ``<case>.json`` or ``<case>.dir/``, its golden file
``<case>.expected.json`` (what FORMAT.md requires the validator to report, written by
hand, never captured from the validator) and, when encrypted, ``<case>.password``.
The corpus README is generated from the same registry.

Usage::

    python scripts/invalid_fixtures.py              # rebuild fixtures/invalid/
    python scripts/invalid_fixtures.py --out DIR    # somewhere else (the tests do this)
    python scripts/invalid_fixtures.py --list

AES salts are random, so an AES archive's bytes differ on every run: a file is only
replaced when its content changed (for archives with AES members: the member names
and decrypted bytes, see :func:`contents`), and rerunning leaves git clean. Files of
cases that no longer exist are removed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pyzipper

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the raw ZIP builder lives with the tests

from fixtures import (  # noqa: E402
    crypto_cases,
    identity_cases,
    json_cases,
    manifest_cases,
    rule_cases,
    zip_cases,
)
from fixtures.corpus import CASES, Case, Link, golden  # noqa: E402
from fixtures.readme import INTRO, readme  # noqa: E402
from fixtures.zipbits import PASSWORD, TEST_KEY_NAME, test_public_key  # noqa: E402

OUT = ROOT / "fixtures" / "invalid"
#: The case modules (importing them registers their cases), in the README's order.
MODULES = (json_cases, rule_cases, identity_cases, zip_cases, crypto_cases, manifest_cases)
AES_EXTRA = b"\x01\x99\x07\x00\x02\x00AE"  # WinZip AES extra field, AE-2


def ordered_cases() -> list[Case]:
    """The cases grouped by module, in the order of :data:`MODULES`."""
    modules = [m.__name__ for m in MODULES]
    return sorted(CASES.values(), key=lambda c: modules.index(c.build.__module__))


def write_case(item: Case, out: Path) -> tuple[list[str], int]:
    """Write one case's input, golden file and password file.

    Returns:
        The names written (relative to ``out``) and the case's expected exit code.
    """
    built = item.build()
    names = [item.input_name, f"{item.name}.expected.json"]
    if isinstance(built.data, dict):
        for rel, data in built.data.items():
            path = out / item.input_name / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, Link):
                path.symlink_to(data.target)
            else:
                path.write_bytes(data)
        names[0:1] = [f"{item.input_name}/{rel}" for rel in built.data]
    else:
        (out / item.input_name).write_bytes(built.data)
    (out / names[-1]).write_text(dump_golden(golden(item, built)), encoding="utf-8")
    if built.password is not None:
        text = built.password if built.password.endswith("\n") else built.password + "\n"
        (out / f"{item.name}.password").write_bytes(text.encode())
        names.append(f"{item.name}.password")
    return names, built.exit


def dump_golden(value: dict[str, Any]) -> str:
    """JSON with one key a line and one finding (or pair) a line: diffs stay readable."""
    lines = []
    for key, item in value.items():
        if isinstance(item, list) and item and all(isinstance(x, list) for x in item):
            rows = ",\n".join("  " + json.dumps(x, ensure_ascii=False) for x in item)
            lines.append(f" {json.dumps(key)}: [\n{rows}\n ]")
        else:
            lines.append(f" {json.dumps(key)}: {json.dumps(item, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def build_corpus(out: Path) -> list[str]:
    """Write every case, the TEST public key and the README into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    names = [TEST_KEY_NAME, "README.md"]
    (out / TEST_KEY_NAME).write_bytes(test_public_key())
    rows = []
    for item in ordered_cases():
        written, exit_code = write_case(item, out)
        names.extend(written)
        rows.append((item, exit_code))
    (out / "README.md").write_text(readme(rows), encoding="utf-8")
    return names


def contents(path: Path) -> Any:
    """What "same fixture" means: bytes, a link's target, or for an archive with AES
    members the member names and decrypted bytes (unreadable: the exception's name)."""
    if path.is_symlink():
        return ("symlink", os.readlink(path))
    data = path.read_bytes()
    if path.suffix != ".zip" or AES_EXTRA not in data:
        return data
    passwords = [PASSWORD.encode()]
    password_file = path.with_suffix(".password")
    if password_file.exists():
        passwords.insert(0, password_file.read_bytes().splitlines()[0])
    with pyzipper.AESZipFile(path) as zf:
        return [(info.filename, _decrypted(zf, info, passwords)) for info in zf.infolist()]


def _decrypted(zf: pyzipper.AESZipFile, info: Any, passwords: list[bytes]) -> Any:
    """A member's bytes with the first password that opens it, else the last error's name."""
    error = ""
    for password in passwords:
        try:
            return zf.read(info, pwd=password)
        except Exception as exc:  # broken on purpose: any failure is the content
            error = type(exc).__name__
    return error


def _copy(new: Path, old: Path) -> None:
    """Copy a file or a symbolic link (never what the link points at)."""
    if old.is_symlink() or old.exists():
        old.unlink()
    old.parent.mkdir(parents=True, exist_ok=True)
    if new.is_symlink():
        old.symlink_to(os.readlink(new))
    else:
        shutil.copyfile(new, old)


def sync(built: Path, target: Path, names: list[str]) -> list[str]:
    """Copy what changed from ``built`` into ``target``; remove stale files there."""
    changed = []
    for name in names:
        new, old = built / name, target / name
        if (old.is_symlink() or old.exists()) and contents(new) == contents(old):
            continue
        _copy(new, old)
        changed.append(name)
    if not (target / "README.md").read_text(encoding="utf-8").startswith(INTRO[:40]):
        return changed  # not a corpus directory: never delete anything there
    keep = {target / n for n in names}
    for path in sorted(target.rglob("*"), reverse=True):
        if (path.is_symlink() or path.is_file()) and path not in keep:
            path.unlink()
            changed.append(f"(removed) {path.relative_to(target)}")
        elif path.is_dir() and not path.is_symlink() and not any(path.iterdir()):
            path.rmdir()
    return changed


def main(argv: list[str] | None = None) -> int:
    """Command line: rebuild the corpus (or list its cases)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="output directory")
    parser.add_argument("--list", action="store_true", help="list the cases")
    args = parser.parse_args(argv)
    if args.list:
        for item in ordered_cases():
            print(f"{item.input_name}: {item.holds}")
        return 0
    with tempfile.TemporaryDirectory(prefix="invalid-fixtures-") as tmp:
        names = build_corpus(Path(tmp))
        args.out.mkdir(parents=True, exist_ok=True)
        changed = sync(Path(tmp), args.out, names)
    print(f"{len(CASES)} cases, {len(changed)} file(s) changed in {args.out}")
    for name in changed:
        print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
