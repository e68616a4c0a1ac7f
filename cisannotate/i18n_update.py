"""Refresh the translation catalogues from the window (the role pyside6-lupdate plays
for code that wraps its strings).

``python -m cisannotate.i18n_update`` builds the main window offscreen over a
copy of the sample project, shows its menus, docks and the dialogs named in
``DIALOGS``, collects every text the translator would look up, and merges them
into ``resources/i18n/cisannotate_<lang>.ts``: new texts are added as
"unfinished" (to be translated in Qt Linguist or any editor), translations are
kept, and with ``--prune`` texts no longer seen are marked "obsolete". ``--missing`` lists the texts
without a translation and exits with 1 when there are any.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from .ui.common import i18n

# Texts made at run time from counts, names or files: not in the catalogue.
_NOT_UI = re.compile(r"^\d+ annotations|^(Article|Transcript) · |^(English|Русский)$|^Annotator: |\(\d{4}-\d\d-\d\d\)$|^[AB]$|^[AB]: |\d+ of \d+ settled")


def collect(root) -> set[str]:
    """The English texts of ``root`` and its children that the translator looks up."""
    from PySide6.QtWidgets import QMenu

    texts: set[str] = set()
    i18n.install_recorder(texts)
    try:
        i18n.translate_tree(root)
        for menu in root.findChildren(QMenu):
            i18n.translate_tree(menu)
    finally:
        i18n.install_recorder(None)
    return {t for t in texts if t.strip() and any(ch.isalpha() for ch in t)}


def window_texts(known: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The window's texts; one made at run time (with numbers, or pieces joined by " · ")
    that the catalogue (``known``) lacks is taken as its pieces and templates."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from . import paths
    from .app import build_window, make_application
    from .sample import create_sample_project

    app = make_application()
    texts: set[str] = set()
    with tempfile.TemporaryDirectory() as folder:
        paths.set_data_dir(Path(folder) / "data")
        project = Path(folder) / "sample.cisannotate"
        create_sample_project(project).close()
        window = build_window(project, annotator="i18n")
        window.persist_layout = False
        window.resize(1400, 860)
        window.show()
        app.processEvents()
        store = window.session.store
        data = {c.name for c in store.categories()} | {c.description for c in store.categories()}
        data |= {d.title for d in store.documents()} | {"i18n", "sample.cisannotate"}
        data |= {d.outlet for d in store.documents()} | set(store.layers())
        found = collect(window)
        for dialog in _dialogs(window):
            found |= collect(dialog)
            dialog.deleteLater()
        found |= _findings_texts(app, window)
        found |= _walk_through_texts(app, window)
        data |= {c.name for c in store.channels()} | {p.name for p in store.speakers()}
        titles = {d.title for d in store.documents()}
        data |= {d.event for d in store.documents()} | {d.source_file for d in store.documents()} | {"cisannotate"}
        contents = [store.text(d.id) for d in store.documents()]

        def ours(t: str) -> bool:
            """Not the project's own words (names, titles, a sentence of a text) nor a count."""
            return (not any(d and d in t for d in data) and not _NOT_UI.search(t)
                    and not any(t.rstrip("…") in title for title in titles)
                    and not (len(t) > 15 and any(t in content for content in contents))
                    and any(ch.isalpha() for ch in t))

        joined = re.compile(r" · | — ")
        found = {piece for t in found if ours(t) or joined.search(t) for piece in
                 ((t,) if t in known or not (i18n._NUMBER.search(t) or " · " in t or " — " in t)
                  else _templates(t, known))}
        texts |= {t for t in found if ours(t)}
        window.close()
        window.session.store.close()
    return texts


def _template(text: str) -> str:
    """``text`` with its numbers as %1, %2..."""
    parts = i18n._NUMBER.split(text)
    return parts[0] + "".join(f"%{i}{rest}" for i, rest in enumerate(parts[1:], start=1))


def _templates(text: str, known: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The catalogue entries a text made at run time is found through, as
    ``i18n.translate_text`` looks: the whole with its numbers as %1, %2... when the
    catalogue has it, else its pieces between " · " or " — ", each likewise."""
    if _template(text) in known:
        return {_template(text)}
    pieces = re.split(r" · | — ", text)
    if len(pieces) == 1:
        return {_template(text)}
    return {p for piece in pieces for p in _templates(piece, known)}


def _findings_texts(app, window) -> set[str]:
    """The Findings dock, opened, and the words of its charts."""
    from matplotlib.text import Text

    window.findings.show()
    app.processEvents()
    texts = collect(window.findings.view)
    for page in window.findings.view.pages:
        texts |= collect(page)
        for artist in page.chart.figure.findobj(Text):
            words = artist.get_text()
            if any(ch.isalpha() for ch in words):
                texts.add(words)
    window.findings.dock.hide()
    return texts


def _walk_through_texts(app, window) -> set[str]:
    """The pre-annotation and align walk-throughs over the first article with a transcript."""
    from .ui.dialogs.align_dialog import AlignDialog
    from .ui.dialogs.propose_dialog import ProposeDialog

    store = window.session.store
    article = next(d for d in store.documents() if d.kind == "article" and store.transcripts_for(d.id))
    window.open_document(article.id)
    app.processEvents()
    texts: set[str] = set()
    for dialog in (ProposeDialog(window.linking, article.id, window), AlignDialog(window.linking, article.id, window)):
        dialog.show()
        app.processEvents()
        texts |= collect(dialog)
        dialog.close()
        dialog.deleteLater()
    return texts


def _dialogs(window) -> list:
    """The most visible dialogs, built (not shown) over the window."""
    from .ui.dialogs.small_dialogs import AnnotatorNameDialog, ShortcutsDialog
    from .ui.dialogs.exchange_dialogs import ExportDialog
    from .ui.dialogs.import_dialog import ImportDialog

    rows = [(s.section, s.name, s.keys, s.description) for s in window.shortcut_table]
    return [
        ShortcutsDialog(rows, window),
        ExportDialog(window.session.store.layers(), window),
        ImportDialog(Path.home(), window),
        AnnotatorNameDialog("i18n", window),
    ]


def known_sources() -> set[str]:
    """The English texts every catalogue holds, translated or not."""
    return {source for language in i18n.LANGUAGES if language != "en"
            for (_context, source) in _all_sources(i18n.catalogue_dir() / f"cisannotate_{language}.ts")}


def _all_sources(path: Path) -> set[tuple[str, str]]:
    """(context, source) of every entry of a catalogue, translated or not."""
    if not path.is_file():
        return set()
    root = ET.parse(path).getroot()
    return {(c.findtext("name", ""), m.findtext("source", "")) for c in root.iter("context") for m in c.iter("message")}


def merge(path: Path, language: str, texts: set[str], prune: bool = False) -> tuple[int, int]:
    """Add ``texts`` to the catalogue at ``path``; returns (added, obsolete).

    Entries not seen are marked obsolete only with ``prune``: templates and pieces of
    texts made at run time ("%1 source lines", "Annotator:") are never looked up
    whole, so they are added and kept by hand.
    """
    if path.is_file():
        tree = ET.parse(path)
        root = tree.getroot()
    else:
        root = ET.Element("TS", version="2.1", language=language)
        tree = ET.ElementTree(root)
    context = next((c for c in root.iter("context") if c.findtext("name") == i18n.CONTEXT), None)
    if context is None:
        context = ET.SubElement(root, "context")
        ET.SubElement(context, "name").text = i18n.CONTEXT
    known = {m.findtext("source"): m for m in context.iter("message")}
    added = obsolete = 0
    for text in sorted(texts - set(known)):
        message = ET.SubElement(context, "message")
        ET.SubElement(message, "source").text = text
        ET.SubElement(message, "translation", type="unfinished")
        added += 1
    for source, message in known.items():
        node = message.find("translation")
        if prune and source not in texts and node is not None and node.get("type") != "obsolete":
            node.set("type", "obsolete")
            obsolete += 1
        elif source in texts and node is not None and node.get("type") == "obsolete":
            del node.attrib["type"]
    ET.indent(tree, "    ")
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return added, obsolete


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Refresh the window's translation catalogues.")
    parser.add_argument("--missing", action="store_true", help="only list texts without a translation")
    parser.add_argument("--prune", action="store_true", help="mark texts no longer seen as obsolete")
    args = parser.parse_args(argv)
    texts = window_texts(known_sources())
    status = 0
    for language in i18n.LANGUAGES:
        if language == "en":
            continue
        path = i18n.catalogue_dir() / f"cisannotate_{language}.ts"
        if args.missing:
            done = i18n.read_ts(path) if path.is_file() else {}
            missing = sorted(t for t in texts if (i18n.CONTEXT, t) not in done)
            for text in missing:
                print(f"{language}: {text!r}")
            status = 1 if missing else status
        else:
            added, obsolete = merge(path, language, texts, prune=args.prune)
            print(f"{path}: {added} new texts, {obsolete} no longer used")
    return status


if __name__ == "__main__":
    sys.exit(main())
