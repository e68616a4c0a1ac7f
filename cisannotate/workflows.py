"""The import steps, kept under their first name; the services package holds them now."""

from __future__ import annotations

from .services.importing import ImportReport, import_files, import_plan

__all__ = ["ImportReport", "import_files", "import_plan"]
