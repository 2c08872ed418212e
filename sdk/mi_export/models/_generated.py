"""Pydantic models of format v1's tables and content shapes.

GENERATED from mi_export.tables.definitions by ``python scripts/generate_schemas.py``: do
not edit by hand (tests/test_schema_drift.py fails when this file is stale).
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, ClassVar, Literal

from mi_export.models._base import Record, ShapeModel, item_rule, rule

__all__ = [
    "MODELS",
    "SHAPE_MODELS",
    "Address",
    "AppBackupRecord",
    "AppSearchRecord",
    "Bookmark",
    "BrowserRecord",
    "CalendarRecord",
    "Call",
    "CallLogRecord",
    "ClipboardRecord",
    "CloudCardRecord",
    "CommonPhraseRecord",
    "Contact",
    "ContactEvent",
    "ContactRecord",
    "Email",
    "Event",
    "FindDeviceRecord",
    "GiftMembershipRecord",
    "GroupRef",
    "InstantMessaging",
    "LoanModelRecord",
    "Location",
    "LockContent",
    "Message",
    "MicardRecord",
    "MusicRecord",
    "Name",
    "NoteHistory",
    "NoteRecord",
    "Organization",
    "PhoneInfo",
    "PhoneNumber",
    "RecorderRecord",
    "ServiceQuotaUsageRecord",
    "SmsRecord",
    "UserQuotaRecord",
    "Website",
]


class Name(ShapeModel):
    """A structured person name."""

    shape_name: ClassVar[str] = "Name"

    formatted: Annotated[str | None, rule("Name.formatted")] = None
    """The formatted part of the name."""

    givenName: Annotated[str | None, rule("Name.givenName")] = None
    """The givenName part of the name."""

    familyName: Annotated[str | None, rule("Name.familyName")] = None
    """The familyName part of the name."""

    middleName: Annotated[str | None, rule("Name.middleName")] = None
    """The middleName part of the name."""

    prefix: Annotated[str | None, rule("Name.prefix")] = None
    """The prefix part of the name."""

    suffix: Annotated[str | None, rule("Name.suffix")] = None
    """The suffix part of the name."""


class PhoneNumber(ShapeModel):
    """A phone number, kept as written."""

    shape_name: ClassVar[str] = "PhoneNumber"

    type: Annotated[str, rule("PhoneNumber.type")]
    """Phone type, or a custom label."""

    value: Annotated[str, rule("PhoneNumber.value")]
    """The number as written (no format is enforced)."""


class Email(ShapeModel):
    """E-mail address, with its type."""

    shape_name: ClassVar[str] = "Email"

    type: Annotated[str, rule("Email.type")]
    """Type, or a custom label."""

    value: Annotated[str, rule("Email.value")]
    """The e-mail address."""


class InstantMessaging(ShapeModel):
    """Messaging handle, with its type."""

    shape_name: ClassVar[str] = "InstantMessaging"

    type: Annotated[str, rule("InstantMessaging.type")]
    """Type, or a custom label."""

    value: Annotated[str, rule("InstantMessaging.value")]
    """The messaging handle."""


class Website(ShapeModel):
    """Web address, with its type."""

    shape_name: ClassVar[str] = "Website"

    type: Annotated[str, rule("Website.type")]
    """Type, or a custom label."""

    value: Annotated[str, rule("Website.value")]
    """The web address."""


class Address(ShapeModel):
    """A postal address."""

    shape_name: ClassVar[str] = "Address"

    type: Annotated[str, rule("Address.type")]
    """Address type, or a custom label."""

    formatted: Annotated[str | None, rule("Address.formatted")] = None
    """The formatted of the address."""

    street: Annotated[str | None, rule("Address.street")] = None
    """The street of the address."""

    city: Annotated[str | None, rule("Address.city")] = None
    """The city of the address."""

    region: Annotated[str | None, rule("Address.region")] = None
    """The region of the address."""

    postalCode: Annotated[str | None, rule("Address.postalCode")] = None
    """The postalCode of the address."""

    country: Annotated[str | None, rule("Address.country")] = None
    """The country of the address."""


class Organization(ShapeModel):
    """A company and job title."""

    shape_name: ClassVar[str] = "Organization"

    company: Annotated[str | None, rule("Organization.company")] = None
    """Company name."""

    title: Annotated[str | None, rule("Organization.title")] = None
    """Job title."""


class ContactEvent(ShapeModel):
    """A date in a contact's life."""

    shape_name: ClassVar[str] = "ContactEvent"

    type: Annotated[str, rule("ContactEvent.type")]
    """Event type, or a custom label."""

    value: Annotated[str, rule("ContactEvent.value")]
    """YYYY-MM-DD, or --MM-DD without a year."""


class GroupRef(ShapeModel):
    """Membership of a contact group."""

    shape_name: ClassVar[str] = "GroupRef"

    value: Annotated[str, rule("GroupRef.value")]
    """Id of the group record (a contact record of type group)."""


class Contact(ShapeModel):
    """A contact card."""

    shape_name: ClassVar[str] = "Contact"

    displayName: Annotated[str, rule("Contact.displayName")]
    """Name shown in lists (may be empty)."""

    name: Annotated[Name | None, rule("Contact.name")] = None
    """Structured name."""

    nickname: Annotated[str | None, rule("Contact.nickname")] = None
    """Nickname."""

    note: Annotated[str | None, rule("Contact.note")] = None
    """Free note."""

    phoneNumbers: Annotated[list[PhoneNumber] | None, rule("Contact.phoneNumbers")] = None
    """Phone numbers."""

    emails: Annotated[list[Email] | None, rule("Contact.emails")] = None
    """E-mail addresses."""

    ims: Annotated[list[InstantMessaging] | None, rule("Contact.ims")] = None
    """IM handles."""

    websites: Annotated[list[Website] | None, rule("Contact.websites")] = None
    """Web sites."""

    addresses: Annotated[list[Address] | None, rule("Contact.addresses")] = None
    """Postal addresses."""

    organizations: Annotated[list[Organization] | None, rule("Contact.organizations")] = None
    """Companies."""

    events: Annotated[list[ContactEvent] | None, rule("Contact.events")] = None
    """Birthdays and anniversaries."""

    groups: Annotated[list[GroupRef] | None, rule("Contact.groups")] = None
    """Groups the contact belongs to."""

    starred: Annotated[bool | None, rule("Contact.starred")] = None
    """Marked as favourite."""


class LockContent(ShapeModel):
    """Message shown on a locked device."""

    shape_name: ClassVar[str] = "LockContent"

    content: Annotated[str | None, rule("LockContent.content")] = None
    """Message."""

    phone: Annotated[str | None, rule("LockContent.phone")] = None
    """Phone number to call."""


class PhoneInfo(ShapeModel):
    """Device description."""

    shape_name: ClassVar[str] = "PhoneInfo"

    model: Annotated[str | None, rule("PhoneInfo.model")] = None
    """Device model."""

    imei: Annotated[str | None, rule("PhoneInfo.imei")] = None
    """Device imei."""

    phone: Annotated[str | None, rule("PhoneInfo.phone")] = None
    """Device phone."""

    version: Annotated[str | None, rule("PhoneInfo.version")] = None
    """Device version."""

    deviceType: Annotated[str | None, rule("PhoneInfo.deviceType")] = None
    """Device deviceType."""


class Location(ShapeModel):
    """A device location."""

    shape_name: ClassVar[str] = "Location"

    latitude: Annotated[float, rule("Location.latitude")]
    """Degrees."""

    longitude: Annotated[float, rule("Location.longitude")]
    """Degrees."""

    infoTime: Annotated[int, rule("Location.infoTime")]
    """When the location was taken. Epoch milliseconds, UTC; 0 = unset."""

    accuracy: Annotated[float | None, rule("Location.accuracy")] = None
    """Metres."""

    coordinateType: Annotated[
        Literal["wgs84", "gcj02", "bd09"] | None, rule("Location.coordinateType")
    ] = None
    """Datum."""

    powerLevel: Annotated[int | None, rule("Location.powerLevel")] = None
    """Battery percentage."""


class Message(ShapeModel):
    """An SMS."""

    shape_name: ClassVar[str] = "Message"

    address: Annotated[str, rule("Message.address")]
    """The other party's number."""

    body: Annotated[str, rule("Message.body")]
    """Message text."""

    folder: Annotated[Literal["0", "1"], rule("Message.folder")]
    """"0" received, "1" sent."""

    localTime: Annotated[int, rule("Message.localTime")]
    """When the message was sent or received. Epoch milliseconds, UTC; 0 = unset."""

    threadId: Annotated[str, rule("Message.threadId")]
    """Conversation id."""

    read: Annotated[bool | None, rule("Message.read")] = None
    """Read by the user."""


class Call(ShapeModel):
    """A call-log entry."""

    shape_name: ClassVar[str] = "Call"

    number: Annotated[str, rule("Call.number")]
    """The other party's number."""

    type: Annotated[
        Literal["incoming", "outgoing", "missed", "rejected", "blocked", "newContact"],
        rule("Call.type"),
    ]
    """Call type."""

    duration: Annotated[int, rule("Call.duration")]
    """Duration in seconds."""

    date: Annotated[int, rule("Call.date")]
    """When the call happened. Epoch milliseconds, UTC; 0 = unset."""

    name: Annotated[str | None, rule("Call.name")] = None
    """Contact name at the time of the call."""


class NoteHistory(ShapeModel):
    """An earlier version of a note."""

    shape_name: ClassVar[str] = "NoteHistory"

    content: Annotated[str, rule("NoteHistory.content")]
    """Note text at that time."""

    updateTime: Annotated[int, rule("NoteHistory.updateTime")]
    """When this version was saved. Epoch milliseconds, UTC; 0 = unset."""


class Bookmark(ShapeModel):
    """A browser bookmark or folder."""

    shape_name: ClassVar[str] = "Bookmark"

    title: Annotated[str, rule("Bookmark.title")]
    """Title."""

    url: Annotated[str, rule("Bookmark.url")]
    """Address."""

    parentId: Annotated[str | None, rule("Bookmark.parentId")] = None
    """Id of the parent folder."""

    isFolder: Annotated[bool | None, rule("Bookmark.isFolder")] = None
    """This entry is a folder."""

    position: Annotated[int | None, rule("Bookmark.position")] = None
    """Position among siblings."""

    createTime: Annotated[int | None, rule("Bookmark.createTime")] = None
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int | None, rule("Bookmark.updateTime")] = None
    """Last change. Epoch milliseconds, UTC; 0 = unset."""


class Event(ShapeModel):
    """A calendar event."""

    shape_name: ClassVar[str] = "Event"

    title: Annotated[str, rule("Event.title")]
    """Title."""

    dtstart: Annotated[int, rule("Event.dtstart")]
    """Start. Epoch milliseconds, UTC (0 is 1970-01-01)."""

    dtend: Annotated[int, rule("Event.dtend")]
    """End (exclusive for all-day events). Epoch milliseconds, UTC (0 is 1970-01-01)."""

    allDay: Annotated[bool, rule("Event.allDay")]
    """All-day event: both times are midnights UTC."""

    eventTimezone: Annotated[str | None, rule("Event.eventTimezone")] = None
    """IANA time zone name, e.g. Europe/Amsterdam."""

    rrule: Annotated[str | None, rule("Event.rrule")] = None
    """RFC 5545 recurrence rule (syntax only)."""

    description: Annotated[str | None, rule("Event.description")] = None
    """Description."""

    eventLocation: Annotated[str | None, rule("Event.eventLocation")] = None
    """Where."""

    reminders: Annotated[
        list[Annotated[int, item_rule("Event.reminders")]] | None, rule("Event.reminders")
    ] = None
    """Reminders, in minutes before the start."""


class RecorderRecord(Record):
    """Table ``recorder`` (service Recorder): Sound recordings (metadata and download URL)."""

    table_name: ClassVar[str] = "recorder"

    id: Annotated[str, rule("recorder.id")]
    """Record id: 1-20 decimal digits, as a string."""

    name: Annotated[str, rule("recorder.name")]
    """File name."""

    type: Annotated[Literal["recorder", "phoneCall", "fm", "app"], rule("recorder.type")]
    """Recording source."""

    size: Annotated[int, rule("recorder.size")]
    """Size in bytes."""

    url: Annotated[str, rule("recorder.url")]
    """Download URL (expires)."""

    createTime: Annotated[int, rule("recorder.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    uploadTime: Annotated[int, rule("recorder.uploadTime")]
    """Upload time. Epoch milliseconds, UTC; 0 = unset."""

    deleteTime: Annotated[int, rule("recorder.deleteTime")]
    """Deletion time. Epoch milliseconds, UTC; 0 = unset."""

    purgeTime: Annotated[int, rule("recorder.purgeTime")]
    """Purge time. Epoch milliseconds, UTC; 0 = unset."""

    restoreTime: Annotated[int, rule("recorder.restoreTime")]
    """Restore time. Epoch milliseconds, UTC; 0 = unset."""

    sha1: Annotated[str | None, rule("recorder.sha1")] = None
    """SHA-1 of the file, lowercase hex."""


class ContactRecord(Record):
    """Table ``contact`` (service Contacts): Contacts and contact groups."""

    table_name: ClassVar[str] = "contact"

    id: Annotated[str, rule("contact.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[Contact, rule("contact.content")]
    """The contact card. An object, or a string holding it as JSON."""

    createTime: Annotated[int, rule("contact.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("contact.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    status: Annotated[Literal["normal", "deleted"], rule("contact.status")]
    """Record state."""

    type: Annotated[Literal["contact", "group"], rule("contact.type")]
    """Contact or group."""


class FindDeviceRecord(Record):
    """Table ``findDevice`` (service Find Device): Devices registered with Find Device."""

    table_name: ClassVar[str] = "findDevice"

    id: Annotated[str, rule("findDevice.id")]
    """Record id: 1-20 decimal digits, as a string."""

    lockContent: Annotated[LockContent, rule("findDevice.lockContent")]
    """Lock-screen message. An object, or a string holding it as JSON."""

    phoneInfo: Annotated[PhoneInfo, rule("findDevice.phoneInfo")]
    """Device description. An object, or a string holding it as JSON."""

    status: Annotated[str, rule("findDevice.status")]
    """Device state."""

    content: Annotated[Location | None, rule("findDevice.content")] = None
    """Last known location. An object, or a string holding it as JSON."""

    updateTime: Annotated[int, rule("findDevice.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""


class SmsRecord(Record):
    """Table ``sms`` (service SMS): Text messages."""

    table_name: ClassVar[str] = "sms"

    id: Annotated[str, rule("sms.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[Message, rule("sms.content")]
    """The message. An object, or a string holding it as JSON."""

    creator: Annotated[str, rule("sms.creator")]
    """Who created the record."""

    deleted: Annotated[bool, rule("sms.deleted")]
    """Deleted."""

    lastUpdateTime: Annotated[int, rule("sms.lastUpdateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""


class CallLogRecord(Record):
    """Table ``callLog`` (service Call log): Calls."""

    table_name: ClassVar[str] = "callLog"

    id: Annotated[str, rule("callLog.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[Call, rule("callLog.content")]
    """The call. An object, or a string holding it as JSON."""

    creator: Annotated[str, rule("callLog.creator")]
    """Who created the record."""

    modifier: Annotated[str, rule("callLog.modifier")]
    """Who changed it last."""

    status: Annotated[Literal["normal", "deleted"], rule("callLog.status")]
    """Record state."""


class NoteRecord(Record):
    """Table ``note`` (service Notes): Notes, mind maps, handwriting and to-dos."""

    table_name: ClassVar[str] = "note"

    id: Annotated[str, rule("note.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[str, rule("note.content")]
    """Note text (MIUI note markup)."""

    history: Annotated[list[NoteHistory], rule("note.history")]
    """Earlier versions."""

    folderName: Annotated[str, rule("note.folderName")]
    """Folder."""

    status: Annotated[Literal["normal", "deleted"], rule("note.status")]
    """Record state."""

    type: Annotated[Literal["note", "mind", "handwrite", "todo"], rule("note.type")]
    """Kind of note."""

    createTime: Annotated[int, rule("note.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("note.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    order: Annotated[int, rule("note.order")]
    """Sort order."""


class MicardRecord(Record):
    """Table ``micard`` (service Micard): Cards in the Micard wallet."""

    table_name: ClassVar[str] = "micard"

    id: Annotated[str, rule("micard.id")]
    """Record id: 1-20 decimal digits, as a string."""

    cardContent: Annotated[dict[str, Any], rule("micard.cardContent")]
    """Card data (any object). An object, or a string holding it as JSON."""

    recordStatus: Annotated[Literal["normal", "deleted"], rule("micard.recordStatus")]
    """Record state."""

    syncStatus: Annotated[Literal["synced", "pending", "conflict"], rule("micard.syncStatus")]
    """Sync state."""


class BrowserRecord(Record):
    """Table ``browser`` (service Browser): Browser bookmarks."""

    table_name: ClassVar[str] = "browser"

    id: Annotated[str, rule("browser.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[Bookmark, rule("browser.content")]
    """The bookmark. An object, or a string holding it as JSON."""

    status: Annotated[Literal["normal", "deleted"], rule("browser.status")]
    """Record state."""


class CloudCardRecord(Record):
    """Table ``cloudCard`` (service Cloud card): Cloud cards."""

    table_name: ClassVar[str] = "cloudCard"

    id: Annotated[str, rule("cloudCard.id")]
    """Record id: 1-20 decimal digits, as a string."""

    content: Annotated[dict[str, Any], rule("cloudCard.content")]
    """Card data (any object). An object, or a string holding it as JSON."""


class AppBackupRecord(Record):
    """Table ``appBackup`` (service App backup): App backups (metadata and download URL)."""

    table_name: ClassVar[str] = "appBackup"

    deviceId: Annotated[str, rule("appBackup.deviceId")]
    """Device id."""

    product: Annotated[str, rule("appBackup.product")]
    """Device product name."""

    imei: Annotated[str, rule("appBackup.imei")]
    """Device IMEI."""

    backupTime: Annotated[int, rule("appBackup.backupTime")]
    """Backup time. Epoch milliseconds, UTC; 0 = unset."""

    backupSize: Annotated[int, rule("appBackup.backupSize")]
    """Backup size in bytes."""

    deleteTime: Annotated[int, rule("appBackup.deleteTime")]
    """Deletion time. Epoch milliseconds, UTC; 0 = unset."""

    pkgName: Annotated[str, rule("appBackup.pkgName")]
    """Package name."""

    label: Annotated[str, rule("appBackup.label")]
    """App name."""

    versionName: Annotated[str, rule("appBackup.versionName")]
    """App version."""

    versionCode: Annotated[int, rule("appBackup.versionCode")]
    """App version code."""

    iconEnabled: Annotated[bool, rule("appBackup.iconEnabled")]
    """Icon shown."""

    apkSize: Annotated[int, rule("appBackup.apkSize")]
    """APK size in bytes."""

    oldestBackupTime: Annotated[int, rule("appBackup.oldestBackupTime")]
    """Oldest backup kept. Epoch milliseconds, UTC; 0 = unset."""

    url: Annotated[str, rule("appBackup.url")]
    """Download URL (expires)."""


class MusicRecord(Record):
    """Table ``music`` (service Music): Songs in playlists."""

    table_name: ClassVar[str] = "music"

    playlistOnlineId: Annotated[str, rule("music.playlistOnlineId")]
    """Playlist id."""

    songOnlineId: Annotated[str, rule("music.songOnlineId")]
    """Song id."""

    status: Annotated[Literal["normal", "deleted"], rule("music.status")]
    """Record state."""

    type: Annotated[int, rule("music.type")]
    """Entry type."""

    createTime: Annotated[int, rule("music.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("music.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("music.size")]
    """Size in bytes."""

    active: Annotated[bool, rule("music.active")]
    """Whether the entry is active."""


class CalendarRecord(Record):
    """Table ``calendar`` (service Calendar): Events, reminders and birthdays."""

    table_name: ClassVar[str] = "calendar"

    id: Annotated[str, rule("calendar.id")]
    """Record id: 1-20 decimal digits, as a string."""

    status: Annotated[Literal["normal", "deleted"], rule("calendar.status")]
    """Record state."""

    type: Annotated[Literal["event", "reminder", "birthday"], rule("calendar.type")]
    """Kind."""

    content: Annotated[Event, rule("calendar.content")]
    """The event. An object, or a string holding it as JSON."""


class LoanModelRecord(Record):
    """Table ``loanModel`` (service Loan model): Loan data."""

    table_name: ClassVar[str] = "loanModel"

    id: Annotated[str, rule("loanModel.id")]
    """Record id: 1-20 decimal digits, as a string."""

    loanInfo: Annotated[dict[str, Any], rule("loanModel.loanInfo")]
    """Loan (any object). An object, or a string holding it as JSON."""

    creditInfo: Annotated[dict[str, Any], rule("loanModel.creditInfo")]
    """Credit (any object). An object, or a string holding it as JSON."""

    content: Annotated[dict[str, Any], rule("loanModel.content")]
    """Details (any object). An object, or a string holding it as JSON."""

    status: Annotated[Literal["normal", "deleted"], rule("loanModel.status")]
    """Record state."""

    type: Annotated[str, rule("loanModel.type")]
    """Kind."""

    createTime: Annotated[int, rule("loanModel.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("loanModel.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("loanModel.size")]
    """Size in bytes."""

    active: Annotated[bool, rule("loanModel.active")]
    """Whether the entry is active."""


class AppSearchRecord(Record):
    """Table ``appSearch`` (service App search): App search history."""

    table_name: ClassVar[str] = "appSearch"

    id: Annotated[str, rule("appSearch.id")]
    """Record id: 1-20 decimal digits, as a string."""

    record: Annotated[str, rule("appSearch.record")]
    """The query."""

    type: Annotated[str, rule("appSearch.type")]
    """Kind."""

    searchTime: Annotated[int, rule("appSearch.searchTime")]
    """When searched. Epoch milliseconds, UTC; 0 = unset."""

    status: Annotated[Literal["normal", "deleted"], rule("appSearch.status")]
    """Record state."""

    createTime: Annotated[int, rule("appSearch.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("appSearch.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("appSearch.size")]
    """Size in bytes."""

    active: Annotated[bool, rule("appSearch.active")]
    """Whether the entry is active."""


class CommonPhraseRecord(Record):
    """Table ``commonPhrase`` (service Common phrases): Saved phrases."""

    table_name: ClassVar[str] = "commonPhrase"

    id: Annotated[str, rule("commonPhrase.id")]
    """Record id: 1-20 decimal digits, as a string."""

    phrase: Annotated[str, rule("commonPhrase.phrase")]
    """The phrase."""

    type: Annotated[str, rule("commonPhrase.type")]
    """Kind."""

    status: Annotated[Literal["normal", "deleted"], rule("commonPhrase.status")]
    """Record state."""

    createTime: Annotated[int, rule("commonPhrase.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("commonPhrase.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("commonPhrase.size")]
    """Size in bytes."""

    active: Annotated[bool, rule("commonPhrase.active")]
    """Whether the entry is active."""


class ClipboardRecord(Record):
    """Table ``clipboard`` (service Clipboard): Clipboard history."""

    table_name: ClassVar[str] = "clipboard"

    id: Annotated[str, rule("clipboard.id")]
    """Record id: 1-20 decimal digits, as a string."""

    text: Annotated[str, rule("clipboard.text")]
    """Clipped text."""

    type: Annotated[Literal["text", "html", "uri"], rule("clipboard.type")]
    """Kind of clip."""

    status: Annotated[Literal["normal", "deleted"], rule("clipboard.status")]
    """Record state."""

    createTime: Annotated[int, rule("clipboard.createTime")]
    """Creation time. Epoch milliseconds, UTC; 0 = unset."""

    updateTime: Annotated[int, rule("clipboard.updateTime")]
    """Last change. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("clipboard.size")]
    """Size in bytes."""

    active: Annotated[bool, rule("clipboard.active")]
    """Whether the entry is active."""


class UserQuotaRecord(Record):
    """Table ``userQuota`` (metadata): Storage plans."""

    table_name: ClassVar[str] = "userQuota"

    createTime: Annotated[int, rule("userQuota.createTime")]
    """Start. Epoch milliseconds, UTC; 0 = unset."""

    expireTime: Annotated[int, rule("userQuota.expireTime")]
    """End. Epoch milliseconds, UTC; 0 = unset."""

    size: Annotated[int, rule("userQuota.size")]
    """Size in bytes."""

    status: Annotated[Literal["active", "expired", "cancelled"], rule("userQuota.status")]
    """Plan state."""

    type: Annotated[Literal["base", "yearly", "monthly", "gift"], rule("userQuota.type")]
    """Plan kind."""


class ServiceQuotaUsageRecord(Record):
    """Table ``serviceQuotaUsage`` (metadata): Storage used per service."""

    table_name: ClassVar[str] = "serviceQuotaUsage"

    type: Annotated[str, rule("serviceQuotaUsage.type")]
    """The service."""

    usageStatus: Annotated[
        Literal["normal", "warning", "full"], rule("serviceQuotaUsage.usageStatus")
    ]
    """Usage state."""

    volume: Annotated[int, rule("serviceQuotaUsage.volume")]
    """Bytes used."""


class GiftMembershipRecord(Record):
    """Table ``giftMembership`` (metadata): Gifted memberships."""

    table_name: ClassVar[str] = "giftMembership"

    amount: Annotated[int, rule("giftMembership.amount")]
    """Days."""

    channel: Annotated[str, rule("giftMembership.channel")]
    """Channel."""

    createTime: Annotated[int, rule("giftMembership.createTime")]
    """When given. Epoch milliseconds, UTC; 0 = unset."""

    level: Annotated[str, rule("giftMembership.level")]
    """Level."""

    type: Annotated[str, rule("giftMembership.type")]
    """Kind."""


#: Shape models, by shape name.
SHAPE_MODELS: Mapping[str, type[ShapeModel]] = MappingProxyType(
    {
        "Name": Name,
        "PhoneNumber": PhoneNumber,
        "Email": Email,
        "InstantMessaging": InstantMessaging,
        "Website": Website,
        "Address": Address,
        "Organization": Organization,
        "ContactEvent": ContactEvent,
        "GroupRef": GroupRef,
        "Contact": Contact,
        "LockContent": LockContent,
        "PhoneInfo": PhoneInfo,
        "Location": Location,
        "Message": Message,
        "Call": Call,
        "NoteHistory": NoteHistory,
        "Bookmark": Bookmark,
        "Event": Event,
    }
)


#: Record models, by table name.
MODELS: Mapping[str, type[Record]] = MappingProxyType(
    {
        "recorder": RecorderRecord,
        "contact": ContactRecord,
        "findDevice": FindDeviceRecord,
        "sms": SmsRecord,
        "callLog": CallLogRecord,
        "note": NoteRecord,
        "micard": MicardRecord,
        "browser": BrowserRecord,
        "cloudCard": CloudCardRecord,
        "appBackup": AppBackupRecord,
        "music": MusicRecord,
        "calendar": CalendarRecord,
        "loanModel": LoanModelRecord,
        "appSearch": AppSearchRecord,
        "commonPhrase": CommonPhraseRecord,
        "clipboard": ClipboardRecord,
        "userQuota": UserQuotaRecord,
        "serviceQuotaUsage": ServiceQuotaUsageRecord,
        "giftMembership": GiftMembershipRecord,
    }
)
