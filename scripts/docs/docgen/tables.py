"""The table pages, the tables index, the content shapes and the non-exportable list."""

from __future__ import annotations

import json

from docgen.common import code, finding, header, json_block, table
from docgen.examples import example_record, from_sample, shape_example
from docgen.fields import FIELD_HEAD, anchor, field_rows, pattern_list
from mi_export.schema import schema_id
from mi_export.tables import NON_EXPORTABLE, SHAPES, TABLES, TIME_SEQUENCE, Field, Kind, Table

SOURCE = "mi_export.tables (sdk/mi_export/tables/definitions.py)"


def schema_file(name: str) -> str:
    """The published schema file of a table (or ``defs``)."""
    return f"{name}.schema.json"


def render_table_page(tbl: Table) -> str:
    """``reference/tables/NAME.md``."""
    kind = "Metadata table" if tbl.metadata else "Service table"
    file = schema_file(tbl.name)
    out = [
        header(SOURCE),
        f"# {tbl.name} ({tbl.service})\n\n",
        f"{tbl.description} {kind}; service in the guide: **{tbl.service}**.\n\n",
        table(("property", "value"), [
            ("JSON Schema `$id`", code(schema_id(file))),
            ("Schema file", f"[{file}](../../schemas/{file}) (JSON Schema draft 2020-12, "
             f"with [defs.schema.json](../../schemas/defs.schema.json))"),
            ("Schema version", code(tbl.schema_version)),
            ("Records are told apart by", _key_text(tbl)),
        ]),
        "\n## Fields\n\n",
        table(FIELD_HEAD, field_rows(tbl.fields, "../")),
    ]
    patterns = pattern_list(tbl.fields)
    if patterns:
        out.append("\nPatterns (ECMA-262 regular expressions):\n\n" + patterns)
    out.append(_example_section(tbl))
    out.append(_rules_section(tbl))
    return "".join(out)


def _key_text(tbl: Table) -> str:
    if not tbl.key:
        return "no duplicate rule (metadata)"
    fields = ", ".join(code(k) for k in tbl.key)
    return f"{fields}: two records with the same value are {finding('id.duplicate', '../')}"


def _example_section(tbl: Table) -> str:
    record = example_record(tbl)
    where = ("A record of the sample archive `fixtures/sample-export.zip`"
             if from_sample(tbl) else "A valid record")
    out = [f"\n## Example\n\n{where}, as a data file `{tbl.name}.json` holds it:\n\n",
           json_block({tbl.name: [record]})]
    content = [f for f in tbl.fields if f.kind is Kind.CONTENT and f.name in record]
    if content:
        first = content[0]
        value = record[first.name]
        if isinstance(value, str):
            other, form = json.loads(value), "an object"
        else:
            other, form = json.dumps(value, ensure_ascii=False, separators=(",", ":")), \
                "a JSON string"
        out.append(f"\nA content field holds an object or the same object as a JSON string; "
                   f"this `{first.name}` written as {form} is equally valid:\n\n")
        out.append(json_block({first.name: other}))
    return "".join(out)


def _rules_section(tbl: Table) -> str:
    names = {f.name for f in tbl.fields}
    rules: list[str] = []
    times = [f.name for f in tbl.fields if f.kind is Kind.TIME]
    if times:
        rules.append("times " + ", ".join(code(t) for t in times) + ": [`time.range`]"
                     "(../codes.md#time.range), [`time.seconds`](../codes.md#time.seconds)")
    for earlier, later, may_be_zero in TIME_SEQUENCE:
        if earlier in names and later in names:
            when = f" (when {code(later)} is not 0)" if may_be_zero else ""
            rules.append(f"{code(earlier)} ≤ {code(later)}{when}: warning "
                         "[`time.sequence`](../codes.md#time.sequence)")
    if any(f.kind is Kind.ID for f in tbl.fields):
        rules.append("ids written as JSON numbers: [`id.numeric`](../codes.md#id.numeric), "
                     "[`id.precision`](../codes.md#id.precision)")
    content = [f.name for f in tbl.fields if f.kind is Kind.CONTENT]
    if content:
        rules.append(", ".join(code(c) for c in content) + ": a string that is not a JSON "
                     "object is [`content.invalid`](../codes.md#content.invalid); inside, "
                     "fields are checked like any others")
    if tbl.key:
        rules.append(_key_text(tbl))
    if tbl.name == "calendar":
        rules.append("`content.dtend` < `content.dtstart`: [`time.order`](../codes.md#time.order)")
    lines = "".join(f"- {rule}\n" for rule in rules)
    return ("\n## Rules beyond the schema\n\nChecked by `mi-export validate` "
            "([finding codes](../codes.md)):\n\n" + lines)


def render_tables_index() -> str:
    """``reference/tables/index.md``: every table at a glance."""
    rows = [
        (f"[{code(t.name)}]({t.name}.md)", t.service, "metadata" if t.metadata else "service",
         str(len(t.fields)), f"[{schema_file(t.name)}](../../schemas/{schema_file(t.name)})")
        for t in TABLES.values()
    ]
    return "".join([
        header(SOURCE),
        "# Tables\n\n",
        f"Format v1 has {len(TABLES)} tables: "
        f"{sum(not t.metadata for t in TABLES.values())} services and "
        f"{sum(t.metadata for t in TABLES.values())} metadata tables (FORMAT.md §4). "
        "A data file is one JSON object whose keys are table names and whose values are "
        "arrays of records: `{\"tableName\": [record, ...]}`. Tables are identified by "
        "those keys, never by file names.\n\n",
        table(("table", "service", "kind", "fields", "JSON Schema"), rows),
        "\nThe shared definitions (ids, times, sizes and every content shape) are in "
        "[defs.schema.json](../../schemas/defs.schema.json). Field types are explained in "
        "[Field types and formats](../types.md); nested objects in "
        "[Content shapes](../shapes.md). Tables that must never appear are listed in "
        "[Data that must not be exported](../non-exportable.md).\n",
    ])


def _users(shape_name: str) -> list[str]:
    """Links to the tables and shapes whose fields hold ``shape_name``."""
    found: list[str] = []

    def holds(f: Field) -> bool:
        inner = f.items if f.items is not None else f
        return inner.shape is not None and inner.shape.name == shape_name

    for t in TABLES.values():
        found += [f"[{code(t.name + '.' + f.name)}](tables/{t.name}.md)"
                  for f in t.fields if holds(f)]
    for s in SHAPES.values():
        found += [f"[{code(s.name + '.' + f.name)}](#{anchor(s.name)})"
                  for f in s.fields if holds(f)]
    return found


def render_shapes_page() -> str:
    """``reference/shapes.md``: every object shape, its fields, an example, who uses it."""
    out = [header(SOURCE), "# Content shapes\n\n",
           "The objects held by content fields (an object, or a string holding it as "
           "JSON: see [content](types.md#content)) and by nested fields. Required fields "
           "come first; optional ones may be absent. Every shape is also a `$defs` entry of "
           "[defs.schema.json](../schemas/defs.schema.json).\n\n"]
    for shape in SHAPES.values():
        out += [f"## {shape.name} {{#{anchor(shape.name)}}}\n\n", f"{shape.description}\n\n"]
        users = _users(shape.name)
        if users:
            out.append("Used by " + ", ".join(users) + ".\n\n")
        out.append(table(FIELD_HEAD, field_rows(shape.fields, "")))
        patterns = pattern_list(shape.fields)
        if patterns:
            out.append("\nPatterns:\n\n" + patterns)
        out += ["\nExample:\n\n", json_block(shape_example(shape)), "\n"]
    return "".join(out).rstrip("\n") + "\n"


def render_non_exportable_page() -> str:
    """``reference/non-exportable.md``: the tables that must never be in an archive."""
    rows = [(code(name), "[`table.non-exportable`](codes.md#table.non-exportable) (error)")
            for name in sorted(NON_EXPORTABLE)]
    return "".join([
        header("mi_export.tables.NON_EXPORTABLE"),
        "# Data that must not be exported\n\n",
        "The guide lists data that cannot be exported (FORMAT.md §5): Mi Cloud user-id "
        "mapping, the shared files of membership and of Mi Cloud, VIP operations, "
        "statistics and gifts, invoices and the user profile, activity data (tickets, "
        "activation codes) and user status. An archive that contains any of it **leaks "
        "data and is invalid**, whatever the case of the table's name "
        "(`UserStatus` is matched like `userstatus`). The table names are ours "
        "(*assumed*): the guide names the data, not the tables.\n\n",
        table(("table name (any case)", "finding"), rows),
        "\n`ArchiveWriter.open_table` refuses these names (`WriterError`) and "
        "`mi-export pack` stops on them (exit 1, no archive written), so our own tools "
        f"cannot write them. Any other table that is not one of the [{len(TABLES)} "
        f"tables](tables/index.md) is a warning {finding('table.unknown')}: it is kept and "
        "counted, not checked.\n",
    ])
