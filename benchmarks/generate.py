"""Generate a deterministic export archive of a chosen size, for benchmarks.

    python benchmarks/generate.py OUT.zip --mb 100 [--invalid] [--password PW]

Records are realistic (Chinese and emoji text, JSON-string and object content, long
digit-string ids) and valid, or, with ``--invalid``, every record fails a check.
The same arguments always give the same JSON bytes (AES salts differ).
"""

from __future__ import annotations

import argparse
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mi_export.writer import ArchiveWriter

T0 = 1764633600000
WORDS = [
    "你好",
    "明天见",
    "会议",
    "😀",
    "🎉",
    "station",
    "meeting",
    "café",
    "地铁",
    "周末",
    "photo",
    "生日快乐",
    "ok",
    "谢谢",
    "Amsterdam",
    "晚饭",
    "🚇",
    "data",
    "备份",
    "migration",
]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def sms(rng: random.Random, i: int, invalid: bool) -> dict[str, Any]:
    content = {
        "address": f"+86138{rng.randrange(10**8):08d}",
        "body": _text(rng, 12),
        "folder": rng.choice("01"),
        "localTime": T0 - i * 1000,
        "threadId": str(10**16 + rng.randrange(10**6)),
    }
    return {
        "id": str(10**16 + i),
        "content": json.dumps(content, ensure_ascii=False),
        "creator": "phone",
        "deleted": rng.random() < 0.05,
        "lastUpdateTime": "bad" if invalid else T0 - i,
    }


def contact(rng: random.Random, i: int, invalid: bool) -> dict[str, Any]:
    content = {
        "displayName": _text(rng, 2),
        "phoneNumbers": [{"type": "mobile", "value": f"+86 138 {rng.randrange(10**8):08d}"}],
        "emails": [{"type": "home", "value": f"user{i}@example.com"}],
        "note": _text(rng, 5),
    }
    return {
        "id": str(2 * 10**16 + i),
        "content": content,
        "createTime": T0 - 10**6,
        "updateTime": T0,
        "status": "purged" if invalid else "normal",
        "type": "contact",
    }


def note(rng: random.Random, i: int, invalid: bool) -> dict[str, Any]:
    return {
        "id": str(3 * 10**16 + i),
        "content": _text(rng, 40),
        "history": [{"content": _text(rng, 10), "updateTime": T0 - 5000}],
        "folderName": "默认",
        "status": "normal",
        "type": "note",
        "createTime": T0 - 10**6,
        "updateTime": T0,
        "order": "first" if invalid else i,
    }


def call_log(rng: random.Random, i: int, invalid: bool) -> dict[str, Any]:
    content = {
        "number": f"+3161{rng.randrange(10**7):07d}",
        "type": "incoming",
        "duration": -5 if invalid else rng.randrange(600),
        "date": T0 - i * 60000,
    }
    return {
        "id": str(4 * 10**16 + i),
        "content": content,
        "creator": "phone",
        "modifier": "phone",
        "status": "normal",
    }


TABLES = {"sms": sms, "contact": contact, "note": note, "callLog": call_log}


def records(table: str, target_bytes: int, seed: int, invalid: bool) -> Iterator[Any]:
    rng = random.Random(f"{seed}-{table}")
    make, written, i = TABLES[table], 0, 0
    while written < target_bytes:
        record = make(rng, i, invalid)
        written += len(json.dumps(record, ensure_ascii=False).encode()) + 2
        i += 1
        yield record


def generate(
    out: Path,
    mb: float,
    *,
    invalid: bool = False,
    password: str = "bench",
    seed: int = 1,
    split_mb: int = 512,
) -> None:
    """Write an archive of about ``mb`` MB of JSON, spread over four tables."""
    share = int(mb * 1e6 / len(TABLES))
    with ArchiveWriter(
        out,
        password=password,
        clock=lambda: T0,
        export_id="benchmark",
        validate=False,
        overwrite=True,
        split_bytes=split_mb << 20,
        compresslevel=1,
    ) as writer:
        for table in TABLES:
            writer.write_table(table, records(table, share, seed, invalid))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=100)
    parser.add_argument("--invalid", action="store_true")
    parser.add_argument("--password", default="bench")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.mb, invalid=args.invalid, password=args.password, seed=args.seed)


if __name__ == "__main__":
    main()
