"""Storage: the project file. The only package that speaks SQL."""

from .project import ProjectError
from .store import ReadOnlyError, Store

__all__ = ["ProjectError", "ReadOnlyError", "Store"]
