"""The bulk reads and writes under their first name; ``storage/bulk.py`` holds them now."""

from .bulk import *  # noqa: F403
from .bulk import __all__  # noqa: F401
