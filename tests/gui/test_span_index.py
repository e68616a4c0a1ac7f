"""The text view's span index stays what a full rebuild gives, however spans are added, moved and removed."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cisannotate.core.model import Span
from cisannotate.ui.document.spans import SpanIndex


def span(i: int, start: int, length: int) -> Span:
    return Span(id=f"s{i}", document_id="d", start=start, end=start + length, annotator="a")


edits = st.lists(
    st.tuples(st.sampled_from(["put", "drop"]), st.integers(0, 30), st.integers(0, 200), st.integers(1, 40)),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(initial=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), max_size=20), edits=edits,
       batch=st.integers(1, 5))
def test_incremental_updates_match_a_rebuild(initial, edits, batch):
    index = SpanIndex([span(i, s, n) for i, (s, n) in enumerate(initial)])
    for at in range(0, len(edits), batch):
        put, drop = [], []
        for kind, i, start, length in edits[at:at + batch]:
            if kind == "put":
                put = [p for p in put if p.id != f"s{i}"] + [span(i, start, length)]
            else:
                put = [p for p in put if p.id != f"s{i}"]
                drop.append(f"s{i}")
        index.upsert(put, [d for d in drop if d not in {p.id for p in put}])
        fresh = SpanIndex(list(index.by_id.values()))
        assert index.ordered == fresh.ordered
        assert index.starts == fresh.starts
        assert index.longest == fresh.longest
        for probe in range(0, 240, 17):
            assert index.overlapping(probe, probe + 10) == fresh.overlapping(probe, probe + 10)
