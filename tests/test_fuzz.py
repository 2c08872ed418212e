"""Fuzzing (issue 4): mutated valid archives give exit 0, 1 or 3, never an exception.

Hypothesis flips, inserts, deletes, replaces and truncates bytes of three valid
inputs: the AES sample archive, a plain ZIP whose Stored members put the JSON bytes
in reach of the mutations, and a bare ``.json`` file. The engine runs in process under
a hard timeout per example. Exit 0 is only allowed when an independent reader
(pyzipper, a strict ``json`` parse) does not find the data corrupt; a corruption it
cannot judge (a damaged header pyzipper refuses) allows any of 0, 1, 3.
The examples are derandomized and bounded, so CI runs the same ones every time.
"""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pyzipper
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixture_builders import ROOT, hard_timeout, stored_zip
from mi_export_validator.engine import Options, validate

SAMPLE = ROOT / "fixtures" / "sample-export.zip"
SAMPLE_PASSWORD = (ROOT / "fixtures" / "sample-export.password").read_text("utf-8").strip()
T = 1_733_011_200_000
CONTACT = {
    "id": "100000000000000201",
    "content": {"displayName": "张伟 👋"},
    "createTime": T,
    "updateTime": T,
    "status": "normal",
    "type": "contact",
}
SMS = {
    "id": "100000000000000410",
    "creator": "sms-sync",
    "deleted": False,
    "lastUpdateTime": T,
    "content": json.dumps(
        {
            "address": "10086",
            "body": "你好 \\ud83d\\ude00",
            "folder": "1",
            "localTime": T,
            "threadId": "100000000000000400",
        },
        ensure_ascii=False,
    ),
}
SMALL_TABLES = {"contact": [CONTACT, dict(CONTACT, id="100000000000000202")], "sms": [SMS]}
TOKENS = [
    b'"',
    b"{",
    b"[",
    b"]",
    b",",
    b"\\",
    b"\x00",
    b"\xff",
    b"\xef\xbb\xbf",
    b"NaN",
    b"9" * 120,
    b"\\ud800",
    b"PK\x05\x06",
    b"PK\x03\x04",
    b"\xff\xff\xff\xff",
]
EXAMPLES = 60  # per base: about 5 s in all
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _json_bytes(tables: dict[str, Any]) -> bytes:
    return json.dumps(tables, ensure_ascii=False).encode()


BASES: dict[str, tuple[bytes, str, str | None]] = {
    "sample-aes.zip": (SAMPLE.read_bytes(), ".zip", SAMPLE_PASSWORD),
    "plain-stored.zip": (
        stored_zip(
            {f"{name}.json": _json_bytes({name: records}) for name, records in SMALL_TABLES.items()}
        ),
        ".zip",
        None,
    ),
    "bare.json": (_json_bytes(SMALL_TABLES), ".json", None),
}

Operation = tuple[str, int, Any]


def _operations() -> st.SearchStrategy[list[Operation]]:
    """Edits with positions as fractions of the length, so they suit any input.

    In-place edits (flip, replace) weigh more: an insertion or deletion shifts every
    offset after it and mostly gives a damaged central directory (exit 3), whereas an
    in-place edit reaches the headers and the JSON behind them.
    """
    where = st.integers(0, 9999)
    flip = st.tuples(st.just("flip"), where, st.integers(0, 7))
    replace = st.tuples(st.just("replace"), where, st.sampled_from(TOKENS))
    one = st.one_of(
        flip,
        flip,
        flip,
        replace,
        replace,
        st.tuples(st.just("insert"), where, st.binary(min_size=1, max_size=8)),
        st.tuples(st.just("delete"), where, st.integers(1, 64)),
        st.tuples(st.just("truncate"), where, st.none()),
    )
    return st.lists(one, min_size=1, max_size=4)


def mutate(data: bytes, operations: list[Operation]) -> bytes:
    """Apply the edits in order; each position is taken in the current length."""
    out = bytearray(data)
    for kind, where, arg in operations:
        at = where * len(out) // 10_000
        if kind == "flip" and out:
            out[min(at, len(out) - 1)] ^= 1 << arg
        elif kind == "insert":
            out[at:at] = arg
        elif kind == "delete":
            del out[at : at + arg]
        elif kind == "replace":
            out[at : at + len(arg)] = arg
        elif kind == "truncate":
            del out[at:]
    return bytes(out)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON has no {name}")


def _unique_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")
    return dict(pairs)


def _strings_are_unicode(value: Any) -> None:
    """Raise when a decoded string or key holds a lone surrogate."""
    if isinstance(value, str):
        value.encode("utf-8")
    elif isinstance(value, list):
        for item in value:
            _strings_are_unicode(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _strings_are_unicode(key)
            _strings_are_unicode(item)


def strict_json_ok(data: bytes) -> bool:
    """Whether ``data`` is strict UTF-8 JSON: no NaN, no duplicate keys, no lone surrogates."""
    try:
        value = json.loads(
            data.decode("utf-8-sig"),
            parse_constant=_reject_constant,
            object_pairs_hook=_unique_object,
        )
        _strings_are_unicode(value)
    except (ValueError, UnicodeError, RecursionError):
        return False
    return True


def _skipped(name: str) -> bool:
    base = name.rsplit("/", 1)[-1]
    return not name.endswith(".json") or name.startswith("__MACOSX/") or base.startswith("._")


def zip_verdict(data: bytes, password: str | None) -> bool | None:
    """True if every JSON member reads with a good CRC/HMAC and parses strictly; False if
    one is corrupt (CRC, HMAC, Deflate or JSON); None if pyzipper refuses the structure."""
    try:
        archive = pyzipper.AESZipFile(io.BytesIO(data))
        if password is not None:
            archive.setpassword(password.encode())
        members = [info for info in archive.infolist() if not _skipped(info.filename)]
        bodies = []
        for info in members:
            try:
                bodies.append(archive.read(info))
            except zlib.error:
                return False
            except pyzipper.BadZipFile as exc:
                if "CRC" in str(exc) or "HMAC" in str(exc):
                    return False
                return None
    except Exception:  # any refusal of the structure: no verdict
        return None
    return all(strict_json_ok(body) for body in bodies)


def verdict(data: bytes, suffix: str, password: str | None) -> bool | None:
    """The independent reader's opinion of a mutated input (see :func:`zip_verdict`)."""
    return strict_json_ok(data) if suffix == ".json" else zip_verdict(data, password)


def run_engine(path: Path, password: str | None) -> int:
    """Validate in process under a hard timeout; the exit code the CLI would return."""
    with hard_timeout(20):
        report = validate(path, Options(password=password))
    code: int = report.exit_code
    return code


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("base", sorted(BASES))
def test_every_base_is_valid_unmutated(base: str, workdir: Path) -> None:
    data, suffix, password = BASES[base]
    path = workdir / f"base{suffix}"
    path.write_bytes(data)
    assert run_engine(path, password) == 0
    assert verdict(data, suffix, password) is True


def _fuzz(base: str, workdir: Path) -> Callable[[list[Operation]], None]:
    data, suffix, password = BASES[base]
    path = workdir / f"{base}-mutated{suffix}"

    @FUZZ
    @given(operations=_operations())
    def check(operations: list[Operation]) -> None:
        mutated = mutate(data, operations)
        path.write_bytes(mutated)
        code = run_engine(path, password)
        assert code in (0, 1, 3)
        if mutated == data:
            assert code == 0
        if code == 0:
            assert verdict(mutated, suffix, password) is not False, operations

    return check


@pytest.mark.parametrize("base", sorted(BASES))
def test_mutated_inputs_never_crash_and_exit_0_only_when_sound(base: str, workdir: Path) -> None:
    _fuzz(base, workdir)()
