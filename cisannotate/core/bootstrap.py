"""Bootstrap replicates of every agreement figure at once, from resampling weights.

A bootstrap resample draws each item a whole number of times (0, 1, 2...).
Instead of building each resample's items and recomputing the report a
thousand times, every figure is written as sums over items, and the sums of
all resamples are taken at once as a product of a (resamples x items) weight
matrix with per-item columns:

* F1, precision, recall: weighted sums of per-row counts;
* Cohen's kappa: weighted agreements and value counts of each side;
* nominal alpha: weighted per-unit disagreements and value counts
  (observed and expected disagreement are both sums over units);
* ordinal alpha: weighted per-unit coincidence matrices, then the ordinal
  distance from each resample's own marginals;
* set alpha (source lines): weighted per-unit disagreements and value
  counts, the expected part corrected for sets sharing lines;
* unitizing alpha: pieces of text (documents, or the stretches of one
  document between claims) laid end to end; observed disagreement, claim
  counts and lengths add up over pieces, and the gap term of expected
  disagreement is a quadratic form over them.

The formulas are those of core.coefficients and core.unitizing; the tests
check each replicate against a recomputation on the resampled items.
Undefined values are NaN here (None in the report).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Union

from .agreement_items import NOMINAL_LABELS, Items, Pair
from .coefficients import SET_DISTANCE_FUNCTIONS, sharing_pairs
from .lazy import lazy_import
from .model import RELATIONS
from .unitizing import Continuum, _pair_disagreement, gaps

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_import("numpy")  # loaded with the first figure computed


class GroupedWeights:
    """The weights of items that each weigh what their document drew: ``drawn[:, owner]``, never built.

    A product with per-item columns first sums the columns by document, then
    weighs the documents, so whole-document resampling costs documents x items
    once instead of resamples x items per figure. Supports what the replicate
    functions use of a weight matrix: ``@``, ``sum(axis=1)``, ``[:, columns]``
    and ``shape``.
    """

    def __init__(self, drawn: np.ndarray, owner: Sequence[int] | np.ndarray) -> None:
        self.drawn = drawn
        self.owner = np.asarray(owner, dtype=np.int64)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.drawn.shape[0], len(self.owner))

    def by_document(self, columns: np.ndarray) -> np.ndarray:
        """Per-item columns summed by document (documents x ...)."""
        columns = np.asarray(columns, dtype=float)
        documents = self.drawn.shape[1]
        if columns.ndim == 1:
            return np.bincount(self.owner, weights=columns, minlength=documents)
        summed = np.zeros((documents, *columns.shape[1:]))
        np.add.at(summed, self.owner, columns)
        return summed

    def __matmul__(self, columns: np.ndarray) -> np.ndarray:
        return self.drawn @ self.by_document(columns)

    def sum(self, axis: int) -> np.ndarray:
        if axis != 1:
            raise ValueError("only the sum over items (axis=1) is defined")
        return self.drawn @ np.bincount(self.owner, minlength=self.drawn.shape[1]).astype(float)

    def __getitem__(self, key: tuple) -> "GroupedWeights":
        rows, columns = key
        if rows != slice(None):
            raise IndexError("select items (columns), not resamples")
        return GroupedWeights(self.drawn, self.owner[columns])


WeightMatrix = Union["np.ndarray", GroupedWeights]
"""A weight matrix (resamples x items): an array, or item weights grouped by document."""


@dataclass
class Weights:
    """Resampling weights (resamples x items) for each item list of an Items, and for the αu pieces."""

    resamples: int
    span_rows: dict[Pair, np.ndarray | GroupedWeights] = field(default_factory=dict)
    label_pairs: dict[Pair, dict[str, np.ndarray | GroupedWeights]] = field(default_factory=dict)
    link_rows: dict[Pair, np.ndarray | GroupedWeights] = field(default_factory=dict)
    units: dict[str, np.ndarray | GroupedWeights] = field(default_factory=dict)
    pieces: list[Continuum] = field(default_factory=list)
    piece_weights: np.ndarray | None = None


def _multinomial(rng: np.random.Generator, n: int, resamples: int) -> np.ndarray:
    """How often each of ``n`` items is drawn in each resample of n draws with replacement (resamples x n)."""
    if n == 0:
        return np.zeros((resamples, 0))
    drawn = rng.integers(0, n, size=(resamples, n)) + np.arange(resamples)[:, None] * n
    return np.bincount(drawn.ravel(), minlength=resamples * n).reshape(resamples, n).astype(float)


def item_weights(items: Items, pieces: Sequence[Continuum], rng: np.random.Generator, resamples: int) -> Weights:
    """Each list of items resampled on its own; the αu pieces (a document's stretches) likewise."""
    weights = Weights(resamples)
    for pair, rows in items.span_rows.items():
        weights.span_rows[pair] = _multinomial(rng, len(rows), resamples)
    for pair, labels in items.label_pairs.items():
        weights.label_pairs[pair] = {label: _multinomial(rng, len(v), resamples) for label, v in labels.items()}
    for pair, rows in items.link_rows.items():
        weights.link_rows[pair] = _multinomial(rng, len(rows), resamples)
    for label, units in items.units.items():
        weights.units[label] = _multinomial(rng, len(units), resamples)
    weights.pieces = list(pieces)
    weights.piece_weights = _multinomial(rng, len(pieces), resamples)
    return weights


def cluster_weights(
    documents: Sequence[Items], rng: np.random.Generator, resamples: int
) -> tuple[Items, Weights]:
    """Whole documents resampled: every item weighs what its document drew. Returns the pooled items too."""
    drawn = _multinomial(rng, len(documents), resamples)
    pooled = Items()
    weights = Weights(resamples)
    owners: dict[tuple, list[int]] = {}

    def note(key: tuple, index: int, count: int) -> None:
        owners.setdefault(key, []).extend([index] * count)

    for index, items in enumerate(documents):
        for pair, rows in items.span_rows.items():
            note(("span_rows", pair), index, len(rows))
        for pair, labels in items.label_pairs.items():
            for label, values in labels.items():
                note(("label_pairs", pair, label), index, len(values))
        for pair, rows in items.link_rows.items():
            note(("link_rows", pair), index, len(rows))
        for label, units in items.units.items():
            note(("units", label), index, len(units))
        pooled.add(items)
    for pair in pooled.span_rows:
        weights.span_rows[pair] = GroupedWeights(drawn, owners.get(("span_rows", pair), []))
    for pair, labels in pooled.label_pairs.items():
        weights.label_pairs[pair] = {
            label: GroupedWeights(drawn, owners.get(("label_pairs", pair, label), [])) for label in labels
        }
    for pair in pooled.link_rows:
        weights.link_rows[pair] = GroupedWeights(drawn, owners.get(("link_rows", pair), []))
    for label in pooled.units:
        weights.units[label] = GroupedWeights(drawn, owners.get(("units", label), []))
    weights.pieces = [continuum for items in documents for continuum in items.continua]
    piece_owner = [index for index, items in enumerate(documents) for _ in items.continua]
    weights.piece_weights = drawn[:, piece_owner]
    return pooled, weights


def _divide(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan)


def _codes(values: Sequence[Hashable], index: dict[Hashable, int]) -> np.ndarray:
    return np.array([index.setdefault(v, len(index)) for v in values], dtype=np.int64)


def _onehot(codes: np.ndarray, width: int) -> np.ndarray:
    matrix = np.zeros((len(codes), width))
    matrix[np.arange(len(codes)), codes] = 1.0
    return matrix


def kappa_replicates(pairs: Sequence[tuple[Hashable, Hashable]], w: WeightMatrix) -> np.ndarray:
    """Cohen's kappa of every resample (rows of ``w``)."""
    if not pairs:
        return np.full(w.shape[0], np.nan)
    index: dict[Hashable, int] = {}
    a = _codes([x for x, _ in pairs], index)
    b = _codes([y for _, y in pairs], index)
    width = len(index)
    n = w.sum(axis=1)
    agree = w @ (a == b).astype(float)
    chance = ((w @ _onehot(a, width)) * (w @ _onehot(b, width))).sum(axis=1)
    denominator = n * n - chance
    return np.where((n > 0) & (denominator > 1e-9), _divide(n * agree - chance, denominator), np.nan)


def binary_kappa_replicates(
    pairs: Sequence[tuple[Hashable, Hashable]], values: Sequence[Hashable], w: WeightMatrix
) -> np.ndarray:
    """Kappa of "value v or not" for every value (columns) and resample (rows)."""
    if not pairs:
        return np.full((w.shape[0], len(values)), np.nan)
    index = {v: i for i, v in enumerate(values)}
    a = np.array([index[x] for x, _ in pairs])
    b = np.array([index[y] for _, y in pairs])
    width = len(values)
    n = w.sum(axis=1)[:, None]
    count_a = w @ _onehot(a, width)
    count_b = w @ _onehot(b, width)
    differing = (a != b).astype(float)[:, None]
    disputed = w @ ((_onehot(a, width) + _onehot(b, width)) * differing)
    agree = n - disputed
    chance = count_a * count_b + (n - count_a) * (n - count_b)
    denominator = n * n - chance
    return np.where((n > 0) & (denominator > 1e-9), _divide(n * agree - chance, denominator), np.nan)


def _unit_counts(units: Sequence[Sequence[Hashable]], values: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray]:
    """Per unit: how many of its values equal each value (units x values), and its size."""
    index = {v: i for i, v in enumerate(values)}
    counts = np.zeros((len(units), len(values)))
    rows = np.repeat(np.arange(len(units)), [len(u) for u in units])
    np.add.at(counts, (rows, np.array([index[v] for u in units for v in u], dtype=np.int64)), 1)
    return counts, counts.sum(axis=1)


def nominal_alpha_replicates(units: Sequence[Sequence[Hashable]], w: WeightMatrix) -> np.ndarray:
    """Nominal alpha of every resample; ``w`` weighs the units (those with fewer than two values count for nothing)."""
    values = sorted({v for u in units for v in u}, key=repr)
    if not values:
        return np.full(w.shape[0], np.nan)
    counts, sizes = _unit_counts(units, values)
    pairable = sizes >= 2
    counts, sizes, w = counts[pairable], sizes[pairable], w[:, pairable]
    if not len(sizes):
        return np.full(w.shape[0], np.nan)
    observed = w @ ((sizes * sizes - (counts * counts).sum(axis=1)) / (sizes - 1))
    value_counts = w @ counts
    total = value_counts.sum(axis=1)
    expected = total * total - (value_counts * value_counts).sum(axis=1)
    distinct = (value_counts > 0).sum(axis=1)
    alpha = 1.0 - (total - 1) * _divide(observed, expected)
    return np.where((distinct >= 2) & (expected > 1e-9), alpha, np.nan)


def binary_alpha_replicates(
    units: Sequence[Sequence[Hashable]], values: Sequence[Hashable], w: WeightMatrix
) -> np.ndarray:
    """Alpha of "value v or not" for every value (columns) and resample (rows)."""
    if not units or not values:
        return np.full((w.shape[0], len(values)), np.nan)
    counts, sizes = _unit_counts(units, values)
    pairable = sizes >= 2
    counts, sizes, w = counts[pairable], sizes[pairable], w[:, pairable]
    if not len(sizes):
        return np.full((w.shape[0], len(values)), np.nan)
    observed = w @ (2 * counts * (sizes[:, None] - counts) / (sizes[:, None] - 1))
    chosen = w @ counts
    total = (w @ sizes)[:, None]
    expected = 2 * chosen * (total - chosen)
    alpha = 1.0 - (total - 1) * _divide(observed, expected)
    return np.where(expected > 1e-9, alpha, np.nan)


def ordinal_alpha_replicates(units: Sequence[Sequence[Hashable]], order: Sequence[Hashable],
                             w: WeightMatrix) -> np.ndarray:
    """Ordinal alpha of every resample; values outside ``order`` are left out, as in ordinal_alpha."""
    rank = {v: i for i, v in enumerate(order)}
    ranked = [[rank[v] for v in u if v in rank] for u in units]
    size = len(order)
    counts = np.zeros((len(ranked), size))
    rows = np.repeat(np.arange(len(ranked)), [len(u) for u in ranked])
    np.add.at(counts, (rows, np.array([v for u in ranked for v in u], dtype=np.int64)), 1)
    sizes = counts.sum(axis=1)
    pairable = sizes >= 2
    counts, sizes, w = counts[pairable], sizes[pairable], w[:, pairable]
    if not len(sizes):
        return np.full(w.shape[0], np.nan)
    per_unit = (counts[:, :, None] * counts[:, None, :]
                - np.einsum("ui,ij->uij", counts, np.eye(size))) / (sizes - 1)[:, None, None]
    coincidence = (w @ per_unit.reshape(len(per_unit), -1)).reshape(-1, size, size)
    marginals = coincidence.sum(axis=2)
    total = marginals.sum(axis=1)
    cumulative = np.concatenate([np.zeros((w.shape[0], 1)), np.cumsum(marginals, axis=1)], axis=1)
    low = np.minimum.outer(np.arange(size), np.arange(size))
    high = np.maximum.outer(np.arange(size), np.arange(size))
    between = cumulative[:, high + 1] - cumulative[:, low]
    distance = (between - (marginals[:, :, None] + marginals[:, None, :]) / 2) ** 2
    observed = (coincidence * distance).sum(axis=(1, 2))
    expected = (marginals[:, :, None] * marginals[:, None, :] * distance).sum(axis=(1, 2))
    alpha = 1.0 - (total - 1) * _divide(observed, expected)
    distinct = (marginals > 0).sum(axis=1)
    return np.where((distinct >= 2) & (expected > 1e-9), alpha, np.nan)


def set_alpha_replicates(units: Sequence[Sequence[frozenset]], distance: str, w: WeightMatrix) -> np.ndarray:
    """Alpha over sets of source lines for every resample (as set_alpha)."""
    measure = SET_DISTANCE_FUNCTIONS[distance]
    keep = [i for i, u in enumerate(units) if len(u) >= 2]
    units = [units[i] for i in keep]
    w = w[:, keep]
    index: dict[frozenset, int] = {}
    for unit in units:
        for value in unit:
            index.setdefault(value, len(index))
    if len(index) < 2:
        return np.full(w.shape[0], np.nan)
    values = list(index)
    sizes = np.array([len(v) for v in values])
    # Sets are many (one per distinct answer), so their counts per unit stay sparse: (unit, set) pairs.
    occ_unit = np.array([u for u, unit in enumerate(units) for _ in unit], dtype=np.int64)
    occ_value = np.array([index[value] for unit in units for value in unit], dtype=np.int64)
    per_unit = np.zeros(len(units))
    for u, unit in enumerate(units):
        for i in range(len(unit)):
            for j in range(i + 1, len(unit)):
                x, y = unit[i], unit[j]
                d = measure(np.array([len(x)]), np.array([len(y)]), np.array([len(x & y)]))[0]
                per_unit[u] += 2 / (len(unit) - 1) * d
    observed = w @ per_unit
    value_counts = _weighted_counts(w, occ_unit, occ_value, len(values))
    total = value_counts.sum(axis=1)
    related_a, related_b, shared = sharing_pairs(values)
    closeness = 1.0 - measure(sizes[related_a], sizes[related_b], shared)
    expected = (total * total - (value_counts * value_counts).sum(axis=1)
                - 2 * (value_counts[:, related_a] * value_counts[:, related_b] * closeness).sum(axis=1))
    alpha = 1.0 - (total - 1) * _divide(observed, expected)
    distinct = (value_counts > 0).sum(axis=1)
    return np.where((distinct >= 2) & (expected > 1e-9), alpha, np.nan)


def _weighted_counts(w: "np.ndarray | GroupedWeights", units: np.ndarray, values: np.ndarray,
                     width: int) -> np.ndarray:
    """resamples x values: how often each value occurs in each resample, from (unit, value) occurrences."""
    if isinstance(w, GroupedWeights):
        by_document = np.zeros((w.drawn.shape[1], width))
        np.add.at(by_document, (w.owner[units], values), 1.0)
        return w.drawn @ by_document
    counts = np.zeros((width, w.shape[0]))
    for start in range(0, len(units), 4096):
        chunk = slice(start, start + 4096)
        np.add.at(counts, values[chunk], w[:, units[chunk]].T)
    return counts.T


def unitizing_replicates(pieces: Sequence[Continuum], w: np.ndarray) -> np.ndarray:
    """αu of every resample of the pieces, laid end to end with gaps kept within each piece."""
    if not pieces or len(pieces[0].coders) < 2:
        return np.full(w.shape[0], np.nan)
    m = len(pieces[0].coders)
    count = len(pieces)
    lengths = np.array([p.length for p in pieces], dtype=float)
    observed = np.zeros(count)
    claims = np.zeros(count)
    cubic = np.zeros(count)
    squares = np.zeros(count)
    claim_lengths: list[np.ndarray] = []
    gap_lengths: list[np.ndarray] = []
    for k, piece in enumerate(pieces):
        for i in range(m):
            for j in range(i + 1, m):
                observed[k] += 2 * _pair_disagreement(piece.coders[i], piece.coders[j], piece.length)
        mine = np.array([e - s for claims_ in piece.coders for s, e in claims_], dtype=float)
        claim_lengths.append(mine)
        gap_lengths.append(np.sort(np.array(
            [e - s for claims_ in piece.coders for s, e in gaps(claims_, piece.length)], dtype=float)))
        claims[k] = len(mine)
        cubic[k] = ((2 * mine**3 - 3 * mine**2 + mine) / 3).sum()
        squares[k] = (mine * (mine - 1)).sum()
    # fit[p, q]: sum over claims c of piece p of l_c^2 * sum over gaps h of piece q with l_h >= l_c of (l_h - l_c + 1)
    fit = np.zeros((count, count))
    every = np.concatenate(claim_lengths) if claim_lengths else np.zeros(0)
    owner = np.repeat(np.arange(count), [len(mine) for mine in claim_lengths])
    for q, found in enumerate(gap_lengths):
        if not len(found) or not len(every):
            continue
        suffix_count = np.concatenate([np.arange(len(found), 0, -1, dtype=float), [0.0]])
        suffix_sum = np.concatenate([np.cumsum(found[::-1])[::-1], [0.0]])
        first = np.searchsorted(found, every, side="left")
        per_claim = every**2 * (suffix_sum[first] - (every - 1) * suffix_count[first])
        fit[:, q] = np.bincount(owner, weights=per_claim, minlength=count)
    total_length = w @ lengths
    n = w @ claims
    observed_d = _divide(w @ observed, m * (m - 1) * total_length**2)
    numerator = (n - 1) * (w @ cubic) + ((w @ fit) * w).sum(axis=1)
    denominator = m * total_length * (m * total_length - 1) - w @ squares
    expected = _divide(2 * numerator, total_length * denominator)
    alpha = 1.0 - _divide(observed_d, expected)
    return np.where((n > 0) & (total_length > 1) & (expected > 0), alpha, np.nan)


def replicates(items: Items, weights: Weights, pairs: Sequence[Pair], set_distance: str,
               per_value: Mapping[str, Sequence[Hashable]]) -> dict[tuple, np.ndarray]:
    """Every figure of a scope (keys as ScopeAgreement.figures) for every resample, NaN where undefined.

    ``per_value`` lists, per label, the values the point estimate reports on.
    """
    out: dict[tuple, np.ndarray] = {}
    b = weights.resamples
    empty = np.zeros((b, 0))
    for pair in pairs:
        rows = np.array(items.span_rows.get(pair) or np.zeros((0, 3)), dtype=float).reshape(-1, 3)
        sums = weights.span_rows.get(pair, empty) @ rows if len(rows) else np.zeros((b, 3))
        out[("pair", pair, "span_exact_f1")] = _divide(2 * sums[:, 0], sums[:, 2])
        out[("pair", pair, "span_overlap_f1")] = _divide(2 * sums[:, 1], sums[:, 2])
        rows = np.array(items.link_rows.get(pair) or np.zeros((0, 3)), dtype=float).reshape(-1, 3)
        sums = weights.link_rows.get(pair, empty) @ rows if len(rows) else np.zeros((b, 3))
        out[("pair", pair, "link_precision")] = _divide(sums[:, 0], sums[:, 2])
        out[("pair", pair, "link_recall")] = _divide(sums[:, 0], sums[:, 1])
        out[("pair", pair, "link_f1")] = _divide(2 * sums[:, 0], sums[:, 1] + sums[:, 2])
        for label in NOMINAL_LABELS:
            found = items.label_pairs.get(pair, {}).get(label, [])
            w = weights.label_pairs.get(pair, {}).get(label, np.zeros((b, len(found))))
            out[("pair", pair, f"{label}_kappa")] = kappa_replicates(found, w)
            values = list(per_value.get(label, ()))
            if values:
                known = set(values)
                usable = [i for i, (x, y) in enumerate(found) if x in known and y in known]
                kappas = binary_kappa_replicates([found[i] for i in usable], values, w[:, usable])
                for column, value in enumerate(values):
                    out[("value_pair", label, value, pair)] = kappas[:, column]
    for label in NOMINAL_LABELS:
        units = items.units.get(label, [])
        w = weights.units.get(label, np.zeros((b, len(units))))
        out[("group", f"{label}_alpha")] = nominal_alpha_replicates(units, w)
        values = list(per_value.get(label, ()))
        if values:
            alphas = binary_alpha_replicates(units, values, w)
            for column, value in enumerate(values):
                out[("value_group", label, value)] = alphas[:, column]
    units = items.units.get("relation", [])
    out[("group", "relation_ordinal_alpha")] = ordinal_alpha_replicates(
        units, RELATIONS, weights.units.get("relation", np.zeros((b, len(units)))))
    link_units = items.link_units()
    out[("group", "link_alpha")] = set_alpha_replicates(
        link_units, set_distance, weights.units.get("link", np.zeros((b, len(link_units)))))
    piece_weights = weights.piece_weights if weights.piece_weights is not None else np.zeros((b, 0))
    out[("group", "boundary_alpha")] = unitizing_replicates(weights.pieces, piece_weights)
    return out
