"""Heavy libraries imported on first use, so modules that name them load fast.

``np = lazy_import("numpy")`` binds a module object at once and runs the library's
import the first time an attribute is read. The window and the command line import
the suggestion code for its constants and classes long before a suggestion is asked
for; numpy and rapidfuzz then load only when one is.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_import(name: str) -> ModuleType:
    """The module ``name``, loaded on first attribute access (at once if already loaded)."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def is_loaded(name: str) -> bool:
    """Whether ``name`` is imported for real (not only bound by ``lazy_import``)."""
    module = sys.modules.get(name)
    return module is not None and not isinstance(module, importlib.util._LazyModule)  # type: ignore[attr-defined]


def load_now(*names: str) -> None:
    """Import ``names`` for real, now, in the calling thread.

    Before a worker thread starts on code that uses lazily bound libraries: in Python
    3.11 a lazy module's first load is not safe against a second thread reading it
    meanwhile (that thread may find the module half filled), so the GUI thread loads
    them first.
    """
    for name in names:
        module = sys.modules.get(name)
        if module is None or isinstance(module, importlib.util._LazyModule):  # type: ignore[attr-defined]
            importlib.import_module(name)
            module = sys.modules[name]
        getattr(module, "__name__")  # a lazy module's first attribute read runs its import
