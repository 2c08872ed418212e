"""Read the records of an archive: counts per table, then a few messages.

Run from the repository root: ``python docs/examples/read_records.py``.
"""

from collections import Counter

from mi_export import read_export
from mi_export.passwords import read_secret_file

ARCHIVE = "fixtures/sample-export.zip"
password = read_secret_file("fixtures/sample-export.password")

with read_export(ARCHIVE, password=password.reveal()) as export:
    # One pass over every data file, in reading order, in constant memory.
    counts = Counter(record.table for record in export.iter_records())
    for table, count in counts.items():
        print(f"{table:<18} {count:>4} records")

    # Content fields come out decoded, whether the archive held an object or a JSON string.
    for record in export.iter_records("sms"):
        message = record.data["content"]
        direction = "sent" if message["folder"] == "1" else "received"
        print(f"{record.pointer}: {direction} {message['address']}: {message['body']}")
        if record.index == 2:
            break

    # Typed access: each table has a pydantic model (SmsRecord, ContactRecord...).
    first_contact = next(export.iter_models("contact"))
    print(type(first_contact).__name__, first_contact.id)
