"""Streaming, exact JSON scanning of data files (see :mod:`.scanner`)."""

from mi_export.jsonscan.events import RawRecord, TableEnd, TableStart
from mi_export.jsonscan.scanner import Event, scan_file

__all__ = ["Event", "RawRecord", "TableEnd", "TableStart", "scan_file"]
