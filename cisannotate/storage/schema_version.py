"""What identifies a project file's schema, without the migrations themselves.

Opening a project in its current shape needs these numbers and names only;
``schema.py`` (which imports sqlite-utils for its migrations) is imported when a
file is created or upgraded, and checks at import that its migrations are these.
"""

# "CISA" in ASCII: written into the SQLite header of every project file.
APPLICATION_ID = 0x43495341

# The migrations of schema.py, in order; their set's name in ``_sqlite_migrations``.
MIGRATION_SET = "cisannotate"
MIGRATION_NAMES = ("m001_initial", "m002_lookup_indexes", "m003_stem_index", "m004_document_listing")

SCHEMA_VERSION = 4

# The oldest schema this version can read without upgrading it, which is what a
# read-only open needs (a project on a CD, an archive, a colleague's share).
# Version 2 only added indexes, so version 1 files read as they are; raise this
# when a migration changes the tables or columns the Store reads. Version 4 added
# the documents' stored length, which the Store computes itself from an older file.
OLDEST_READABLE = 1


def pending_migrations(conn) -> list[str]:
    """The names of the migrations not yet applied to the project open on ``conn`` (read only)."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'").fetchone() is None:
        return list(MIGRATION_NAMES)
    applied = {row[0] for row in conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", [MIGRATION_SET])}
    return [name for name in MIGRATION_NAMES if name not in applied]
