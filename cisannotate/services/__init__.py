"""Operations the command line and the window share: import, merge, export, restore.

Each service owns what the operation needs beyond the core: the backup taken
before it, the one transaction it writes in, the mapping of every failure
(unreadable input, an OSError, a full disk raised as sqlite3.Error) to one
``ServiceError`` whose message the front end shows as it is, and the report of
what it did. Services are Qt-free: progress and cancel are plain callables, so
the window can run a service in a worker thread and the command line without
any.
"""

from .common import Cancelled, IsCancelled, OnProgress, ServiceError

__all__ = ["Cancelled", "IsCancelled", "OnProgress", "ServiceError"]
