"""The bundled sample project: fictional texts and two annotators' example work.

``resources/sample/`` holds the texts, their manifest and ``annotations.json``,
which names every span by its quoted text rather than by offsets, so the
texts can be edited without recomputing numbers. Building the sample resolves
each quote to offsets and writes it through the ordinary Store methods.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .core.model import Channel, Link, Span, Speaker
from .core.text import quote_at
from .paths import resources_dir
from .storage import Store
from .services.importing import import_files

# Fixed times keep exports of the sample byte-identical from one build to the next.
_EPOCH = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
# Likewise one id for the sample project wherever it is built: its exports' ids are the same.
SAMPLE_PROJECT_ID = "5a3e1b0c-7d2f-4e61-9a48-c0ffee5a3b1e"


class SampleError(Exception):
    pass


def sample_dir() -> Path:
    return resources_dir() / "sample"


def _stamp(i: int) -> str:
    return (_EPOCH + timedelta(minutes=i)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _locate(text: str, quote: str, occurrence: int, where: str) -> tuple[int, int]:
    at = -1
    for _ in range(max(1, occurrence)):
        at = text.find(quote, at + 1)
        if at == -1:
            raise SampleError(f"{where}: quote not found: {quote[:60]!r}")
    return at, at + len(quote)


def build_sample(store: Store, folder: Path | None = None) -> None:
    """Import the sample texts into ``store`` and add the example annotations."""
    folder = folder or sample_dir()
    store.set_meta("project_id", SAMPLE_PROJECT_ID)
    report = import_files(store, [folder], manifest=folder / "manifest.csv")
    if report.problems:
        raise SampleError("; ".join(report.problems))
    spec = json.loads((folder / "annotations.json").read_text(encoding="utf-8"))
    by_file = {d.source_file: d for d in store.documents()}

    speakers = {}
    for i, item in enumerate(spec.get("speakers", [])):
        speaker = Speaker(id=f"spk-{i + 1}", name=item["name"], role=item.get("role", ""))
        store.add_speaker(speaker)
        speakers[speaker.name] = speaker.id
    channels = {}
    for i, name in enumerate(spec.get("channels", [])):
        store.add_channel(Channel(id=f"chn-{i + 1}", name=name))
        channels[name] = f"chn-{i + 1}"
    categories = {c.name: c.id for c in store.categories()}

    spans: list[Span] = []
    links: list[Link] = []
    for i, item in enumerate(spec["annotations"]):
        doc = by_file[item["document"]]
        text = store.text(doc.id)
        where = f"annotation {i + 1} ({item['document']})"
        start, end = _locate(text, item["quote"], item.get("occurrence", 1), where)
        quote = quote_at(text, start, end)
        stamp = _stamp(i)
        span = Span(
            id=f"sample-span-{i + 1:03d}",
            document_id=doc.id,
            start=start,
            end=end,
            annotator=item["annotator"],
            layer=item["annotator"],
            quote=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            category_id=categories[item["category"]] if item.get("category") else None,
            speaker_id=speakers[item["speaker"]] if item.get("speaker") else None,
            mode=item.get("mode"),
            channel_id=channels[item["channel"]] if item.get("channel") else None,
            note=item.get("note", ""),
            no_source=bool(item.get("no_source", False)),
            created=stamp,
            modified=stamp,
        )
        spans.append(span)
        targets = store.transcripts_for(doc.id)
        for j, link in enumerate(item.get("links", [])):
            if not targets:
                raise SampleError(f"{where}: links, but its event has no transcript")
            target = targets[0]
            t_start, t_end = _locate(store.text(target.id), link["quote"], link.get("occurrence", 1), where)
            links.append(
                Link(
                    id=f"sample-link-{i + 1:03d}-{j + 1}",
                    span_id=span.id,
                    target_document_id=target.id,
                    target_start=t_start,
                    target_end=t_end,
                    relation=link["relation"],
                    annotator=item["annotator"],
                    layer=item["annotator"],
                    note=link.get("note", ""),
                    created=stamp,
                    modified=stamp,
                )
            )
    with store.atomic():
        store.add_spans(spans)
        store.add_links(links)


def create_sample_project(path: Path) -> Store:
    """A new project file at ``path`` holding the sample; nothing is left behind on failure."""
    path = Path(path)
    partial = path.with_name(path.name + ".creating")
    leftovers = (partial, Path(str(partial) + "-wal"), Path(str(partial) + "-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    store = Store.open(partial)
    try:
        build_sample(store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.db.execute("PRAGMA journal_mode = DELETE")
    except BaseException:
        store.close()
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)
        raise
    store.close()
    partial.replace(path)
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    return Store.open(path)
