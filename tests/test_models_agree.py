"""The JSON Schemas and the pydantic models accept and refuse the same records.

Records are drawn from the definitions (tests/strategies.py) for every table: valid ones
(both content forms, alternative forms, unknown fields) must pass both; records with one
known fault must fail both, each reporting the fault's pointer, whichever form the
content has; records with one field replaced by any JSON value must get the same verdict.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mi_export.models import record_findings
from mi_export.schema import schema_validator
from mi_export.tables import TABLES
from strategies import invalid_records, mutated_records, pointer, records

EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def schema_pointers(errors: Iterable[Any]) -> set[str]:
    """Pointers of every error, into anyOf branches, with required fields named."""
    found: set[str] = set()
    for error in errors:
        path = list(error.absolute_path)
        found.add(pointer(path))
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [name for name in error.validator_value if name not in error.instance]
            found.update(pointer([*path, name]) for name in missing)
        found |= schema_pointers(error.context or ())
    return found


def model_pointers(table: str, record: Any) -> set[str]:
    return {finding.pointer or "" for finding in record_findings(table, record)}


@pytest.mark.parametrize("table", list(TABLES))
@EXAMPLES
@given(data=st.data())
def test_valid_records_pass_both(table: str, data: st.DataObject) -> None:
    record = data.draw(records(table, alternative_forms=True, extra_fields=True))
    errors = [e.message for e in schema_validator(table).iter_errors(record)]
    assert errors == []
    assert record_findings(table, record) == []


@pytest.mark.parametrize("table", list(TABLES))
@EXAMPLES
@given(data=st.data())
def test_faulty_records_fail_both_at_the_fault(table: str, data: st.DataObject) -> None:
    fault = data.draw(invalid_records(table))
    note = f"{fault.kind} at {fault.pointer}"
    errors = list(schema_validator(table).iter_errors(fault.record))
    assert fault.pointer in schema_pointers(errors), note
    assert fault.pointer in model_pointers(table, fault.record), note


@pytest.mark.parametrize("table", list(TABLES))
@EXAMPLES
@given(data=st.data())
def test_mutated_records_get_the_same_verdict(table: str, data: st.DataObject) -> None:
    record = data.draw(mutated_records(table))
    schema_ok = schema_validator(table).is_valid(record)
    model_ok = not record_findings(table, record)
    assert schema_ok == model_ok
