"""Merge's decisions about texts: which project text a colleague's document is,
why an annotation could not be placed, and the normalisation of arriving text.

* ``another_version_of`` decides "another version of our text" by how similar
  the two texts are (rapidfuzz's normalised Indel similarity of the whole
  texts), never by a shared file name or title: a different article that a
  colleague also called ``report.txt`` is a new document with its own
  annotations, and a corrected version renamed to ``report-v2.txt`` is still
  ours.
* ``normalize_incoming`` gives every text in a file the normalisation import
  gives it (``core.text.normalize_text``: BOM, CRLF, CR), and carries every
  offset of the file's source lines, annotations and links over to the
  normalised text, so stored offsets always point where they should.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..core.text import Quote, normalize_with_offsets, quote_at, sha256_text

__all__ = [
    "SAME_TEXT_THRESHOLD",
    "another_version_of",
    "normalize_incoming",
    "similarity",
    "why_not_placed",
]

SAME_TEXT_THRESHOLD = 0.85
"""Two texts at least this similar (0..1) are versions of one text.

A correction (a reworded sentence and an added correction line) leaves two
versions of a corpus text at 0.96-0.99; two different texts of one event
reach at most 0.61 on the corpus (``test_merge_same_text.py`` checks both)."""

# Two candidates closer than this are both plausible: neither is chosen.
_AMBIGUOUS_MARGIN = 0.01


def similarity(a: str, b: str, cutoff: float = 0.0) -> float:
    """How alike two texts are, from 0 (nothing shared) to 1 (the same), character by character.

    Below ``cutoff`` the answer is 0 (a shortcut for long texts).
    """
    if not a or not b:
        return 1.0 if a == b else 0.0
    shorter, longer = sorted((len(a), len(b)))
    # The Indel similarity can never exceed this, whatever the texts hold.
    if 2 * shorter / (shorter + longer) < cutoff:
        return 0.0
    from rapidfuzz.distance import Indel

    return Indel.normalized_similarity(a, b, score_cutoff=cutoff)


def another_version_of(text: str, candidates: Iterable[tuple[Any, str]]) -> Any | None:
    """The one candidate (key, its text) that ``text`` is another version of, or None.

    None when no candidate is similar enough, or when two are about equally
    similar (the merge then adds the text as a document of its own rather than guess).
    """
    scored: list[tuple[float, Any]] = []
    for key, other in candidates:
        score = similarity(text, other, SAME_TEXT_THRESHOLD)
        if score >= SAME_TEXT_THRESHOLD:
            scored.append((score, key))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0], reverse=True)
    if len(scored) > 1 and scored[0][0] - scored[1][0] < _AMBIGUOUS_MARGIN:
        return None
    return scored[0][1]


def why_not_placed(text: str, quote: Quote, title: str) -> str:
    """The reason, for the merge report, that ``quote`` has no place in ``text``."""
    if quote.exact and quote.exact in text:
        return (
            f"its words still occur in the project's version of “{title}”, but not where its "
            "surroundings match (the sentence was reworded), so it was not placed"
        )
    return f"its quote no longer occurs in the project's version of “{title}”"


def _remap(record: dict, text: str, mapping: Sequence[int], keys: tuple[str, str, str, str, str]) -> None:
    start_key, end_key, quote_key, prefix_key, suffix_key = keys
    start, end = mapping[record[start_key]], mapping[record[end_key]]
    record[start_key], record[end_key] = start, end
    if start < end:
        q = quote_at(text, start, end)
        record[quote_key], record[prefix_key], record[suffix_key] = q.exact, q.prefix, q.suffix


def normalize_incoming(data: dict) -> dict:
    """Normalise the texts of a validated export in place, carrying offsets over; returns ``data``.

    A document whose text changes gets the new text's hash and length, so a
    CRLF copy of a project text is recognised as that text.
    """
    mappings: dict[str, tuple[str, list[int]]] = {}
    for doc in data["documents"]:
        raw = doc.get("text")
        if raw is None:
            continue
        text, mapping = normalize_with_offsets(raw)
        if text == raw:
            continue
        mappings[doc["id"]] = (text, mapping)
        doc.update(text=text, sha256=sha256_text(text), length=len(text))
        for line in doc["source_lines"]:
            line["start"], line["end"] = mapping[line["start"]], mapping[line["end"]]
            line["paragraph"] = mapping[line["paragraph"]] if line["paragraph"] < len(mapping) else line["paragraph"]
    if not mappings:
        return data
    for span in data["spans"]:
        if span["document_id"] in mappings:
            text, mapping = mappings[span["document_id"]]
            _remap(span, text, mapping, ("start", "end", "quote", "prefix", "suffix"))
    for link in data["links"]:
        if link["target_document_id"] in mappings:
            text, mapping = mappings[link["target_document_id"]]
            _remap(link, text, mapping,
                   ("target_start", "target_end", "target_quote", "target_prefix", "target_suffix"))
    return data
