"""mi_export_validator: the validation engine, its checks, reports and the CLI."""

from __future__ import annotations

__all__: list[str] = []
