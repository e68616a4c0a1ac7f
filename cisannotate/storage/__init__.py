"""Storage: the project file. The only package that speaks SQL."""

from .errors import ProjectLocked
from .project import ProjectError
from .store import ReadOnlyError, Store

__all__ = ["ProjectError", "ProjectLocked", "ReadOnlyError", "Store"]
