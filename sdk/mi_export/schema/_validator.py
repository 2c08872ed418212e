"""An offline registry of the schema documents and a validator that reads content strings.

The validator is jsonschema's draft 2020-12 validator extended in three ways, so that
it accepts exactly what the pydantic models accept (see :mod:`._values`):

- ``contentSchema`` is enforced: a JSON-string content value is decoded and validated
  against it, so both content forms validate identically (the specification leaves
  ``contentSchema`` as an annotation);
- ``pattern`` uses ECMA-262's ``$``;
- integral :class:`~decimal.Decimal` values (what the scanner yields for ``5000.0``) are
  integers, and non-finite floats are not numbers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators
from referencing import Registry, Resource

from mi_export.schema._documents import schema_id
from mi_export.schema._values import (
    ContentError,
    decode_json_object,
    is_json_integer,
    is_json_number,
    matches,
)


def _content_schema(
    validator: Any, content_schema: Mapping[str, Any], instance: object, schema: Any
) -> Iterator[Any]:
    if not isinstance(instance, str):
        return
    try:
        decoded = decode_json_object(instance)
    except ContentError as exc:
        yield ValidationError(f"content is not a JSON object: {exc}")
        return
    yield from validator.descend(decoded, content_schema)


def _pattern(validator: Any, pattern: str, instance: object, schema: Any) -> Iterator[Any]:
    if isinstance(instance, str) and not matches(pattern, instance):
        yield ValidationError(f"does not match the pattern {pattern!r}")


_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {
        "integer": lambda _checker, instance: is_json_integer(instance),
        "number": lambda _checker, instance: is_json_number(instance),
    }
)

#: The draft 2020-12 validator class with the extensions described above.
MiExportValidator: Any = validators.extend(
    Draft202012Validator,
    validators={"contentSchema": _content_schema, "pattern": _pattern},
    type_checker=_TYPE_CHECKER,
)


def build_registry(documents: Mapping[str, Mapping[str, Any]]) -> Registry[Any]:
    """A registry holding ``documents`` (file name -> document) under their ``$id``s."""
    resources = [
        (schema_id(name), Resource.from_contents(dict(doc))) for name, doc in documents.items()
    ]
    return Registry().with_resources(resources)
