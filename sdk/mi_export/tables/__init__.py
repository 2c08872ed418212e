"""Table definitions of format v1: the single source of truth."""

from mi_export.tables._spec import Field, Kind, Shape, Table
from mi_export.tables.definitions import NON_EXPORTABLE, SHAPES, TABLES, TIME_SEQUENCE

__all__ = ["NON_EXPORTABLE", "SHAPES", "TABLES", "TIME_SEQUENCE", "Field", "Kind", "Shape", "Table"]
