"""No widget stores an attribute under the name of one of its Qt base class's methods.

PySide calls a Python attribute in place of a Qt virtual of the same name: a
dialog's ``self.done = {}`` made closing the dialog crash the interpreter.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

from PySide6.QtCore import QObject

import cisannotate.ui

UI = Path(cisannotate.ui.__file__).parent


def shadowing_attributes() -> list[str]:
    found = []
    modules = {}
    for path in sorted(UI.rglob("*.py")):
        parts = path.relative_to(UI).with_suffix("").parts
        modules[path] = importlib.import_module(".".join(("cisannotate.ui", *parts[:-1 if parts[-1] == "__init__" else None])))
    # A plain class a widget inherits (a part of the main window) is held to the widget's Qt base.
    mixin_bases = {}
    for module in modules.values():
        for cls in vars(module).values():
            if inspect.isclass(cls) and issubclass(cls, QObject):
                qt_base = next(b for b in cls.__mro__ if b.__module__.startswith("PySide6"))
                for part in cls.__mro__:
                    if part.__module__.startswith("cisannotate.") and not issubclass(part, QObject):
                        mixin_bases.setdefault(part, qt_base)
    for path, module in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            cls = getattr(module, node.name, None)
            if inspect.isclass(cls) and issubclass(cls, QObject):
                qt_base = next(b for b in cls.__mro__ if b.__module__.startswith("PySide6"))
            elif cls in mixin_bases:
                qt_base = mixin_bases[cls]
            else:
                continue
            for child in ast.walk(node):
                targets = child.targets if isinstance(child, ast.Assign) else (
                    [child.target] if isinstance(child, ast.AnnAssign) else [])
                if isinstance(child, ast.FunctionDef) and hasattr(qt_base, child.name) and any(
                        isinstance(d, ast.Name) and d.id == "property" for d in child.decorator_list):
                    found.append(f"{path.name}: property {node.name}.{child.name} shadows {qt_base.__name__}.{child.name}")
                for target in targets:
                    if (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                            and target.value.id == "self" and hasattr(qt_base, target.attr)):
                        found.append(f"{path.name}: {node.name}.{target.attr} shadows {qt_base.__name__}.{target.attr}")
    return found


def test_no_attribute_shadows_a_qt_method(qapp):
    assert shadowing_attributes() == []
