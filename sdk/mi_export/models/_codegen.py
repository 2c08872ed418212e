"""Render the source of :mod:`mi_export.models._generated` from the table definitions.

The models are generated as source code, not built with ``create_model`` at import, so
that their fields are visible to type checkers and editors. The generated module only
declares types; every rule comes from the definitions through
:func:`mi_export.models._base.rule`. ``scripts/generate_schemas.py`` writes the file and
``tests/test_schema_drift.py`` fails when it is stale.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Iterator

from mi_export.schema._documents import all_shapes
from mi_export.tables import TABLES, Field, Kind, Shape, Table

LINE = 100
_HEADER = '''"""Pydantic models of format v1's tables and content shapes.

GENERATED from mi_export.tables.definitions by ``python scripts/generate_schemas.py``: do
not edit by hand (tests/test_schema_drift.py fails when this file is stale).
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal

from mi_export.models._base import Record, ShapeModel, item_rule, rule
'''

_PY_TYPES = {
    Kind.ID: "str",
    Kind.STRING: "str",
    Kind.NONEMPTY: "str",
    Kind.TIME: "int",
    Kind.INSTANT: "int",
    Kind.BYTES: "int",
    Kind.INTEGER: "int",
    Kind.NUMBER: "float",
    Kind.BOOLEAN: "bool",
}


def record_class_name(table: str) -> str:
    """The class name of a table's record model: ``callLog`` -> ``CallLogRecord``."""
    return table[0].upper() + table[1:] + "Record"


def _py_type(field: Field, path: str) -> str:
    kind = field.kind
    if kind is Kind.ENUM:
        if field.open_enum:
            return "str"
        return "Literal[" + ", ".join(json.dumps(v) for v in field.enum) + "]"
    if kind in (Kind.OBJECT, Kind.CONTENT):
        return field.shape.name if field.shape else "dict[str, Any]"
    if kind is Kind.ARRAY:
        assert field.items is not None, f"{path}: array without items"
        items = field.items
        if items.kind is Kind.OBJECT:
            return f"list[{_py_type(items, path)}]"
        return f'list[Annotated[{_py_type(items, path)}, item_rule("{path}")]]'
    return _PY_TYPES[kind]


def _docstring(text: str, indent: str) -> list[str]:
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    width = LINE - len(indent) - 6
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    lines[0] = '"""' + lines[0]
    lines[-1] += '"""'
    return [indent + line for line in lines]


def _field_lines(field: Field, owner: str) -> list[str]:
    path = f"{owner}.{field.name}"
    annotation = _py_type(field, path) + ("" if field.required else " | None")
    default = "" if field.required else " = None"
    inner = f'{annotation}, rule("{path}")'
    line = f"    {field.name}: Annotated[{inner}]{default}"
    if len(line) <= LINE:
        lines = [line]
    elif len(inner) + 8 <= LINE:
        lines = [f"    {field.name}: Annotated[", f"        {inner}", f"    ]{default}"]
    else:
        lines = [
            f"    {field.name}: Annotated[",
            f"        {annotation},",
            f'        rule("{path}"),',
            f"    ]{default}",
        ]
    return lines + _docstring(field.description, "    ")


def _class_lines(
    name: str, base: str, doc: str, marker: str, owner: str, fields: Iterable[Field]
) -> list[str]:
    lines = ["", "", f"class {name}({base}):", *_docstring(doc, "    "), ""]
    lines.append(f'    {marker}: ClassVar[str] = "{owner}"')
    for field in fields:
        lines += ["", *_field_lines(field, owner)]
    return lines


def _shape_lines(shape: Shape) -> list[str]:
    return _class_lines(
        shape.name, "ShapeModel", shape.description, "shape_name", shape.name, shape.fields
    )


def _table_lines(table: Table) -> list[str]:
    role = "metadata" if table.metadata else f"service {table.service}"
    doc = f"Table ``{table.name}`` ({role}): {table.description}"
    return _class_lines(
        record_class_name(table.name), "Record", doc, "table_name", table.name, table.fields
    )


def _registry_lines(name: str, base: str, comment: str, items: dict[str, str]) -> list[str]:
    entries = [f'        "{key}": {value},' for key, value in items.items()]
    return [
        "",
        "",
        f"#: {comment}",
        f"{name}: Mapping[str, type[{base}]] = MappingProxyType(",
        "    {",
        *entries,
        "    }",
        ")",
    ]


def _all_lines(names: Iterable[str]) -> Iterator[str]:
    """``__all__``, sorted as ruff's RUF022 wants: constants first, then classes."""
    yield ""
    yield "__all__ = ["
    for name in sorted(names, key=lambda n: (not n.isupper(), n)):
        yield f'    "{name}",'
    yield "]"


def render_models() -> str:
    """The source of the generated models module, formatted as ``ruff format`` would."""
    shapes = all_shapes()
    records = {name: record_class_name(name) for name in TABLES}
    clash = set(shapes) & set(records.values())
    assert not clash, f"shape and record class names clash: {clash}"
    lines = [_HEADER.rstrip("\n")]
    lines += _all_lines([*shapes, *records.values(), "MODELS", "SHAPE_MODELS"])
    for shape in shapes.values():
        lines += _shape_lines(shape)
    for table in TABLES.values():
        lines += _table_lines(table)
    lines += _registry_lines(
        "SHAPE_MODELS",
        "ShapeModel",
        "Shape models, by shape name.",
        {name: name for name in shapes},
    )
    lines += _registry_lines("MODELS", "Record", "Record models, by table name.", records)
    return "\n".join(lines) + "\n"
