"""The peer suite: JSONTestSuite's parsing cases (vendored, MIT, see tests/data)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scan_helpers import STOPPING, scan_all_modes

SUITE = Path(__file__).parent / "data" / "JSONTestSuite" / "test_parsing"
CASES = sorted(SUITE.glob("*.json"))


def test_suite_is_vendored() -> None:
    assert len(CASES) == 318


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_case(case: Path) -> None:
    events = scan_all_modes(case.read_bytes())
    found = {e[1] for e in events if e[0] == "finding"}
    if case.name.startswith("n_"):
        assert found & STOPPING, f"{case.name} accepted: {found}"
    elif case.name.startswith("y_"):
        assert not (found & STOPPING), f"{case.name} rejected: {found}"


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name.startswith("y_")], ids=lambda p: p.name
)
def test_accepted_case_as_a_record(case: Path) -> None:
    """A y_ case embedded as a record of a table is read without a parse error."""
    body = case.read_bytes()
    data = b'{"sms": [' + body + b"]}"
    events = scan_all_modes(data)
    found = {e[1] for e in events if e[0] == "finding"}
    assert not (found & STOPPING), found
    assert [e for e in events if e[0] == "end"] == [("end", "sms", 1)]
