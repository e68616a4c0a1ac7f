"""Krippendorff's unitizing alpha (αu): do annotators cut the same stretches out of a text?

Span F1 asks whether two annotators marked the same claims; αu asks how far
their claim boundaries coincide over the whole continuum, the gaps included,
and corrects for the agreement expected by chance (Krippendorff 1995; 2004,
*Content Analysis*, 2nd ed., section 11.6; 2013, 3rd ed.). It is the
"binary" αu: a stretch of text is either inside a claim (relevant) or not.

Each coder divides a continuum of length L into sections: the claims
(relevant, w = 1) and the gaps between and around them (irrelevant, w = 0).
A section g of coder i begins at b_ig and has length l_ig. For two sections
of different coders the squared distance is

* (b_ig - b_jh)^2 + (e_ig - e_jh)^2 when both are claims and they overlap
  (e = b + l: the starts and the ends differ by so many characters);
* l_ig^2 when ig is a claim lying wholly inside a gap jh of the other coder
  (and l_jh^2 the other way round);
* 0 otherwise (two gaps, or sections that do not meet).

Observed disagreement sums it over all ordered pairs of coders::

    D_o = sum_i sum_g sum_{j != i} sum_h d^2(ig, jh) / (m (m - 1) L^2)

Expected disagreement is what the same sections would give placed at random::

    D_e = (2 / L) * sum_{claims c} [ (N - 1) (2 l_c^3 - 3 l_c^2 + l_c) / 3
                                     + l_c^2 sum_{gaps h: l_h >= l_c} (l_h - l_c + 1) ]
          / ( m L (m L - 1) - sum_{claims c} l_c (l_c - 1) )

with N the number of claims of all coders and the gaps of all coders. Then
αu = 1 - D_o / D_e; it is undefined (None) when nobody marked anything.

How the tool's claims become sections:

* a coder's claims that overlap (share a character) are merged into one
  section, because αu needs each coder's sections to tile the continuum;
  claims that only touch stay two sections;
* several documents pool as one continuum made of the documents in a row,
  with gaps never running across a document's border;
* n is the number of sections marked as claims, over all coders.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .lazy import lazy_import

np = lazy_import("numpy")  # loaded with the first figure computed

Interval = tuple[int, int]  # (start, end), end exclusive


@dataclass(frozen=True)
class Continuum:
    """One document's length and, per coder (in a fixed order), the claims it marked."""

    length: int
    coders: tuple[tuple[Interval, ...], ...]

    @classmethod
    def of(cls, length: int, coders: Sequence[Sequence[Interval]]) -> "Continuum":
        """A continuum with each coder's overlapping claims merged and everything clipped to [0, length)."""
        merged = tuple(merge_overlapping(claims, length) for claims in coders)
        return cls(length, merged)


def merge_overlapping(claims: Sequence[Interval], length: int) -> tuple[Interval, ...]:
    """Claims sorted, clipped to the continuum, empty ones dropped, overlapping ones merged (touching kept apart)."""
    result: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in claims):
        if end <= start:
            continue
        if result and start < result[-1][1]:
            result[-1][1] = max(result[-1][1], end)
        else:
            result.append([start, end])
    return tuple((s, e) for s, e in result)


def gaps(claims: Sequence[Interval], length: int) -> list[Interval]:
    """The stretches of [0, length) outside the (sorted, non-overlapping) claims."""
    found = []
    position = 0
    for start, end in claims:
        if start > position:
            found.append((position, start))
        position = max(position, end)
    if position < length:
        found.append((position, length))
    return found


def _pair_disagreement(claims_a: Sequence[Interval], claims_b: Sequence[Interval], length: int) -> float:
    """sum_g sum_h d^2 over the sections of two coders of one continuum (one order of the pair)."""
    if not claims_a and not claims_b:
        return 0.0
    total = 0.0
    a = np.array(claims_a, dtype=np.int64).reshape(-1, 2)
    b = np.array(claims_b, dtype=np.int64).reshape(-1, 2)
    if len(a) and len(b):
        overlap = (a[:, None, 0] < b[None, :, 1]) & (b[None, :, 0] < a[:, None, 1])
        squared = (a[:, None, 0] - b[None, :, 0]) ** 2 + (a[:, None, 1] - b[None, :, 1]) ** 2
        total += float(squared[overlap].sum())
    for claims, other in ((a, claims_b), (b, claims_a)):
        other_gaps = np.array(gaps(other, length), dtype=np.int64).reshape(-1, 2)
        if len(claims) and len(other_gaps):
            inside = (other_gaps[None, :, 0] <= claims[:, None, 0]) & (claims[:, None, 1] <= other_gaps[None, :, 1])
            lengths = claims[:, 1] - claims[:, 0]
            total += float((lengths[:, None] ** 2 * inside).sum())
    return total


@dataclass(frozen=True)
class UnitizingResult:
    """αu (None when undefined), the number of claim sections n, and the two disagreements."""

    value: float | None
    n: int
    observed: float
    expected: float


def unitizing_alpha(continua: Sequence[Continuum]) -> UnitizingResult:
    """αu over one or more continua coded by the same m >= 2 coders (see the module docstring)."""
    if not continua:
        return UnitizingResult(None, 0, 0.0, 0.0)
    m = len(continua[0].coders)
    if any(len(c.coders) != m for c in continua):
        raise ValueError("every continuum needs the same coders")
    if m < 2:
        return UnitizingResult(None, 0, 0.0, 0.0)
    total_length = sum(c.length for c in continua)
    claim_lengths = np.array(
        [end - start for c in continua for claims in c.coders for start, end in claims], dtype=np.float64
    )
    gap_lengths = np.sort(np.array(
        [end - start for c in continua for claims in c.coders for start, end in gaps(claims, c.length)],
        dtype=np.float64,
    ))
    n = len(claim_lengths)
    if n == 0 or total_length <= 1:
        return UnitizingResult(None, n, 0.0, 0.0)

    pair_sum = 0.0
    for c in continua:
        for i in range(m):
            for j in range(i + 1, m):
                pair_sum += _pair_disagreement(c.coders[i], c.coders[j], c.length)
    observed = 2 * pair_sum / (m * (m - 1) * total_length**2)

    # For each claim length l: sum over gaps with l_h >= l of (l_h - l + 1), from suffix sums of sorted gaps.
    suffix_count = np.concatenate([np.cumsum(np.ones_like(gap_lengths)[::-1])[::-1], [0.0]])
    suffix_sum = np.concatenate([np.cumsum(gap_lengths[::-1])[::-1], [0.0]])
    first = np.searchsorted(gap_lengths, claim_lengths, side="left")
    fitting = suffix_sum[first] - (claim_lengths - 1) * suffix_count[first]
    cubic = (n - 1) * (2 * claim_lengths**3 - 3 * claim_lengths**2 + claim_lengths) / 3
    numerator = float((cubic + claim_lengths**2 * fitting).sum())
    denominator = m * total_length * (m * total_length - 1) - float((claim_lengths * (claim_lengths - 1)).sum())
    expected = 2 / total_length * numerator / denominator if denominator > 0 else 0.0
    if expected <= 0:
        return UnitizingResult(None, n, observed, expected)
    return UnitizingResult(1.0 - observed / expected, n, observed, expected)


def blocks(continuum: Continuum) -> list[Continuum]:
    """Cut a continuum where no coder's claim runs across, for resampling within one document.

    Each block starts where a stretch covered by some coder's claim starts (the
    first block at 0) and runs to the start of the next such stretch, so a claim
    and the gap after it stay together. Gluing the blocks back in order gives
    the continuum again.
    """
    every = merge_overlapping([claim for claims in continuum.coders for claim in claims], continuum.length)
    cuts = [start for start, _ in every]
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(continuum.length)
    found = []
    for start, end in zip(cuts, cuts[1:]):
        if end <= start:
            continue
        coders = tuple(
            tuple((s - start, e - start) for s, e in claims if start <= s and e <= end) for claims in continuum.coders
        )
        found.append(Continuum(end - start, coders))
    return found


def glue(pieces: Sequence[Continuum]) -> Continuum:
    """Blocks put one after the other as one continuum (a coder's gaps at a joint run together)."""
    m = len(pieces[0].coders) if pieces else 0
    coders: list[list[Interval]] = [[] for _ in range(m)]
    position = 0
    for piece in pieces:
        for i, claims in enumerate(piece.coders):
            coders[i].extend((s + position, e + position) for s, e in claims)
        position += piece.length
    return Continuum(position, tuple(tuple(claims) for claims in coders))
