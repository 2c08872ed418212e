"""Pydantic models of format v1, generated from the table definitions.

One model per table (``SmsRecord``...), all subclasses of :class:`Record` and listed in
:data:`MODELS` by table name; one per content shape or nested object (``Message``...),
subclasses of :class:`ShapeModel`, in :data:`SHAPE_MODELS`. They accept exactly what the
JSON Schemas of :mod:`mi_export.schema` accept: strict JSON types (``"5"`` is not 5, ``1``
is not ``True``), integral numbers such as ``5000.0`` as integers, ids as digit strings
or integers up to 2^53 (normalised to strings), content as an object or a string holding
one as JSON (decoded into the shape model), closed and open enums, patterns and ranges.
Unknown fields are kept.

Example:
    >>> from mi_export.models import parse_record
    >>> sms = parse_record("sms", {"id": 42, "content": '{"address": "10086", "body": "你好",'
    ...     ' "folder": 0, "localTime": 1.7e12, "threadId": "7"}', "creator": "me",
    ...     "deleted": False, "lastUpdateTime": 1700000000000})
    >>> sms.id, sms.content.folder, sms.content.localTime
    ('42', '0', 1700000000000)
"""

from __future__ import annotations

from mi_export.models import _generated
from mi_export.models._base import Record, ShapeModel
from mi_export.models._generated import *  # noqa: F403
from mi_export.models._parse import (
    json_pointer,
    model_for,
    parse_record,
    record_errors,
    record_findings,
)

__all__ = [
    "Record",
    "ShapeModel",
    "json_pointer",
    "model_for",
    "parse_record",
    "record_errors",
    "record_findings",
]
__all__ += _generated.__all__
