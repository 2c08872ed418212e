"""Report formats, by name: the keys of :data:`FORMATS` feed ``--format``."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mi_export_validator.formats.json_format import render_json, render_json_batch
from mi_export_validator.formats.text_format import render_text
from mi_export_validator.report import Report

Renderer = Callable[[Report], str]
FORMATS: Mapping[str, Renderer] = {"text": render_text, "json": render_json}

__all__ = ["FORMATS", "Renderer", "render_json", "render_json_batch", "render_text"]
