"""Format rules beyond what a JSON Schema pattern can say, by ``Field.format_name``.

The pattern of a contact event date admits ``1990-02-30``; the calendar does not. The
validator (detailed checker and fast path alike) applies these after the pattern.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping


def is_calendar_date(text: str) -> bool:
    """``YYYY-MM-DD`` or ``--MM-DD`` (no year: 29 February allowed) naming a real day."""
    year_text, month, day = text[:-6], int(text[-5:-3]), int(text[-2:])
    year = 2000 if year_text == "-" else int(year_text)  # a leap year, for --02-29
    if not 1 <= month <= 12 or year < 1:
        return False
    return 1 <= day <= calendar.monthrange(year, month)[1]


#: format name -> check run on strings that already match the field's pattern
FORMAT_CHECKS: Mapping[str, Callable[[str], bool]] = {"date": is_calendar_date}
