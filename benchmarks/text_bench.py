"""Measures moved out of the test suite: segmenting big texts, a huge one-line import,
and the corpus tree over 2,000 documents.

Each is reported as a ratio to a floor measured in the same run on the same
data, so a loaded or slow machine moves both and the ratio stays comparable:
- segmenting: one regular-expression pass over the words of the same text;
- the huge import: reading and hashing the same file;
- the corpus tree: the one ``Store.documents()`` query it is built from.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path

WORDS = re.compile(r"\w+")


def dense_text() -> str:
    """About 1 MB, one sentence per 20 characters, every rule of the segmenter exercised."""
    paragraph = (
        "Mr. Smith met the U.S. delegation on Sept. 29. “We will act,” he said. "
        "Is it so? Yes! The talks... went on.\n"
    )
    return "Vladimir Putin: Good afternoon.\n" + paragraph * (1_000_000 // len(paragraph))


def russian_text() -> str:
    """About 1 MB of a Russian transcript: abbreviations, initials, dates, dialogue dashes."""
    paragraph = (
        "В.Путин: Об этом см. стр. 5 доклада, т. е. в гл. 3. Встреча прошла 3 окт. 2022 г. "
        "в Москве. «Когда?» — спросил он. — Скоро. Участвовали С. К. Шойгу и др.\n"
    )
    return paragraph * (1_000_000 // len(paragraph))


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def _floor(text: str, repeat: int) -> float:
    return _best(lambda: sum(1 for _ in WORDS.finditer(text)), repeat)


def segment_ratios(repeat: int) -> list[tuple[str, float, float]]:
    """(label, seconds, ratio to the floor) for each segmenting measure."""
    from cisannotate.core.segment import segment_sentences, segment_transcript

    text = dense_text()
    russian = russian_text()
    wrapped = "the meeting went on and\n" * 42_000
    results = []
    for label, fn, data, language in (
        (f"segment a transcript, {len(text) / 1e6:.1f} MB of dense sentences", segment_transcript, text, ""),
        (f"segment sentences, {len(text) / 1e6:.1f} MB of dense sentences", segment_sentences, text, ""),
        (f"segment a Russian transcript, {len(russian) / 1e6:.1f} MB", segment_transcript, russian, "ru"),
        ("mend 42,000 hard-wrapped lines into one sentence", segment_sentences, wrapped, ""),
    ):
        floor = _floor(data, repeat)
        seconds = _best(lambda fn=fn, data=data, language=language: fn(data, language), repeat)
        results.append((label, seconds, seconds / floor))
    return results


def huge_line_ratio(folder: Path) -> tuple[str, float, float]:
    """Import one 21 MB line as a transcript; ratio to reading and hashing the file."""
    from cisannotate.storage import Store
    from cisannotate.services.importing import import_files

    path = folder / "oneline.txt"
    path.write_text(("word " * 4_200_000).strip())
    floor = _best(lambda: hashlib.sha256(path.read_text().encode()).hexdigest(), 3)
    store = Store.open(folder / "oneline.cisannotate")
    started = time.perf_counter()
    import_files(store, [path], kind="transcript")
    seconds = time.perf_counter() - started
    store.close()
    return f"import one {path.stat().st_size / 1e6:.0f} MB line as a transcript", seconds, seconds / floor
