"""Records of the sample fixture archive: all 19 tables, realistic and warning-free.

Chinese and emoji text, both content forms (object and JSON string), deleted records,
17-19 digit ids (above 2^53), and enough SMS to split that table over two files.
Everything is literal or derived from fixed numbers: the output never changes.
"""

from __future__ import annotations

import json
from typing import Any

Record = dict[str, Any]

DAY = 86_400_000
T0 = 1_733_011_200_000  # 2024-12-01T00:00:00Z


def t(day: float, hours: float = 0) -> int:
    """Epoch ms, ``day`` days and ``hours`` hours after 2024-12-01T00:00:00Z."""
    return int(T0 + day * DAY + hours * 3_600_000)


def big_id(n: int, digits: int = 18) -> str:
    """A digit-string id of ``digits`` digits (17-19: above 2^53, as Xiaomi's are)."""
    return str(10 ** (digits - 1) + 7_340_032_001 * n)


def as_json(value: dict[str, Any]) -> str:
    """Content in Xiaomi's habit: an object held in a string, as JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def recorder() -> list[Record]:
    names = ["会议记录 2024-12-02.m4a", "通话录音 妈妈 📞.m4a", "FM 97.4 晚间新闻.aac"]
    kinds = ["recorder", "phoneCall", "fm"]
    out = []
    for i, (name, kind) in enumerate(zip(names, kinds, strict=True)):
        deleted = i == 2
        out.append(
            {
                "id": big_id(100 + i, 19),
                "name": name,
                "type": kind,
                "size": 1_048_576 * (i + 2),
                "url": f"https://fds.micloud.example/recorder/{big_id(100 + i, 19)}?expires=30d",
                "createTime": t(i + 1, 9),
                "uploadTime": t(i + 1, 9.5),
                "deleteTime": t(i + 5) if deleted else 0,
                "purgeTime": 0,
                "restoreTime": 0,
                "sha1": f"{i + 1:x}" * 40,
            }
        )
    return out


def contact() -> list[Record]:
    group = {
        "id": big_id(200),
        "content": {"displayName": "家人 👨‍👩‍👧"},
        "createTime": t(0),
        "updateTime": t(0),
        "status": "normal",
        "type": "group",
    }
    zhang = {
        "displayName": "张伟",
        "name": {"givenName": "伟", "familyName": "张"},
        "phoneNumbers": [
            {"type": "mobile", "value": "+86 138 0013 8000"},
            {"type": "公司", "value": "010-6260 6666"},
        ],
        "emails": [{"type": "work", "value": "zhang.wei@example.cn"}],
        "addresses": [{"type": "home", "city": "北京", "country": "中国"}],
        "events": [{"type": "birthday", "value": "1990-05-17"}],
        "groups": [{"value": big_id(200)}],
        "starred": True,
    }
    anna = {
        "displayName": "Anna de Vries",
        "nickname": "Anna 🌷",
        "phoneNumbers": [{"type": "mobile", "value": "+31 6 1234 5678"}],
        "organizations": [{"company": "Example B.V.", "title": "Engineer"}],
        "events": [{"type": "anniversary", "value": "--09-01"}],
    }
    old = {"displayName": "旧号码", "note": "已停用"}
    return [
        group,
        {
            "id": big_id(201),
            "content": zhang,
            "createTime": t(1),
            "updateTime": t(3),
            "status": "normal",
            "type": "contact",
        },
        {
            "id": big_id(202),
            "content": as_json(anna),
            "createTime": t(2),
            "updateTime": t(2),
            "status": "normal",
            "type": "contact",
        },
        {
            "id": big_id(203),
            "content": as_json(old),
            "createTime": t(1),
            "updateTime": t(4),
            "status": "deleted",
            "type": "contact",
        },
    ]


def find_device() -> list[Record]:
    location = {
        "latitude": 39.9075,
        "longitude": 116.39723,
        "infoTime": t(6, 20),
        "accuracy": 12.5,
        "coordinateType": "gcj02",
        "powerLevel": 76,
    }
    return [
        {
            "id": big_id(300),
            "lockContent": {"content": "捡到请联系我 🙏", "phone": "+8613800138000"},
            "phoneInfo": as_json(
                {
                    "model": "Xiaomi 14",
                    "imei": "861234567890123",
                    "version": "HyperOS 1.0",
                    "deviceType": "phone",
                }
            ),
            "status": "locked",
            "content": location,
            "updateTime": t(6, 20),
        },
        {
            "id": big_id(301),
            "lockContent": "{}",
            "phoneInfo": {"model": "Redmi Pad"},
            "status": "offline",
            "updateTime": t(2),
        },
    ]


def sms(count: int = 12) -> list[Record]:
    bodies = [
        "你好，明天见 👋",
        "验证码 482913，5分钟内有效",
        "Your parcel is on its way 📦",
        "晚饭吃什么？🍜",
        "好的👌",
        "会议改到下午三点",
    ]
    out = []
    for i in range(count):
        content = {
            "address": "+8613800138000" if i % 2 else "10086",
            "body": bodies[i % 6],
            "folder": str(i % 2),
            "localTime": t(i, 8 + i % 10),
            "threadId": big_id(400 + i % 3, 17),
            "read": i % 4 != 0,
        }
        out.append(
            {
                "id": big_id(410 + i),
                "content": as_json(content) if i % 3 == 1 else content,
                "creator": "sms-sync",
                "deleted": i % 5 == 4,
                "lastUpdateTime": t(i, 12),
            }
        )
    return out


def call_log() -> list[Record]:
    calls = [
        ("+8613800138000", "incoming", 125, "张伟"),
        ("10086", "outgoing", 46, None),
        ("+31612345678", "missed", 0, "Anna de Vries"),
    ]
    out = []
    for i, (number, kind, duration, name) in enumerate(calls):
        content: dict[str, Any] = {
            "number": number,
            "type": kind,
            "duration": duration,
            "date": t(i + 2, 18),
        }
        if name:
            content["name"] = name
        out.append(
            {
                "id": big_id(500 + i),
                "content": as_json(content) if i == 1 else content,
                "creator": "device-861234",
                "modifier": "device-861234",
                "status": "deleted" if i == 2 else "normal",
            }
        )
    return out


def note() -> list[Record]:
    return [
        {
            "id": big_id(600),
            "content": "<text>购物清单</text>\n<bullet>牛奶 🥛</bullet>",
            "history": [{"content": "<text>购物清单</text>", "updateTime": t(3)}],
            "folderName": "生活",
            "status": "normal",
            "type": "todo",
            "createTime": t(3),
            "updateTime": t(4),
            "order": 1,
        },
        {
            "id": big_id(601),
            "content": "Ideas for the trip ✈️",
            "history": [],
            "folderName": "",
            "status": "deleted",
            "type": "note",
            "createTime": t(1),
            "updateTime": t(5),
            "order": 2,
        },
    ]


def micard() -> list[Record]:
    return [
        {
            "id": big_id(700),
            "cardContent": {"cardType": "transit", "name": "北京一卡通", "balance": 52.5},
            "recordStatus": "normal",
            "syncStatus": "synced",
        },
        {
            "id": big_id(701),
            "cardContent": as_json({"cardType": "access", "name": "公司门禁"}),
            "recordStatus": "deleted",
            "syncStatus": "pending",
        },
    ]


def browser() -> list[Record]:
    folder = {"title": "收藏夹", "url": "", "isFolder": True, "position": 0, "createTime": t(0)}
    page = {
        "title": "小米官网",
        "url": "https://www.mi.com/",
        "parentId": big_id(800),
        "isFolder": False,
        "position": 1,
        "createTime": t(1),
        "updateTime": t(2),
    }
    return [
        {"id": big_id(800), "content": folder, "status": "normal"},
        {"id": big_id(801), "content": as_json(page), "status": "normal"},
        {
            "id": big_id(802),
            "content": {"title": "旧链接", "url": "https://example.com/old"},
            "status": "deleted",
        },
    ]


def cloud_card() -> list[Record]:
    return [
        {"id": big_id(900), "content": {"template": "weather", "city": "深圳", "unit": "celsius"}},
        {"id": big_id(901), "content": as_json({"template": "steps", "goal": 8000})},
    ]


def app_backup() -> list[Record]:
    apps = [
        ("com.tencent.mm", "微信", "8.0.49", 2480),
        ("com.xiaomi.smarthome", "米家", "9.2.701", 902),
    ]
    out = []
    for i, (pkg, label, version, code) in enumerate(apps):
        out.append(
            {
                "deviceId": "dev-8f3a2c",
                "product": "houji",
                "imei": "861234567890123",
                "backupTime": t(10, i),
                "backupSize": 734_003_200 // (i + 1),
                "deleteTime": 0,
                "pkgName": pkg,
                "label": label,
                "versionName": version,
                "versionCode": code,
                "iconEnabled": True,
                "apkSize": 268_435_456 // (i + 1),
                "oldestBackupTime": t(2),
                "url": f"https://fds.micloud.example/backup/{pkg}.bak",
            }
        )
    return out


def music() -> list[Record]:
    return [
        {
            "playlistOnlineId": "pl-10086",
            "songOnlineId": f"song-{n}",
            "status": status,
            "type": 1,
            "createTime": t(n),
            "updateTime": t(n + 1),
            "size": 8_388_608,
            "active": n < 3,
        }
        for n, status in ((1, "normal"), (2, "normal"), (3, "deleted"))
    ]


def calendar() -> list[Record]:
    meeting = {
        "title": "项目周会 📅",
        "dtstart": t(7, 2),
        "dtend": t(7, 3),
        "allDay": False,
        "eventTimezone": "Asia/Shanghai",
        "rrule": "FREQ=WEEKLY;BYDAY=MO;COUNT=10",
        "eventLocation": "会议室 A",
        "reminders": [15, 60],
    }
    birthday = {
        "title": "张伟生日 🎂",
        "dtstart": t(167),
        "dtend": t(168),
        "allDay": True,
        "rrule": "FREQ=YEARLY",
    }
    return [
        {"id": big_id(1000), "status": "normal", "type": "event", "content": meeting},
        {"id": big_id(1001), "status": "normal", "type": "birthday", "content": as_json(birthday)},
        {
            "id": big_id(1002),
            "status": "deleted",
            "type": "reminder",
            "content": {"title": "交房租", "dtstart": t(30, 1), "dtend": t(30, 1), "allDay": False},
        },
    ]


def loan_model() -> list[Record]:
    return [
        {
            "id": big_id(1100),
            "loanInfo": {"amount": "5000.00", "currency": "CNY", "term": 12},
            "creditInfo": as_json({"limit": "20000.00", "level": "A"}),
            "content": {},
            "status": "normal",
            "type": "personal",
            "createTime": t(2),
            "updateTime": t(8),
            "size": 2048,
            "active": True,
        },
    ]


def _lifecycle(i: int) -> dict[str, Any]:
    return {"createTime": t(i), "updateTime": t(i, 6), "size": 256 * (i + 1), "active": i != 2}


def app_search() -> list[Record]:
    queries = ["天气预报", "计算器", "Mi Home 米家"]
    return [
        {
            "id": big_id(1200 + i),
            "record": q,
            "type": "app",
            "searchTime": t(i, 3),
            "status": "deleted" if i == 2 else "normal",
            **_lifecycle(i),
        }
        for i, q in enumerate(queries)
    ]


def common_phrase() -> list[Record]:
    phrases = ["我在开会，稍后回电 🙏", "On my way!", "收到，谢谢"]
    return [
        {
            "id": big_id(1300 + i),
            "phrase": p,
            "type": "custom",
            "status": "deleted" if i == 2 else "normal",
            **_lifecycle(i),
        }
        for i, p in enumerate(phrases)
    ]


def clipboard() -> list[Record]:
    clips = [
        ("text", "快递单号 SF1234567890"),
        ("uri", "https://www.mi.com/"),
        ("html", "<b>加粗</b> 文本 ✨"),
    ]
    return [
        {
            "id": big_id(1400 + i),
            "text": text,
            "type": kind,
            "status": "deleted" if i == 2 else "normal",
            **_lifecycle(i),
        }
        for i, (kind, text) in enumerate(clips)
    ]


def user_quota() -> list[Record]:
    return [
        {
            "createTime": t(0),
            "expireTime": t(365),
            "size": 5_368_709_120,
            "status": "active",
            "type": "base",
        },
        {
            "createTime": t(-365),
            "expireTime": t(0),
            "size": 53_687_091_200,
            "status": "expired",
            "type": "yearly",
        },
    ]


def service_quota_usage() -> list[Record]:
    usage = [
        ("Sms", "normal", 10_485_760),
        ("Recorder", "warning", 4_294_967_296),
        ("Note", "normal", 1_048_576),
        ("Gallery", "full", 5_368_709_120),
    ]
    return [
        {"type": kind, "usageStatus": status, "volume": volume} for kind, status, volume in usage
    ]


def gift_membership() -> list[Record]:
    return [
        {
            "amount": 30,
            "channel": "新用户礼包 🎁",
            "createTime": t(1),
            "level": "VIP1",
            "type": "trial",
        }
    ]


#: Table name -> records, in the order they are written.
TABLE_RECORDS = {
    "recorder": recorder,
    "contact": contact,
    "findDevice": find_device,
    "sms": sms,
    "callLog": call_log,
    "note": note,
    "micard": micard,
    "browser": browser,
    "cloudCard": cloud_card,
    "appBackup": app_backup,
    "music": music,
    "calendar": calendar,
    "loanModel": loan_model,
    "appSearch": app_search,
    "commonPhrase": common_phrase,
    "clipboard": clipboard,
    "userQuota": user_quota,
    "serviceQuotaUsage": service_quota_usage,
    "giftMembership": gift_membership,
}
