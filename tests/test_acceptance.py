"""Acceptance: the real CLI on every case of ``fixtures/invalid/`` against its golden file.

Each golden file says what FORMAT.md requires (see ``fixtures/invalid/README.md``);
cases the validator still gets wrong are strict xfails below, with the symptom, so
that fixing the code turns them into failures to remove from :data:`KNOWN_WRONG`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from fixture_builders import (
    CORPUS,
    ROOT,
    SCRIPT,
    case_input,
    case_names,
    flatten,
    flatten_location,
    hard_timeout,
    load_golden,
    run_validate,
)
from mi_export_validator.engine import Options, validate

KNOWN_WRONG: dict[str, str] = {}
NEVER_SHOWN = "7f3a9c"  # in every planted sentinel of the rule cases
CASES = case_names()


def _marked(names: list[str], reasons: dict[str, str]) -> list[Any]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=reasons[n]))
        if n in reasons
        else n
        for n in names
    ]


def _password(args: list[str]) -> str | None:
    """The first line of the case's password file, if it has one."""
    if "--password-file" not in args:
        return None
    path = CORPUS / args[args.index("--password-file") + 1]
    return path.read_text("utf-8").splitlines()[0]


@cache
def _json_run(name: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    golden = load_golden(name)
    result = run_validate(case_input(name), *golden["args"], *extra, "--format", "json")
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert "Traceback" not in output, output
    password = _password(golden["args"])
    assert password is None or password not in output
    return result.returncode, json.loads(result.stdout), result.stderr.decode("utf-8")


def test_the_corpus_is_there() -> None:
    assert len(CASES) >= 60
    assert set(KNOWN_WRONG) <= set(CASES)


@pytest.mark.parametrize("name", _marked(CASES, KNOWN_WRONG))
def test_case_matches_its_golden_file(name: str) -> None:
    golden = load_golden(name)
    code, report, _ = _json_run(name)
    assert [flatten(f) for f in report["findings"]] == golden["findings"]
    assert code == golden["exit"]
    assert report["valid"] is (golden["exit"] == 0)
    _check_details(golden, report)


def _check_details(golden: dict[str, Any], report: dict[str, Any]) -> None:
    findings = report["findings"]
    for code, text in golden.get("messages_contain", []):
        messages = [f["message"] for f in findings if f["code"] == code]
        assert any(text in m for m in messages), (code, text, messages)
    for position, locations in golden.get("related", []):
        related = findings[position].get("related", [])
        assert [flatten_location(loc) for loc in related] == locations
    expected = golden.get("archive", {})
    for key in ("kind", "encryption"):
        if key in expected:
            assert report["archive"][key] == expected[key], key
    if "files" in expected:
        listed = [[f["path"], f["encryption"]] for f in report["archive"]["files"]]
        assert listed == expected["files"]
    if "records" in golden:
        assert report["stats"]["records"] == golden["records"]


def _by_arguments() -> dict[tuple[str, ...], list[str]]:
    groups: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name in CASES:
        groups[tuple(load_golden(name)["args"])].append(case_input(name))
    return groups


@pytest.mark.parametrize("args", sorted(_by_arguments()), ids=lambda a: " ".join(a) or "none")
def test_text_reports_are_utf8_and_show_no_values(args: tuple[str, ...]) -> None:
    """One batch run per set of arguments: every case's text report at once."""
    inputs = _by_arguments()[args]
    result = run_validate(*inputs, *args)
    assert result.returncode in (0, 1, 3)
    text = result.stdout.decode("utf-8")  # raises on invalid UTF-8
    errors = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in text + errors
    password = _password(list(args))
    assert password is None or password not in text + errors
    assert text.count("Archive: ") == len(inputs)
    assert NEVER_SHOWN not in text
    for name in CASES:
        for sentinel in load_golden(name).get("sentinels", []):
            assert sentinel not in text


SENTINEL_CASES = [n for n in CASES if load_golden(n).get("sentinels")]


@pytest.mark.parametrize("name", SENTINEL_CASES)
def test_json_reports_show_values_only_when_asked(name: str) -> None:
    golden = load_golden(name)
    _, hidden, _ = _json_run(name)
    _, shown, _ = _json_run(name, "--show-values")
    for sentinel in golden["sentinels"]:
        assert sentinel not in json.dumps(hidden, ensure_ascii=False)
        assert sentinel in json.dumps(shown, ensure_ascii=False)
    assert [flatten(f) for f in shown["findings"]] == [flatten(f) for f in hidden["findings"]]


def _options(args: list[str], fast: bool) -> Options:
    """Engine options equivalent to a golden file's CLI arguments."""
    values = {flag: args[i + 1] for i, flag in enumerate(args[:-1]) if flag.startswith("--")}
    password = _password(args)
    key = (CORPUS / values["--trust-key"]).read_bytes() if "--trust-key" in values else None
    return Options(password=password, trust_key=key, strict="--strict" in args, fast=fast)


PARSERS_DIFFER: dict[str, str] = {}


@pytest.mark.parametrize("name", _marked(CASES, PARSERS_DIFFER))
def test_both_parsers_give_the_same_findings(name: str) -> None:
    """Issue 4: whatever parsing backend is used, every case gives the same findings."""
    args = load_golden(name)["args"]
    found = []
    for fast in (True, False):
        with hard_timeout(30):
            report = validate(CORPUS / case_input(name), _options(args, fast))
        found.append([flatten(f.to_dict()) for f in report.findings])
    assert found[0] == found[1]


def _regenerated(out: Path) -> dict[str, Any]:
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        from invalid_fixtures import contents
    finally:
        sys.path.remove(str(SCRIPT.parent))
    files = [p for p in out.rglob("*") if p.is_file() or p.is_symlink()]
    return {str(p.relative_to(out)): contents(p) for p in files}


def test_committed_corpus_is_what_the_generator_makes(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    new, old = _regenerated(tmp_path), _regenerated(CORPUS)
    assert sorted(new) == sorted(old)
    assert [name for name in new if new[name] != old[name]] == []
