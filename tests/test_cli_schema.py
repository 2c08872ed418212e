"""``mi-export schema``: list, show and export, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from mi_export.schema import dump_schema, schema_documents, table_schema
from mi_export.tables import TABLES
from mi_export_validator.cli import cli, main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["schema", *args])
    return result.exit_code, result.stdout, result.stderr


def test_list_text_shows_tables_services_and_ids() -> None:
    code, out, _ = run("list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["TABLE", "SERVICE", "$ID"]
    assert len(lines) == 1 + len(TABLES) + 2  # the tables, defs and the report
    sms = next(line for line in lines if line.startswith("sms "))
    assert "SMS" in sms and sms.endswith("https://mi-export.org/schemas/v1/sms.schema.json")
    assert any(line.startswith("userQuota ") and "(metadata)" in line for line in lines)


def test_list_json() -> None:
    code, out, _ = run("list", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert [row["table"] for row in rows] == [*TABLES, "defs", "report"]
    by_table = {row["table"]: row for row in rows}
    assert by_table["giftMembership"]["kind"] == "metadata"
    assert by_table["callLog"] == {
        "table": "callLog",
        "kind": "service",
        "service": "Call log",
        "version": "1.0",
        "file": "callLog.schema.json",
        "id": "https://mi-export.org/schemas/v1/callLog.schema.json",
    }


def test_show_prints_the_published_document() -> None:
    code, out, _ = run("show", "sms")
    assert code == 0
    assert out == dump_schema(table_schema("sms"))


def test_show_defs() -> None:
    code, out, _ = run("show", "defs")
    assert code == 0
    assert json.loads(out)["$id"].endswith("/defs.schema.json")


def test_show_unknown_table_exits_2_with_a_clear_message() -> None:
    code, out, err = run("show", "smss")
    assert code == 2 and out == ""
    assert "unknown table 'smss'" in err and "sms" in err


def test_main_returns_ints() -> None:
    assert main(["schema", "show", "nope"]) == 2
    assert main(["schema", "list"]) == 0


def test_export_writes_every_document(tmp_path: Path) -> None:
    target = tmp_path / "out"
    code, out, _ = run("export", str(target))
    assert code == 0 and "21 schema files" in out
    documents = schema_documents()
    assert sorted(p.name for p in target.iterdir()) == sorted([*documents, "report.schema.json"])
    text = (target / "note.schema.json").read_text(encoding="utf-8")
    assert text == dump_schema(documents["note.schema.json"])


def test_report_schema_is_shown_and_matches_the_published_file() -> None:
    code, out, _ = run("show", "report")
    assert code == 0
    published = Path(__file__).resolve().parents[1] / "schemas" / "report.schema.json"
    assert out == published.read_text(encoding="utf-8")
    assert json.loads(out)["$id"].endswith("/report.schema.json")
