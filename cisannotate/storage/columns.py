"""One column map per table: which column holds which field of the model's dataclass.

Derived once from the dataclass fields, so a field added to ``Span`` or ``Link``
is a column added here and nowhere else: every SELECT list, INSERT and UPDATE
in this package, and every row turned back into a dataclass, goes through the
map. Rows stay plain tuples in column order (the fastest thing sqlite3 returns);
``ColumnMap.index`` names a position for code that reads rows without building
the dataclass (the export of 100,000 annotations).
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from ..core.model import Category, Channel, Comment, Link, Review, SourceLine, Span, Speaker

T = TypeVar("T")

# Well under SQLite's limit on bound parameters (32766 since 3.32, 999 before).
CHUNK = 500


def chunked(items: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    """``items`` in slices of at most ``size``: one IN (...) list or one executemany batch each."""
    for at in range(0, len(items), size):
        yield items[at : at + size]


def placeholders(n: int) -> str:
    return ", ".join("?" * n)


class ColumnMap(Generic[T]):
    """The columns of ``table`` that hold the fields of dataclass ``cls``, in field order."""

    def __init__(self, table: str, cls: type[T], renamed: Mapping[str, str] | None = None) -> None:
        renamed = dict(renamed or {})
        fields = dataclasses.fields(cls)  # type: ignore[arg-type]
        self.table = table
        self.cls = cls
        self.fields: tuple[str, ...] = tuple(f.name for f in fields)
        self.columns: tuple[str, ...] = tuple(renamed.get(name, name) for name in self.fields)
        unknown = set(renamed) - set(self.fields)
        if unknown:
            raise ValueError(f"{cls.__name__} has no field {', '.join(sorted(unknown))}")
        self._bools = tuple(i for i, f in enumerate(fields) if f.type in (bool, "bool"))
        self._position = {name: i for i, name in enumerate(self.fields)}
        getter = operator.attrgetter(*self.fields)
        self._get: Callable[[T], tuple[Any, ...]] = getter if len(self.fields) > 1 else (lambda item: (getter(item),))
        # A frozen dataclass's __init__ sets each field through object.__setattr__: for the
        # 10,000 spans of a long transcript that is half the time of reading them. A row
        # holds every field, checked values from our own table, so the instance's dict is
        # filled in one step instead (the same object: equal, hashable, frozen afterwards).
        self._plain = not hasattr(cls, "__post_init__") and not hasattr(cls, "__slots__")

    def column(self, field: str) -> str:
        """The column that holds ``field``."""
        return self.columns[self._position[field]]

    def index(self, field: str) -> int:
        """The position of ``field`` in a row read with ``select()``."""
        return self._position[field]

    def select(self, alias: str = "", fields: Sequence[str] | None = None) -> str:
        """The column list for a SELECT, optionally of some fields only, each prefixed by ``alias.``."""
        prefix = f"{alias}." if alias else ""
        names = self.fields if fields is None else fields
        return ", ".join(prefix + self.column(name) for name in names)

    def insert(self, verb: str = "INSERT") -> str:
        """``INSERT INTO table (columns) VALUES (?, ...)`` for the values of ``values()``."""
        return f"{verb} INTO {self.table} ({', '.join(self.columns)}) VALUES ({placeholders(len(self.columns))})"

    def update(self) -> str:
        """``UPDATE table SET column = ?, ... WHERE id = ?`` for ``values()[1:] + [id]``."""
        assert self.fields[0] == "id", "an updatable table's first field is its id"
        sets = ", ".join(f"{column} = ?" for column in self.columns[1:])
        return f"UPDATE {self.table} SET {sets} WHERE id = ?"

    def values(self, item: T, **overrides: Any) -> list[Any]:
        """The row for ``item`` in column order; ``overrides`` replace some fields' values."""
        values = list(self._get(item))  # one C call for every field (merges write 150,000 rows)
        position = self._position
        for name, value in overrides.items():
            if name in position:
                values[position[name]] = value
        for i in self._bools:
            values[i] = int(values[i])
        return values

    def read(self, row: Sequence[Any]) -> T:
        """The dataclass of a row read with ``select()``."""
        values = list(row) if self._bools else row
        for i in self._bools:
            values[i] = bool(values[i])  # type: ignore[index]
        if not self._plain or len(values) != len(self.fields):
            return self.cls(*values)
        item = object.__new__(self.cls)
        item.__dict__.update(zip(self.fields, values))
        return item


SPANS: ColumnMap[Span] = ColumnMap("spans", Span, {"start": "char_start", "end": "char_end"})
LINKS: ColumnMap[Link] = ColumnMap("links", Link, {"target_start": "char_start", "target_end": "char_end"})
REVIEWS: ColumnMap[Review] = ColumnMap("reviews", Review)
COMMENTS: ColumnMap[Comment] = ColumnMap("comments", Comment)
SOURCE_LINES: ColumnMap[SourceLine] = ColumnMap(
    "source_lines", SourceLine, {"start": "char_start", "end": "char_end"}
)
CATEGORIES: ColumnMap[Category] = ColumnMap("categories", Category)
SPEAKERS: ColumnMap[Speaker] = ColumnMap("speakers", Speaker)
CHANNELS: ColumnMap[Channel] = ColumnMap("channels", Channel)
