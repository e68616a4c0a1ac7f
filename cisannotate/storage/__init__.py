"""Storage: the project file. The only package that speaks SQL.

Opening and reading a project goes through the ``sqlite3`` connection
(``connection.ProjectDatabase``); sqlite-utils is imported when something first
needs more of it (creating or upgrading a file, a table's API), through
``load_sqlite_utils``, which every module importing it here calls first.
"""

import sys


def load_sqlite_utils():
    """The ``sqlite_utils`` module, imported the way the project uses it (see below)."""
    _import_sqlite_utils()
    return sys.modules["sqlite_utils"]


def _import_sqlite_utils() -> None:
    """Import sqlite-utils without the numpy and pandas it would load if installed.

    sqlite-utils imports both at its own import only to map their scalar types to
    column types when it creates a table from values; the schema here is created by
    explicit migrations from Python values, so that mapping is never needed, and
    numpy alone doubles the start of a command such as ``cisannotate documents``.
    Modules already loaded for real (numpy by a suggestion, say) are used as they are.
    """
    if "sqlite_utils" in sys.modules:
        return
    from ..core.lazy import is_loaded, lazy_import

    # sqlite-utils' date recipes import dateutil's parser (and with it its time zones),
    # about half of sqlite-utils' import; nothing here parses dates with it, so the
    # module is bound now and loaded the first time anything reads from it. It is set on
    # its package too: "from dateutil import parser" then takes it as it is, where an
    # import through sys.modules would read its spec and so load it at once.
    if not is_loaded("dateutil.parser"):
        import dateutil  # type: ignore[import-untyped]

        dateutil.parser = lazy_import("dateutil.parser")
    hidden = {name: sys.modules.get(name) for name in ("numpy", "pandas") if not is_loaded(name)}
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import numpy" raise ImportError
    try:
        import sqlite_utils.plugins

        # Installed sqlite-utils plugins would be looked up (every distribution's entry
        # points) when the first Database is made, and could hook the project's
        # connection: the project file is opened by this code alone.
        sqlite_utils.plugins._plugins_loaded = True
    finally:
        for name, before in hidden.items():
            if sys.modules.get(name, 0) is None:
                if before is None:
                    del sys.modules[name]
                else:
                    sys.modules[name] = before  # bound by core.lazy, still to be loaded on first use


from .errors import ProjectLocked  # noqa: E402
from .project import ProjectError  # noqa: E402
from .store import ReadOnlyError, Store  # noqa: E402

__all__ = ["ProjectError", "ProjectLocked", "ReadOnlyError", "Store"]
