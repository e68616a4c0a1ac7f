"""Findings figures and charts checked against counts computed here, in SQL, from the database.

Each chart's bars are read back from the matplotlib artists (their heights,
widths and colours) and compared with a query written in this file, on the
sample project and on the real corpus annotated in the test.
"""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest
from matplotlib.colors import to_hex

from cisannotate import findings
from cisannotate.charts.findings import RELATION_COLORS, ChartError, build_all, table_colors
from cisannotate.core.model import MODES, RELATIONS, Channel, Document, Link, SourceLine, Span, Speaker, new_id
from cisannotate.sample import create_sample_project
from cisannotate.storage import Store
from cisannotate.services.importing import import_files

RANK = "CASE relation WHEN 'verbatim' THEN 0 WHEN 'close paraphrase' THEN 1 WHEN 'loose paraphrase' THEN 2 ELSE 3 END"
OUTLET = "CASE WHEN trim(d.outlet) != '' THEN trim(d.outlet) ELSE '[' || d.source_file || ']' END"


# ------------------------------------------------------------ independent counts
def sql_coverage(store: Store, layer: str, event: str | None) -> dict[tuple[str, int], tuple[int, str | None]]:
    """(transcript, line) -> (articles reaching it, strongest relation) of the layer's article links."""
    event_clause = "" if event is None else "AND a.event = :event"
    transcripts = "" if event is None else (
        "AND (t.event = :event OR t.id IN (SELECT k2.target_document_id FROM links k2 JOIN spans s2 ON s2.id = k2.span_id "
        "JOIN documents a2 ON a2.id = s2.document_id WHERE k2.layer = :layer AND a2.event = :event))"
    )
    rows = store.db.execute(
        f"""
        SELECT t.id, l.number,
          (SELECT count(DISTINCT s.document_id) FROM links k JOIN spans s ON s.id = k.span_id
             JOIN documents a ON a.id = s.document_id
           WHERE k.target_document_id = t.id AND k.layer = :layer AND s.layer = :layer AND a.kind = 'article'
             AND k.char_start < l.char_end AND k.char_end > l.char_start {event_clause}),
          (SELECT k.relation FROM links k JOIN spans s ON s.id = k.span_id JOIN documents a ON a.id = s.document_id
           WHERE k.target_document_id = t.id AND k.layer = :layer AND s.layer = :layer AND a.kind = 'article'
             AND k.char_start < l.char_end AND k.char_end > l.char_start {event_clause}
           ORDER BY {RANK} LIMIT 1)
        FROM source_lines l JOIN documents t ON t.id = l.document_id
        WHERE t.kind = 'transcript' {transcripts}
        """,
        {"layer": layer, "event": event},
    ).fetchall()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _grouped(store: Store, sql: str, params: dict) -> dict[tuple[str, str], int]:
    return {(r[0], r[1]): r[2] for r in store.db.execute(sql, params).fetchall()}


def sql_fidelity(store: Store, layer: str, event: str | None) -> dict[tuple[str, str], int]:
    clause = "" if event is None else "AND d.event = :event"
    return _grouped(store, f"""
        SELECT outlet, relation, count(*) FROM (
          SELECT {OUTLET} AS outlet,
            CASE WHEN worst IS NOT NULL THEN (CASE worst WHEN 0 THEN 'verbatim' WHEN 1 THEN 'close paraphrase'
                                              WHEN 2 THEN 'loose paraphrase' ELSE 'distortion' END)
                 WHEN s.no_source = 1 THEN 'no source' END AS relation
          FROM (SELECT s.*, (SELECT max({RANK}) FROM links k WHERE k.span_id = s.id AND k.layer = :layer) AS worst
                FROM spans s) s JOIN documents d ON d.id = s.document_id
          WHERE s.layer = :layer AND d.kind = 'article' {clause})
        WHERE relation IS NOT NULL GROUP BY 1, 2""", {"layer": layer, "event": event})


def sql_modes(store: Store, layer: str, event: str | None) -> dict[tuple[str, str], int]:
    clause = "" if event is None else "AND d.event = :event"
    return _grouped(store, f"""
        SELECT {OUTLET}, s.mode, count(*) FROM spans s JOIN documents d ON d.id = s.document_id
        WHERE s.layer = :layer AND d.kind = 'article' AND s.mode IS NOT NULL {clause} GROUP BY 1, 2""",
                    {"layer": layer, "event": event})


def sql_channels(store: Store, layer: str, event: str | None) -> dict[tuple[str, str], int]:
    clause = "" if event is None else "AND d.event = :event"
    return _grouped(store, f"""
        SELECT {OUTLET}, coalesce(c.name, 'no channel named'), count(*) FROM spans s
        JOIN documents d ON d.id = s.document_id LEFT JOIN channels c ON c.id = s.channel_id
        WHERE s.layer = :layer AND d.kind = 'article' AND (s.mode IS NOT NULL OR s.channel_id IS NOT NULL) {clause}
        GROUP BY 1, 2""", {"layer": layer, "event": event})


def sql_categories(store: Store, layer: str, event: str | None, by: str = OUTLET) -> dict[tuple[str, str], int]:
    clause = "" if event is None else "AND d.event = :event"
    return _grouped(store, f"""
        SELECT {by}, c.name, count(*) FROM spans s JOIN documents d ON d.id = s.document_id
        JOIN categories c ON c.id = s.category_id
        WHERE s.layer = :layer AND d.kind = 'article' {clause} GROUP BY 1, 2""", {"layer": layer, "event": event})


def sql_distortions(store: Store, layer: str, event: str | None) -> int:
    clause = "" if event is None else "AND d.event = :event"
    return store.db.execute(f"""
        SELECT count(*) FROM links k JOIN spans s ON s.id = k.span_id JOIN documents d ON d.id = s.document_id
        WHERE k.layer = :layer AND s.layer = :layer AND d.kind = 'article' AND k.relation = 'distortion' {clause}""",
                            {"layer": layer, "event": event}).fetchone()[0]


# ------------------------------------------------------------ what the charts draw
def drawn_table(chart, table, share: bool, vertical: bool = False) -> dict[tuple[str, str], int]:
    """(row, column) -> count, read from the bars' sizes (shares turned back into counts)."""
    drawn: dict[tuple[str, str], int] = {}
    colors = table_colors(table)
    for patch, pick in chart.picks.items():
        size = patch.get_height() if vertical else patch.get_width()
        if share:
            size = size * table.row_total(pick.row) / 100
        count = round(size)
        assert abs(size - count) < 1e-6
        assert count == len(pick.claims)
        assert to_hex(patch.get_facecolor()) == to_hex(colors[pick.column])
        drawn[(pick.row, pick.column)] = count
    return drawn


def check_layer(store: Store, layer: str, event: str | None) -> findings.Findings:
    found = findings.compute(store, layer, event)
    charts = {chart.key: chart for chart in build_all(found)}

    expected_cov = sql_coverage(store, layer, event)
    drawn_cov = {}
    for patch, pick in charts["coverage"].picks.items():
        line = (pick.row, int(pick.column))
        articles = round(patch.get_height()) if patch.get_height() > 0 else 0
        strongest = None
        if articles:
            strongest = next(r for r, c in RELATION_COLORS.items() if c == to_hex(patch.get_facecolor()))
        drawn_cov[line] = (articles, strongest)
        assert len(set(pick.claims)) == len(pick.claims)
    assert drawn_cov == expected_cov
    assert sum(1 for a, _ in expected_cov.values() if a == 0) == sum(not line.reported for line in found.coverage)

    assert drawn_table(charts["fidelity"], found.fidelity, share=True) == sql_fidelity(store, layer, event)
    assert drawn_table(charts["modes"], found.modes, share=False) == sql_modes(store, layer, event)
    assert drawn_table(charts["channels"], found.channels, share=False) == sql_channels(store, layer, event)
    assert drawn_table(charts["categories"], found.categories, share=False) == sql_categories(store, layer, event)
    events = {r[0] for r in store.db.execute(
        "SELECT DISTINCT d.event FROM spans s JOIN documents d ON d.id = s.document_id "
        "WHERE s.layer = ? AND d.kind = 'article'", [layer]).fetchall()}
    if event is None and len(events) > 1:
        expected_time = sql_categories(store, layer, event, by="CASE WHEN d.date != '' THEN d.date ELSE 'undated' END")
        assert drawn_table(charts["timeline"], found.timeline, share=False, vertical=True) == expected_time
    else:
        assert "timeline" not in charts
    assert len(found.distortions) == sql_distortions(store, layer, event)
    # The claims behind every bar are real spans of the layer in an article of the scope.
    for chart in charts.values():
        for pick in chart.picks.values():
            for span_id in pick.claims:
                span = store.span(span_id)
                assert span.layer == layer
                if event is not None:
                    assert store.document(span.document_id).event == event
    return found


# ------------------------------------------------------------------------ data
@pytest.fixture
def sample(tmp_path) -> Store:
    store = create_sample_project(tmp_path / "sample.cisannotate")
    yield store
    store.close()


def annotate(store: Store, seed: int = 19) -> None:
    """Annotations made by the test on whatever articles the project holds: sentences of each article
    as claims in three layers, with random labels and links to random source lines (some across two lines,
    some to another event's transcript), some marked no source, some left unlinked."""
    rng = random.Random(seed)
    for name in ("TASS", "Kremlin website"):
        store.add_channel(Channel(id=new_id(), name=name))
    store.add_speaker(Speaker(id="spk-test", name="Speaker under test"))
    categories = [c.id for c in store.categories()] + [None]
    channels = [c.id for c in store.channels()] + [None, None]
    transcripts = [t.id for t in store.transcripts()]
    articles = [d for d in store.documents() if d.kind == "article"]
    for layer in ("ana", "ben", "reviewed"):
        for article in articles:
            text = store.text(article.id)
            own = [t.id for t in store.transcripts_for(article.id)] or transcripts
            for match in list(re.finditer(r"[^.!?\n]{20,}[.!?]", text))[:12]:
                start, end = match.start() + (len(match.group()) - len(match.group().lstrip())), match.end()
                if layer != "ana" and rng.random() < 0.25:
                    continue
                roll = rng.random()
                span = Span(
                    id=new_id(), document_id=article.id, start=start, end=end, annotator=f"{layer}-user",
                    layer=layer, quote=text[start:end], category_id=rng.choice(categories),
                    speaker_id=rng.choice(["spk-test", None]), mode=rng.choice([*MODES, None]),
                    channel_id=rng.choice(channels), no_source=roll < 0.15,
                )
                store.add_span(span)
                if roll < 0.3:
                    continue  # no source, or not linked yet
                for _ in range(rng.choice([1, 1, 2])):
                    target = rng.choice(own if rng.random() < 0.85 else transcripts)
                    lines = store.source_lines(target)
                    i = rng.randrange(len(lines))
                    first, last = lines[i], lines[min(i + rng.choice([0, 0, 1]), len(lines) - 1)]
                    t_start = first.start + (rng.randrange(min(5, first.end - first.start)) if rng.random() < 0.3 else 0)
                    store.add_link(Link(id=new_id(), span_id=span.id, target_document_id=target,
                                        target_start=t_start, target_end=last.end, relation=rng.choice(RELATIONS),
                                        annotator=f"{layer}-user", layer=layer))


@pytest.fixture
def corpus_store(tmp_path, corpus) -> Store:
    store = Store.open(tmp_path / "corpus.cisannotate")
    report = import_files(store, [corpus], manifest=corpus / "manifest.csv")
    assert not report.problems and len(report.added) == 5
    annotate(store)
    yield store
    store.close()


# ------------------------------------------------------------------------ tests
@pytest.mark.parametrize("layer", ["amira", "jonas"])
def test_sample_charts_match_the_database(sample, layer):
    whole = check_layer(sample, layer, None)
    assert whole.timeline is not None  # the sample holds two events
    assert whole.fidelity.total > 20 and whole.distortions
    event = check_layer(sample, layer, "veland-compact-2024-10")
    assert event.timeline is None
    assert len(event.claims) < len(whole.claims)


def test_sample_figures_a_researcher_can_check(sample):
    """What the sample's notes say of its outlets shows in the figures."""
    found = findings.compute(sample, "amira", "veland-compact-2024-10")
    # The aggregator distorts the speech; the careful wire story does not.
    assert found.fidelity.count("Meridian Post", "distortion") > 0
    assert found.fidelity.count("Nordlight", "distortion") == 0
    # The aggregator cites Nordlight and Radio Estra as channels.
    assert found.channels.count("Meridian Post", "Nordlight") > 0
    assert any(not line.reported for line in found.coverage)


@pytest.mark.parametrize("layer", ["ana", "ben", "reviewed"])
def test_corpus_charts_match_the_database(corpus_store, layer):
    whole = check_layer(corpus_store, layer, None)
    assert whole.timeline is not None and len(whole.timeline.rows) == 2  # 2022-09-29 and 2024-11-26
    # Articles without an outlet are shown by their file name, never pooled together.
    assert "[002_7ce5b0ab16d1e9fc.txt]" in whole.fidelity.rows + whole.modes.rows
    assert {line.transcript_title for line in whole.coverage} == {t.title for t in corpus_store.transcripts()}
    event = check_layer(corpus_store, layer, "cis-security-chiefs-2022-09")
    assert {claim.row.event for claim in event.claims} == {"cis-security-chiefs-2022-09"}
    check_layer(corpus_store, layer, "cis-security-chiefs-2024-11")  # an article whose transcript is elsewhere
    silent = check_layer(corpus_store, layer, "cis-security-council-2022-10")  # a transcript no article reports
    assert not silent.claims and silent.coverage and not any(line.reported for line in silent.coverage)
    assert all(not chart.picks for chart in build_all(silent)[1:])


def test_layers_and_default_layer(corpus_store, sample):
    assert findings.layers(corpus_store) == ["reviewed", "ana", "ben"]
    assert findings.default_layer(findings.layers(corpus_store)) == "reviewed"
    assert findings.default_layer(findings.layers(sample), "jonas") == "jonas"
    assert findings.default_layer([]) is None


def test_wording_and_offsets_with_characters_outside_the_bmp():
    """Line text and a distortion's transcript wording are cut in code points, as Python slices."""
    store = Store.memory()
    transcript = "We stand 🛡️ together. The 🚀 launch is 12 days away. Nothing else 😀 matters."
    article = "Officials 😀 said the 🚀 launch was tomorrow."
    store.add_document(Document(id="t", kind="transcript", title="T", text=transcript, sha256="t", event="e"),
                       [SourceLine("t", 1, 0, 21, 1), SourceLine("t", 2, 22, 51, 1), SourceLine("t", 3, 52, 75, 1)])
    store.add_document(Document(id="a", kind="article", title="A", text=article, sha256="a", event="e", outlet="O"))
    store.add_span(Span(id="s", document_id="a", start=13, end=43, annotator="x", layer="x", quote=article[13:43]))
    store.add_link(Link(id="k", span_id="s", target_document_id="t", target_start=26, target_end=51,
                        relation="distortion", annotator="x", layer="x"))
    found = findings.compute(store, "x")
    assert [line.text for line in found.coverage] == [transcript[0:21], transcript[22:51], transcript[52:75]]
    assert [line.reported for line in found.coverage] == [False, True, False]
    [item] = found.distortions
    assert item.transcript_wording == transcript[26:51] == "🚀 launch is 12 days away."
    assert item.article_wording == article[13:43]
    assert item.lines == (2,)
    store.close()


def test_charts_save_png_and_svg(sample, tmp_path):
    charts = build_all(findings.compute(sample, "amira"))
    assert [c.key for c in charts] == ["coverage", "fidelity", "modes", "channels", "categories", "timeline"]
    for chart in charts:
        png = chart.save(tmp_path / f"{chart.key}.png")
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        svg = chart.save(tmp_path / f"{chart.key}.SVG")
        root = ET.fromstring(svg.read_text(encoding="utf-8"))
        assert root.tag.endswith("svg")
        # Every bar with claims behind it is in the SVG under its id.
        ids = {element.get("id") for element in root.iter()}
        assert {patch.get_gid() for patch in chart.picks} <= ids
        assert chart.csv.splitlines()[0]
    with pytest.raises(ChartError, match="png or .svg"):
        charts[0].save(tmp_path / "chart.pdf")
    with pytest.raises(ChartError, match="is a folder"):
        charts[0].save(tmp_path)
    with pytest.raises(ChartError, match="cannot write"):
        charts[0].save(tmp_path / "missing" / "chart.png")
    assert not list((tmp_path).glob(".*.part"))


def test_csv_holds_the_counts(sample):
    found = findings.compute(sample, "jonas")
    lines = found.fidelity.to_csv().splitlines()
    assert lines[0] == "outlet,verbatim,close paraphrase,loose paraphrase,distortion,no source,total"
    for row in lines[1:]:
        cells = row.split(",")
        outlet = cells[0]
        assert [int(c) for c in cells[1:-1]] == [found.fidelity.count(outlet, c) for c in found.fidelity.columns]
        assert int(cells[-1]) == found.fidelity.row_total(outlet)
    coverage = found.coverage_csv().splitlines()
    assert len(coverage) == 1 + len(found.coverage)
