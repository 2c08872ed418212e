"""Write a signed, AES-256 archive from Python, then check it with the validator.

Run from the repository root: ``python docs/examples/write_archive.py``. It writes
``out/my-export.zip``, ``out/my-export.password`` and the public key ``out/my-export.pub``.
"""

import os
from pathlib import Path

from mi_export import ArchiveWriter, RecordValidationError
from mi_export.passwords import generate_password
from mi_export.signing import generate_keypair, load_private_key
from mi_export_validator.engine import Options, validate

out = Path("out")
out.mkdir(exist_ok=True)

# A strong random password (about 138 bits), sent to the user with the download link.
# The file is created readable by its owner only (mode 0600).
password = generate_password()
fd = os.open(out / "my-export.password", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
with os.fdopen(fd, "w", encoding="utf-8") as stream:
    stream.write(password.reveal() + "\n")

# A signing key pair: publish the public key. A real service keeps its private key in a
# secret store and loads it with load_private_key(pem, passphrase).
private_pem, public_pem = generate_keypair(None)
(out / "my-export.pub").write_bytes(public_pem)
key = load_private_key(private_pem, None)

sms = [
    {
        "id": "100003009413120410",
        "content": {"address": "10086", "body": "你好 👋", "folder": "0",
                    "localTime": 1733040000000, "threadId": "10002936012800400"},
        "creator": "sms-sync",
        "deleted": False,
        "lastUpdateTime": 1733054400000,
    },
]

with ArchiveWriter(out / "my-export.zip", password=password, signing_key=key,
                   request_type="backup", overwrite=True) as writer:
    # Small tables in one call...
    writer.write_table("sms", sms)
    # ...or streamed record by record, in constant memory.
    with writer.open_table("commonPhrase") as table:
        for n, phrase in enumerate(["我在开会，稍后回电 🙏", "On my way"]):
            record = {"id": str(100009542041601300 + n), "phrase": phrase, "type": "custom",
                      "status": "normal", "createTime": 1733011200000,
                      "updateTime": 1733032800000, "size": 256, "active": True}
            try:
                table.write(record)
            except RecordValidationError as exc:  # the record is skipped, the table goes on
                print("skipped:", [f.code for f in exc.findings])

manifest = writer.manifest
assert manifest is not None
print(f"wrote {writer.path}: {manifest.table_records()}, export {manifest.export_id}")

# Check the result as a receiving provider would, signature included.
report = validate(out / "my-export.zip",
                  Options(password=password.reveal(), trust_key=public_pem))
print("valid" if report.valid else "invalid", "- exit code", report.exit_code)
