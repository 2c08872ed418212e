"""List the recordings and app backups of an archive, with their download links.

The archive holds the metadata and URLs of these files, not the files themselves:
fetch the ones you want to keep before the links expire.
Run from the repository root: ``python docs/examples/list_files.py``.
"""

import sys
from datetime import datetime, timezone

from mi_export import read_export
from mi_export.passwords import read_secret_file

archive = sys.argv[1] if len(sys.argv) > 1 else "fixtures/sample-export.zip"
password_file = sys.argv[2] if len(sys.argv) > 2 else "fixtures/sample-export.password"


def day(epoch_ms: int) -> str:
    """An epoch-milliseconds time as a UTC date."""
    return datetime.fromtimestamp(epoch_ms / 1000, tz=timezone.utc).strftime("%Y-%m-%d")


with read_export(archive, password=read_secret_file(password_file).reveal()) as export:
    for record in export.iter_records("recorder"):
        data = record.data
        state = "deleted" if data["deleteTime"] else "kept"
        print(f"recording {data['name']} ({data['size']} bytes, {day(data['createTime'])}, "
              f"{state}): {data['url']}")
    for record in export.iter_records("appBackup"):
        data = record.data
        print(f"app backup {data['label']} {data['versionName']} "
              f"({day(data['backupTime'])}): {data['url']}")
