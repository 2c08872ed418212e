"""The single source of truth for format v1's tables (FORMAT.md §4 and §5).

Everything else (JSON Schema files, pydantic models, docs pages, validator rules) is
derived from :data:`TABLES`, :data:`SHAPES` and :data:`NON_EXPORTABLE`.
"""

from __future__ import annotations

from collections.abc import Mapping

from mi_export.tables._spec import (
    ID_PATTERN,
    MIN_INSTANT_MS,
    TIME_LIMIT_MS,
    Field,
    Kind,
    Shape,
    Table,
)

K = Kind
STATUS = ("normal", "deleted")
SHA1_PATTERN = r"^[0-9a-f]{40}$"
URI_PATTERN = r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s]*$"
#: FORMAT.md writes ``[\w]``: in JSON Schema (ECMA-262) that is ASCII only; spelt out so that
#: Python and Rust regex engines, where ``\w`` is Unicode, mean the same.
PACKAGE_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$"
DATE_PATTERN = r"^(?:[0-9]{4}|-)-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$"
TIMEZONE_PATTERN = r"^(?:UTC|GMT|[A-Za-z][A-Za-z0-9_+\-]*(?:/[A-Za-z0-9_+\-]+)+)$"
RRULE_PATTERN = (
    r"^(?:RRULE:)?(?=(?:[A-Z]+=[^;=\s]+;)*FREQ=(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|"
    r"MONTHLY|YEARLY)(?:;|$))[A-Z]+=[^;=\s]+(?:;[A-Z]+=[^;=\s]+)*$"
)


def _id(
    name: str = "id",
    desc: str = "Record id: 1-20 decimal digits, as a string.",
    required: bool = True,
) -> Field:
    return Field(name, K.ID, desc, required=required, pattern=ID_PATTERN, format_name="id")


def _time(name: str, desc: str, required: bool = True) -> Field:
    return Field(
        name,
        K.TIME,
        desc + " Epoch milliseconds, UTC; 0 = unset.",
        required=required,
        minimum=0,
        maximum=TIME_LIMIT_MS - 1,
    )


def _instant(name: str, desc: str) -> Field:
    return Field(
        name,
        K.INSTANT,
        desc + " Epoch milliseconds, UTC (0 is 1970-01-01).",
        minimum=MIN_INSTANT_MS,
        maximum=TIME_LIMIT_MS - 1,
    )


def _str(name: str, desc: str, required: bool = True) -> Field:
    return Field(name, K.STRING, desc, required=required)


def _label(name: str, desc: str, required: bool = True) -> Field:
    return Field(name, K.NONEMPTY, desc, required=required, minimum=1)


def _bytes(name: str, desc: str = "Size in bytes.") -> Field:
    return Field(name, K.BYTES, desc, minimum=0)


def _bool(name: str, desc: str, required: bool = True) -> Field:
    return Field(name, K.BOOLEAN, desc, required=required)


def _enum(
    name: str, values: tuple[str, ...], desc: str, *, required: bool = True, open_enum: bool = False
) -> Field:
    return Field(name, K.ENUM, desc, required=required, enum=values, open_enum=open_enum)


def _status(name: str = "status") -> Field:
    return _enum(name, STATUS, "Record state.")


def _content(name: str, shape: Shape | None, desc: str, required: bool = True) -> Field:
    return Field(
        name,
        K.CONTENT,
        desc + " An object, or a string holding it as JSON.",
        required=required,
        shape=shape,
    )


def _pattern(name: str, pattern: str, fmt: str, desc: str, required: bool = True) -> Field:
    return Field(name, K.STRING, desc, required=required, pattern=pattern, format_name=fmt)


def _array(name: str, item: Field, desc: str, required: bool = False) -> Field:
    return Field(name, K.ARRAY, desc, required=required, items=item)


def _objects(name: str, shape: Shape, desc: str) -> Field:
    return _array(name, Field("item", K.OBJECT, shape.description, shape=shape), desc)


# --- content shapes -------------------------------------------------------------------

_TYPED_VALUE_PHONE = Shape(
    "PhoneNumber",
    "A phone number, kept as written.",
    (
        _enum(
            "type",
            ("mobile", "work", "home", "main", "faxWork", "faxHome", "pager", "other"),
            "Phone type, or a custom label.",
            open_enum=True,
        ),
        _str("value", "The number as written (no format is enforced)."),
    ),
)


def _typed_value(name: str, what: str) -> Shape:
    return Shape(
        name,
        f"{what[0].upper()}{what[1:]}, with its type.",
        (
            _label("type", "Type, or a custom label."),
            _str("value", f"The {what}."),
        ),
    )


EMAIL = _typed_value("Email", "e-mail address")
INSTANT_MESSAGING = _typed_value("InstantMessaging", "messaging handle")
WEBSITE = _typed_value("Website", "web address")
NAME = Shape(
    "Name",
    "A structured person name.",
    tuple(
        _str(part, f"The {part} part of the name.", required=False)
        for part in ("formatted", "givenName", "familyName", "middleName", "prefix", "suffix")
    ),
)
ADDRESS = Shape(
    "Address",
    "A postal address.",
    (
        _label("type", "Address type, or a custom label."),
        *(
            _str(part, f"The {part} of the address.", required=False)
            for part in ("formatted", "street", "city", "region", "postalCode", "country")
        ),
    ),
)
ORGANIZATION = Shape(
    "Organization",
    "A company and job title.",
    (
        _str("company", "Company name.", required=False),
        _str("title", "Job title.", required=False),
    ),
)
CONTACT_EVENT = Shape(
    "ContactEvent",
    "A date in a contact's life.",
    (
        _enum(
            "type", ("birthday", "anniversary"), "Event type, or a custom label.", open_enum=True
        ),
        _pattern("value", DATE_PATTERN, "date", "YYYY-MM-DD, or --MM-DD without a year."),
    ),
)
GROUP_REF = Shape(
    "GroupRef",
    "Membership of a contact group.",
    (_id("value", "Id of the group record (a contact record of type group)."),),
)
CONTACT = Shape(
    "Contact",
    "A contact card.",
    (
        _str("displayName", "Name shown in lists (may be empty)."),
        Field("name", K.OBJECT, "Structured name.", required=False, shape=NAME),
        _str("nickname", "Nickname.", required=False),
        _str("note", "Free note.", required=False),
        _objects("phoneNumbers", _TYPED_VALUE_PHONE, "Phone numbers."),
        _objects("emails", EMAIL, "E-mail addresses."),
        _objects("ims", INSTANT_MESSAGING, "IM handles."),
        _objects("websites", WEBSITE, "Web sites."),
        _objects("addresses", ADDRESS, "Postal addresses."),
        _objects("organizations", ORGANIZATION, "Companies."),
        _objects("events", CONTACT_EVENT, "Birthdays and anniversaries."),
        _objects("groups", GROUP_REF, "Groups the contact belongs to."),
        _bool("starred", "Marked as favourite.", required=False),
    ),
)
MESSAGE = Shape(
    "Message",
    "An SMS.",
    (
        _str("address", "The other party's number."),
        _str("body", "Message text."),
        Field("folder", K.ENUM, '"0" received, "1" sent.', enum=("0", "1"), int_aliases=(0, 1)),
        _time("localTime", "When the message was sent or received."),
        _id("threadId", "Conversation id."),
        _bool("read", "Read by the user.", required=False),
    ),
)
CALL = Shape(
    "Call",
    "A call-log entry.",
    (
        _str("number", "The other party's number."),
        _enum(
            "type",
            ("incoming", "outgoing", "missed", "rejected", "blocked", "newContact"),
            "Call type.",
        ),
        Field("duration", K.INTEGER, "Duration in seconds.", minimum=0),
        _time("date", "When the call happened."),
        _str("name", "Contact name at the time of the call.", required=False),
    ),
)
LOCATION = Shape(
    "Location",
    "A device location.",
    (
        Field("latitude", K.NUMBER, "Degrees.", minimum=-90, maximum=90),
        Field("longitude", K.NUMBER, "Degrees.", minimum=-180, maximum=180),
        _time("infoTime", "When the location was taken."),
        Field("accuracy", K.NUMBER, "Metres.", required=False, minimum=0),
        _enum("coordinateType", ("wgs84", "gcj02", "bd09"), "Datum.", required=False),
        Field(
            "powerLevel", K.INTEGER, "Battery percentage.", required=False, minimum=0, maximum=100
        ),
    ),
)
BOOKMARK = Shape(
    "Bookmark",
    "A browser bookmark or folder.",
    (
        _str("title", "Title."),
        _str("url", "Address."),
        _id("parentId", "Id of the parent folder.", required=False),
        _bool("isFolder", "This entry is a folder.", required=False),
        Field("position", K.INTEGER, "Position among siblings.", required=False),
        _time("createTime", "Creation time.", required=False),
        _time("updateTime", "Last change.", required=False),
    ),
)
EVENT = Shape(
    "Event",
    "A calendar event.",
    (
        _str("title", "Title."),
        _instant("dtstart", "Start."),
        _instant("dtend", "End (exclusive for all-day events)."),
        _bool("allDay", "All-day event: both times are midnights UTC."),
        _pattern(
            "eventTimezone",
            TIMEZONE_PATTERN,
            "IANA time zone",
            "IANA time zone name, e.g. Europe/Amsterdam.",
            required=False,
        ),
        _pattern(
            "rrule",
            RRULE_PATTERN,
            "RFC 5545 RRULE",
            "RFC 5545 recurrence rule (syntax only).",
            required=False,
        ),
        _str("description", "Description.", required=False),
        _str("eventLocation", "Where.", required=False),
        _array(
            "reminders",
            Field("item", K.INTEGER, "Minutes before.", minimum=0),
            "Reminders, in minutes before the start.",
        ),
    ),
)
LOCK_CONTENT = Shape(
    "LockContent",
    "Message shown on a locked device.",
    (
        _str("content", "Message.", required=False),
        _str("phone", "Phone number to call.", required=False),
    ),
)
PHONE_INFO = Shape(
    "PhoneInfo",
    "Device description.",
    tuple(
        _str(part, f"Device {part}.", required=False)
        for part in ("model", "imei", "phone", "version", "deviceType")
    ),
)
HISTORY_ENTRY = Shape(
    "NoteHistory",
    "An earlier version of a note.",
    (
        _str("content", "Note text at that time."),
        _time("updateTime", "When this version was saved."),
    ),
)

SHAPES: Mapping[str, Shape] = {
    s.name: s
    for s in (
        CONTACT,
        MESSAGE,
        CALL,
        LOCATION,
        BOOKMARK,
        EVENT,
        LOCK_CONTENT,
        PHONE_INFO,
        NAME,
        ADDRESS,
        ORGANIZATION,
        CONTACT_EVENT,
        GROUP_REF,
        _TYPED_VALUE_PHONE,
        EMAIL,
        INSTANT_MESSAGING,
        WEBSITE,
        HISTORY_ENTRY,
    )
}

# --- tables ---------------------------------------------------------------------------

_LIFECYCLE = (
    _time("createTime", "Creation time."),
    _time("updateTime", "Last change."),
    _bytes("size"),
    _bool("active", "Whether the entry is active."),
)


def _table(name: str, service: str, desc: str, *fields: Field, **kw: object) -> Table:
    return Table(name, service, desc, tuple(fields), **kw)  # type: ignore[arg-type]


_SERVICE_TABLES = (
    _table(
        "recorder",
        "Recorder",
        "Sound recordings (metadata and download URL).",
        _id(),
        _str("name", "File name."),
        _enum("type", ("recorder", "phoneCall", "fm", "app"), "Recording source."),
        _bytes("size"),
        _pattern("url", URI_PATTERN, "URI", "Download URL (expires)."),
        _time("createTime", "Creation time."),
        _time("uploadTime", "Upload time."),
        _time("deleteTime", "Deletion time."),
        _time("purgeTime", "Purge time."),
        _time("restoreTime", "Restore time."),
        _pattern(
            "sha1", SHA1_PATTERN, "SHA-1 hex", "SHA-1 of the file, lowercase hex.", required=False
        ),
    ),
    _table(
        "contact",
        "Contacts",
        "Contacts and contact groups.",
        _id(),
        _content("content", CONTACT, "The contact card."),
        _time("createTime", "Creation time."),
        _time("updateTime", "Last change."),
        _status(),
        _enum("type", ("contact", "group"), "Contact or group."),
    ),
    _table(
        "findDevice",
        "Find Device",
        "Devices registered with Find Device.",
        _id(),
        _content("lockContent", LOCK_CONTENT, "Lock-screen message."),
        _content("phoneInfo", PHONE_INFO, "Device description."),
        _label("status", "Device state."),
        _content("content", LOCATION, "Last known location.", required=False),
        _time("updateTime", "Last change."),
    ),
    _table(
        "sms",
        "SMS",
        "Text messages.",
        _id(),
        _content("content", MESSAGE, "The message."),
        _label("creator", "Who created the record."),
        _bool("deleted", "Deleted."),
        _time("lastUpdateTime", "Last change."),
    ),
    _table(
        "callLog",
        "Call log",
        "Calls.",
        _id(),
        _content("content", CALL, "The call."),
        _label("creator", "Who created the record."),
        _label("modifier", "Who changed it last."),
        _status(),
    ),
    _table(
        "note",
        "Notes",
        "Notes, mind maps, handwriting and to-dos.",
        _id(),
        _str("content", "Note text (MIUI note markup)."),
        _array(
            "history",
            Field("item", K.OBJECT, HISTORY_ENTRY.description, shape=HISTORY_ENTRY),
            "Earlier versions.",
            required=True,
        ),
        _str("folderName", "Folder."),
        _status(),
        _enum("type", ("note", "mind", "handwrite", "todo"), "Kind of note."),
        _time("createTime", "Creation time."),
        _time("updateTime", "Last change."),
        Field("order", K.INTEGER, "Sort order."),
    ),
    _table(
        "micard",
        "Micard",
        "Cards in the Micard wallet.",
        _id(),
        _content("cardContent", None, "Card data (any object)."),
        _enum("recordStatus", STATUS, "Record state."),
        _enum("syncStatus", ("synced", "pending", "conflict"), "Sync state."),
    ),
    _table(
        "browser",
        "Browser",
        "Browser bookmarks.",
        _id(),
        _content("content", BOOKMARK, "The bookmark."),
        _status(),
    ),
    _table(
        "cloudCard",
        "Cloud card",
        "Cloud cards.",
        _id(),
        _content("content", None, "Card data (any object)."),
    ),
    _table(
        "appBackup",
        "App backup",
        "App backups (metadata and download URL).",
        _label("deviceId", "Device id."),
        _label("product", "Device product name."),
        _label("imei", "Device IMEI."),
        _time("backupTime", "Backup time."),
        _bytes("backupSize", "Backup size in bytes."),
        _time("deleteTime", "Deletion time."),
        _pattern("pkgName", PACKAGE_PATTERN, "Android package name", "Package name."),
        _str("label", "App name."),
        _str("versionName", "App version."),
        Field("versionCode", K.INTEGER, "App version code."),
        _bool("iconEnabled", "Icon shown."),
        _bytes("apkSize", "APK size in bytes."),
        _time("oldestBackupTime", "Oldest backup kept."),
        _pattern("url", URI_PATTERN, "URI", "Download URL (expires)."),
        key=("deviceId", "pkgName", "backupTime"),
    ),
    _table(
        "music",
        "Music",
        "Songs in playlists.",
        _label("playlistOnlineId", "Playlist id."),
        _label("songOnlineId", "Song id."),
        _status(),
        Field("type", K.INTEGER, "Entry type."),
        *_LIFECYCLE,
        key=("playlistOnlineId", "songOnlineId"),
    ),
    _table(
        "calendar",
        "Calendar",
        "Events, reminders and birthdays.",
        _id(),
        _status(),
        _enum("type", ("event", "reminder", "birthday"), "Kind."),
        _content("content", EVENT, "The event."),
    ),
    _table(
        "loanModel",
        "Loan model",
        "Loan data.",
        _id(),
        _content("loanInfo", None, "Loan (any object)."),
        _content("creditInfo", None, "Credit (any object)."),
        _content("content", None, "Details (any object)."),
        _status(),
        _str("type", "Kind."),
        *_LIFECYCLE,
    ),
    _table(
        "appSearch",
        "App search",
        "App search history.",
        _id(),
        _str("record", "The query."),
        _str("type", "Kind."),
        _time("searchTime", "When searched."),
        _status(),
        *_LIFECYCLE,
    ),
    _table(
        "commonPhrase",
        "Common phrases",
        "Saved phrases.",
        _id(),
        _str("phrase", "The phrase."),
        _str("type", "Kind."),
        _status(),
        *_LIFECYCLE,
    ),
    _table(
        "clipboard",
        "Clipboard",
        "Clipboard history.",
        _id(),
        _str("text", "Clipped text."),
        _enum("type", ("text", "html", "uri"), "Kind of clip."),
        _status(),
        *_LIFECYCLE,
    ),
)

_METADATA_TABLES = (
    _table(
        "userQuota",
        "Storage quota",
        "Storage plans.",
        _time("createTime", "Start."),
        _time("expireTime", "End."),
        _bytes("size"),
        _enum("status", ("active", "expired", "cancelled"), "Plan state."),
        _enum("type", ("base", "yearly", "monthly", "gift"), "Plan kind."),
        metadata=True,
        key=(),
    ),
    _table(
        "serviceQuotaUsage",
        "Storage usage",
        "Storage used per service.",
        _enum(
            "type",
            (
                "Recorder",
                "AppList",
                "Note",
                "Contacts",
                "Sms",
                "CallLog",
                "Calendar",
                "Browser",
                "Music",
            ),
            "The service.",
            open_enum=True,
        ),
        _enum("usageStatus", ("normal", "warning", "full"), "Usage state."),
        _bytes("volume", "Bytes used."),
        metadata=True,
        key=(),
    ),
    _table(
        "giftMembership",
        "Gift membership",
        "Gifted memberships.",
        Field("amount", K.INTEGER, "Days."),
        _str("channel", "Channel."),
        _time("createTime", "When given."),
        _str("level", "Level."),
        _str("type", "Kind."),
        metadata=True,
        key=(),
    ),
)

TABLES: Mapping[str, Table] = {t.name: t for t in (*_SERVICE_TABLES, *_METADATA_TABLES)}

#: Tables the guide says can never be exported (FORMAT.md §5), matched case-insensitively.
NON_EXPORTABLE: frozenset[str] = frozenset(
    name.lower()
    for name in (
        "userIdMapping",
        "membershipShare",
        "micloudShare",
        "vipOperation",
        "vipStatistics",
        "vipGift",
        "invoice",
        "userProfile",
        "activityTicket",
        "activationCode",
        "userStatus",
    )
)

#: Time order rules (earlier, later, later-may-be-zero): warning time.sequence.
TIME_SEQUENCE: tuple[tuple[str, str, bool], ...] = (
    ("createTime", "updateTime", False),
    ("createTime", "deleteTime", True),
    ("createTime", "uploadTime", True),
)
