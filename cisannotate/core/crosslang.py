"""Suggestions across languages, offline: an English article against a Russian transcript.

Nothing is downloaded and no model is shipped, so what can meet across the two
languages is what the texts share on the surface:

* ``direct``: the plain index; only numbers (and Latin words quoted in the
  Russian text) can match.
* ``translit``: the Russian lines transliterated to Latin letters before
  indexing, so names and places ("Ладыгина" / "Ladygina", "Мурманска" /
  "Murmansk") share character 4-grams with the English text, besides numbers.
* ``bridge``: when the project also holds the English version of the transcript
  and the two are aligned line by line (same number of source lines, same
  speakers paragraph by paragraph), the English article is matched against the
  English version and each suggestion is carried over to the Russian line with
  the same number.

``evaluate`` measures a method on a gold set in the format of
``tests/data/ru/gold.json``: top-1, top-5 and the mean reciprocal rank (MRR) on
the spans with a source, the share of sourced spans whose best score clears ``NO_SOURCE_THRESHOLD``, and
the share of no-source spans flagged as such.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .model import SourceLine

from .language import base_code, transliterate
from .segment import Segment, segment_transcript
from .suggest import Candidate, IndexedLine, SourceIndex, is_no_source

METHODS = ("direct", "translit", "bridge")


def aligned(original: Sequence[Segment | SourceLine], version: Sequence[Segment | SourceLine]) -> bool:
    """Whether two segmentations of one speech correspond line by line.

    Same number of lines and the same paragraph (and so speaker turn) for every
    line; speaker names are not compared, since they are spelled in two scripts.
    """
    return len(original) == len(version) and all(
        a.paragraph == b.paragraph for a, b in zip(original, version, strict=True)
    )


@dataclass
class CrossIndex:
    """Russian (or other) source lines, searchable from English text by one method."""

    method: str
    lines: list[IndexedLine]
    index: SourceIndex

    def query(self, text: str, top: int = 5) -> list[Candidate]:
        found = self.index.query(text, top=top)
        if self.method == "direct":
            return found
        # Hand back the original lines (their text, offsets and numbers).
        by_number = {ref.number: ref for ref in self.lines}
        return [
            Candidate(c.document_id, c.line, by_number[c.line].start, by_number[c.line].end,
                      by_number[c.line].text, c.score)
            for c in found
        ]


def build(method: str, document_id: str, text: str, language: str,
          version_text: str | None = None, version_language: str = "en") -> CrossIndex:
    """An index over ``text``'s source lines for queries in another language."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r} (expected one of {', '.join(METHODS)})")
    segments = segment_transcript(text, language)
    lines = [IndexedLine(document_id, s.number, s.start, s.end, text[s.start:s.end], s.speaker)
             for s in segments]
    if method == "direct":
        indexed = lines
    elif method == "translit":
        indexed = [IndexedLine(r.document_id, r.number, r.start, r.end, transliterate(r.text),
                           transliterate(r.speaker)) for r in lines]
    else:
        if version_text is None:
            raise ValueError("the bridge needs the transcript's version in the article's language")
        other = segment_transcript(version_text, version_language)
        if not aligned(segments, other):
            raise ValueError(
                f"the two versions are not aligned line by line ({len(segments)} and {len(other)} lines)"
            )
        indexed = [IndexedLine(document_id, s.number, s.start, s.end, version_text[s.start:s.end],
                           s.speaker) for s in other]
    return CrossIndex(method, lines, SourceIndex(indexed))


# ------------------------------------------------------------- the bridge in a project
@dataclass(frozen=True)
class Version:
    """A transcript with a version of the same speech in another language, aligned line by line."""

    document_id: str
    language: str
    counterpart: str  # the other version's document id
    counterpart_language: str
    lines: dict[int, IndexedLine]  # the other version's lines by number


@dataclass(frozen=True)
class Bridged:
    """How a candidate of the other version was reached: through ``version`` (a
    candidate of the transcript in the article's language), whose language is ``language``."""

    version: Candidate
    language: str


def pair_versions(transcripts: Sequence[tuple[str, str, str, Sequence[IndexedLine], Sequence[SourceLine]]]
                  ) -> dict[str, Version]:
    """The aligned pairs among a project's transcripts, by each member's document id.

    ``transcripts`` holds (document id, event, language, line texts, source lines).
    Two transcripts pair when they belong to one event, are in two different
    (known) languages and are aligned line by line (``aligned``). A transcript
    that would pair with several is left out: which one is meant is not clear.
    """
    found: dict[str, list[Version]] = {}
    for i, (a_id, a_event, a_lang, a_refs, a_lines) in enumerate(transcripts):
        for b_id, b_event, b_lang, b_refs, b_lines in transcripts[i + 1:]:
            a_code, b_code = base_code(a_lang), base_code(b_lang)
            if not a_event or a_event != b_event or not a_code or not b_code or a_code == b_code:
                continue
            if not aligned(a_lines, b_lines):
                continue
            found.setdefault(a_id, []).append(
                Version(a_id, a_code, b_id, b_code, {r.number: r for r in b_refs}))
            found.setdefault(b_id, []).append(
                Version(b_id, b_code, a_id, a_code, {r.number: r for r in a_refs}))
    return {doc: versions[0] for doc, versions in found.items() if len(versions) == 1}


# The languages whose versions are taken as translations, to be bridged from: the
# governments of the region publish English versions of speeches given in Russian (or
# a national language), so an English article reaches the original through the English
# version, while a report in the original's language is matched with the original alone.
BRIDGE_FROM = frozenset({"en"})


def version_name(code: str) -> str:
    """"English" for "en": how the candidate list names a version's language."""
    return {"en": "English", "ru": "Russian"}.get(code, code)


def bridge(candidates: Sequence[Candidate], versions: dict[str, Version], language: str,
           top: int) -> tuple[list[Candidate], dict[Candidate, Bridged]]:
    """Each candidate of a transcript in the article's ``language`` that has an aligned
    version in another language, followed by the same line(s) of that version, with the
    same score; the list is cut at ``top``. Returns the list and, for every candidate
    reached through the bridge, how."""
    code = base_code(language)
    out: list[Candidate] = []
    via: dict[Candidate, Bridged] = {}
    for c in candidates:
        out.append(c)
        version = versions.get(c.document_id)
        if version is None or version.language != code:
            continue
        found = [version.lines.get(n) for n in c.lines]
        refs = [r for r in found if r is not None]
        if len(refs) < len(found):
            continue
        head, last = refs[0], refs[-1]
        if len(refs) == 1:
            other = Candidate(version.counterpart, head.number, head.start, head.end, head.text, c.score)
        else:
            other = Candidate(version.counterpart, head.number, head.start, last.end,
                              " ".join(r.text for r in refs), c.score,
                              tuple((r.number, r.start, r.end) for r in refs))
        if other not in via:
            out.append(other)
            via[other] = Bridged(c, version.language)
    out = out[:top]
    return out, {c: b for c, b in via.items() if c in out}


def evaluate(gold_path: Path, method: str, articles: Sequence[str] | None = None) -> dict:
    """Top-1, top-5, MRR (sourced spans) and no-source accuracy of one method on a gold set."""
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    folder = gold_path.parent
    transcript = (folder / gold["transcript"]).read_text(encoding="utf-8")
    version = folder / gold.get("english_version", "")
    version_text = version.read_text(encoding="utf-8") if gold.get("english_version") else None
    index = build(method, "transcript", transcript, "ru", version_text)
    top1 = top5 = 0
    reciprocal = 0.0
    sourced = flagged = unsourced = kept = 0
    texts: dict[str, str] = {}
    for span in gold["spans"]:
        if articles is not None and span["article"] not in articles:
            continue
        article = texts.setdefault(span["article"],
                                   (folder / span["article"]).read_text(encoding="utf-8"))
        quote = article[span["start"]:span["end"]]
        if hashlib.sha1(quote.encode("utf-8")).hexdigest()[:12] != span["sha1"]:
            raise ValueError(f"{span['article']}: gold span {span['start']}-{span['end']} has moved")
        candidates = index.query(quote, top=5)
        if not span["sources"]:
            unsourced += 1
            flagged += is_no_source(candidates)
            continue
        sourced += 1
        kept += not is_no_source(candidates)
        wanted = {s["line"] for s in span["sources"]}
        ranks = [k for k, c in enumerate(candidates, start=1) if c.line in wanted]
        if ranks:
            top1 += ranks[0] == 1
            top5 += 1
            reciprocal += 1.0 / ranks[0]
    return {
        "method": method,
        "sourced": sourced,
        "top1": top1 / sourced if sourced else 0.0,
        "top5": top5 / sourced if sourced else 0.0,
        "mrr": reciprocal / sourced if sourced else 0.0,
        "sourced_kept": kept / sourced if sourced else 0.0,
        "no_source": unsourced,
        "no_source_flagged": flagged / unsourced if unsourced else 0.0,
    }


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    args = parser.parse_args(argv)
    gold = json.loads(args.gold.read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = {}
    for span in gold["spans"]:
        groups.setdefault(span["language"], [])
        if span["article"] not in groups[span["language"]]:
            groups[span["language"]].append(span["article"])
    for language, articles in sorted(groups.items()):
        for method in METHODS if language != "ru" else ("direct",):
            r = evaluate(args.gold, method, articles)
            print(f"{language} articles, {method:8}: top-1 {r['top1']:.2f}  top-5 {r['top5']:.2f}  "
                  f"MRR {r['mrr']:.2f}  ({r['sourced']} sourced spans, {r['sourced_kept']:.2f} above the "
                  f"threshold); no source flagged "
                  f"{r['no_source_flagged']:.2f} of {r['no_source']}")


if __name__ == "__main__":
    main()
