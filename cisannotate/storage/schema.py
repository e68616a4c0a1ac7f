"""The project file's schema, created and upgraded with sqlite-utils Migrations.

Every migration is a function applied once, inside a transaction, and recorded
in ``_sqlite_migrations``. ``PRAGMA user_version`` mirrors the number of applied
migrations so another program (or an older cisannotate) can tell what the file
is without reading our tables; ``PRAGMA application_id`` says it is a project.
"""

from __future__ import annotations

import sqlite3

from . import load_sqlite_utils
from .schema_version import APPLICATION_ID, MIGRATION_NAMES, MIGRATION_SET, OLDEST_READABLE, SCHEMA_VERSION

load_sqlite_utils()
from sqlite_utils import Database, Migrations  # noqa: E402

__all__ = ["APPLICATION_ID", "OLDEST_READABLE", "SCHEMA_VERSION", "migrations"]

migrations = Migrations(MIGRATION_SET)


def _run_statements(db: Database, script: str) -> None:
    """Execute ``script`` statement by statement.

    ``sqlite3.Connection.executescript`` commits any open transaction first,
    which would break the migration's own transaction; this does not.
    """
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            db.execute(pending)
            pending = ""
    if pending.strip():
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]}")


@migrations()
def m001_initial(db: Database) -> None:
    _run_statements(
        db,
        """
        CREATE TABLE meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) STRICT;

        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('article', 'transcript')),
            title TEXT NOT NULL,
            outlet TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            event TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT '',
            url TEXT NOT NULL DEFAULT '',
            source_file TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT '',
            extra TEXT NOT NULL DEFAULT '{}',
            sha256 TEXT NOT NULL UNIQUE,
            text TEXT NOT NULL,
            created TEXT NOT NULL
        ) STRICT;
        CREATE INDEX documents_event ON documents (event, kind);

        CREATE TABLE source_lines (
            document_id TEXT NOT NULL REFERENCES documents (id),
            number INTEGER NOT NULL CHECK (number >= 1),
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            paragraph INTEGER NOT NULL,
            speaker TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (document_id, number),
            CHECK (0 <= char_start AND char_start < char_end)
        ) STRICT;

        CREATE TABLE categories (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            color TEXT NOT NULL,
            shortcut TEXT NOT NULL DEFAULT '',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0
        ) STRICT;

        CREATE TABLE speakers (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL DEFAULT ''
        ) STRICT;

        CREATE TABLE channels (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        ) STRICT;

        CREATE TABLE annotators (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL
        ) STRICT;

        CREATE TABLE spans (
            id TEXT PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents (id),
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            quote TEXT NOT NULL DEFAULT '',
            prefix TEXT NOT NULL DEFAULT '',
            suffix TEXT NOT NULL DEFAULT '',
            category_id TEXT REFERENCES categories (id),
            speaker_id TEXT REFERENCES speakers (id),
            mode TEXT CHECK (mode IS NULL OR mode IN (
                'direct quote', 'partial quote', 'indirect speech', 'paraphrase', 'unattributed')),
            channel_id TEXT REFERENCES channels (id),
            note TEXT NOT NULL DEFAULT '',
            no_source INTEGER NOT NULL DEFAULT 0 CHECK (no_source IN (0, 1)),
            layer TEXT NOT NULL,
            annotator TEXT NOT NULL REFERENCES annotators (name),
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            CHECK (0 <= char_start AND char_start < char_end)
        ) STRICT;
        CREATE INDEX spans_document ON spans (document_id, char_start);
        CREATE INDEX spans_layer ON spans (layer);

        -- No ON DELETE CASCADE: deleting a span removes its links explicitly, so
        -- that undo can restore them and a forgotten link fails loudly.
        CREATE TABLE links (
            id TEXT PRIMARY KEY,
            span_id TEXT NOT NULL REFERENCES spans (id),
            target_document_id TEXT NOT NULL REFERENCES documents (id),
            char_start INTEGER NOT NULL,
            char_end INTEGER NOT NULL,
            relation TEXT NOT NULL CHECK (relation IN (
                'verbatim', 'close paraphrase', 'loose paraphrase', 'distortion')),
            note TEXT NOT NULL DEFAULT '',
            layer TEXT NOT NULL,
            annotator TEXT NOT NULL REFERENCES annotators (name),
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            CHECK (0 <= char_start AND char_start < char_end)
        ) STRICT;
        CREATE INDEX links_span ON links (span_id);
        CREATE INDEX links_target ON links (target_document_id, char_start);

        CREATE TABLE reviews (
            id TEXT PRIMARY KEY,
            item_a TEXT NOT NULL DEFAULT '',
            item_b TEXT NOT NULL DEFAULT '',
            decision TEXT NOT NULL CHECK (decision IN ('accept_a', 'accept_b', 'edit', 'reject')),
            reviewer TEXT NOT NULL REFERENCES annotators (name),
            result_id TEXT NOT NULL DEFAULT '',
            comment TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        ) STRICT;
        CREATE INDEX reviews_items ON reviews (item_a, item_b);

        CREATE TABLE comments (
            id TEXT PRIMARY KEY,
            target_id TEXT NOT NULL,
            author TEXT NOT NULL REFERENCES annotators (name),
            text TEXT NOT NULL,
            created TEXT NOT NULL
        ) STRICT;
        CREATE INDEX comments_target ON comments (target_id);

        -- Full-text search across the corpus; documents never change, so the
        -- index is written once per imported document.
        CREATE VIRTUAL TABLE documents_fts USING fts5 (
            title, text, content='documents', content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2'
        );
        """
    )


@migrations()
def m002_lookup_indexes(db: Database) -> None:
    """Indexes for lookups that otherwise read a whole table.

    Which source lines a link reaches (coverage, lines_in_range) is a range
    search on a transcript's line starts; the primary key orders lines by
    number, so without ``source_lines_start`` every line of the transcript is
    read for every link. Deleting a category, speaker or channel makes SQLite
    check the foreign keys of every span pointing at it, and filtering by one
    does the same: without an index on the column, each is a scan of all spans.
    """
    _run_statements(
        db,
        """
        CREATE INDEX source_lines_start ON source_lines (document_id, char_start);
        CREATE INDEX spans_category ON spans (category_id);
        CREATE INDEX spans_speaker ON spans (speaker_id);
        CREATE INDEX spans_channel ON spans (channel_id);
        """,
    )


# The number of migrations above; a project whose user_version is higher was
# written by a newer cisannotate and is refused rather than misread.
@migrations()
def m003_stem_index(db: Database) -> None:
    """A full-text index of every document's words as stems, in the document's language.

    Corpus search finds inflected forms with it ("revolution" finds "revolutions").
    Documents never change, so the index is written once per document (see
    ``storage/fulltext.py``); this builds it for the documents already there.
    """
    from .fulltext import build_stem_index

    db.execute(
        "CREATE VIRTUAL TABLE documents_stems USING fts5 (stems, content='', "
        "tokenize='unicode61 remove_diacritics 0')"
    )
    build_stem_index(db)


@migrations()
def m004_document_listing(db: Database) -> None:
    """A stored length for every document, and indexes that list the corpus without its texts.

    A document's row holds its text, so reading the list of an archive (50,000 titles)
    from the table reads every page of every text, and ``length(text)`` decodes them
    all. ``length`` (code points, written with the document) and two covering indexes
    let the navigator list the corpus in its order, and corpus search walk it in
    search order, from a few megabytes of index instead.
    """
    _run_statements(
        db,
        """
        ALTER TABLE documents ADD COLUMN length INTEGER CHECK (length IS NULL OR length >= 0);
        CREATE INDEX documents_listing ON documents (
            event, kind DESC, date, title, id, outlet, language, source_file, sha256, length);
        CREATE INDEX documents_order ON documents (kind DESC, date, title, id, language);
        """,
    )
    # Counted in Python: SQLite's length() stops at a NUL, and a text's length is its code points.
    # In chunks, so an archive's texts are never all in memory at once.
    last = 0
    while True:
        rows = db.execute("SELECT rowid, text FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 500", [last]).fetchall()
        if not rows:
            break
        db.conn.executemany("UPDATE documents SET length = ? WHERE rowid = ?", [(len(t), r) for r, t in rows])
        last = rows[-1][0]


if [m.name for m in migrations._migrations] != list(MIGRATION_NAMES) or SCHEMA_VERSION != len(MIGRATION_NAMES):
    raise RuntimeError("storage/schema_version.py must list the migrations of schema.py, and SCHEMA_VERSION "
                       "be their number: update it (and storage/schema_expected.py) with each new migration")
