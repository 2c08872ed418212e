"""Validate archives from Python: a report, or a stream of findings.

Run from the repository root: ``python docs/examples/validate_archive.py``.
"""

import json
from pathlib import Path

from mi_export.passwords import read_secret_file
from mi_export_validator.engine import Options, iter_findings, validate

password = read_secret_file("fixtures/sample-export.password").reveal()
public_key = Path("fixtures/sample-signing.pub").read_bytes()
options = Options(password=password, trust_key=public_key, max_findings=100)

# A whole report: counts, tables, findings, and the CLI's exit code.
report = validate("fixtures/sample-export.zip", options)
print(f"valid={report.valid} errors={report.errors} warnings={report.warnings} "
      f"records={report.records} exit={report.exit_code}")
for table in report.tables[:3]:
    print(f"  {table.name}: {table.records} records in {', '.join(table.files)}")

# The JSON report of `mi-export validate --format json` is report.to_dict().
print(json.dumps(report.to_dict()["stats"], sort_keys=True))

# Or stream findings lazily, e.g. to stop at the first error. Without the password
# this archive cannot be opened: one fatal finding explains why.
for finding in iter_findings("fixtures/sample-export.zip", Options()):
    print(finding.severity, finding.code, finding.to_dict().get("file", "-"))
    if finding.severity == "error":
        break
