"""Agreement coefficients: Cohen's kappa, Krippendorff's alpha (nominal, ordinal, over sets), ratios.

Every figure carries ``n``, the number of items it rests on, and a 95%
interval (``low``, ``high``) filled in by core.agreement from the bootstrap.
A figure resting on fewer than ten items is flagged "n < 10". A figure that is
undefined (no items, or no expected disagreement because everyone used one
value throughout) is ``None``, never NaN.

Alpha is computed here rather than with the ``krippendorff`` package: the
package builds a units x values x values array, which for 10,000 units and 50
speakers takes 1.5 s and 600 MB, and for 200 speakers 24 s and 9 GB. The
computation below works on the values present in each unit (observed
disagreement) and on value counts (expected disagreement); the tests check it
against the package on data where both apply.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from .lazy import lazy_import

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_import("numpy")  # loaded with the first figure computed, not with the review panel

# A figure on fewer items than this is flagged.
FEW_ITEMS = 10
FEW_FLAG = f"n < {FEW_ITEMS}"


@dataclass(frozen=True)
class Figure:
    """An agreement figure, the number of items it rests on, and its 95% interval; None when undefined.

    Two figures are equal when value and n are: the interval is an estimate
    about the figure, compared on its own.
    """

    value: float | None
    n: int
    low: float | None = field(default=None, compare=False)
    high: float | None = field(default=None, compare=False)

    @property
    def few(self) -> bool:
        """True when the figure rests on fewer than ten items."""
        return self.n < FEW_ITEMS

    @property
    def flag(self) -> str:
        return FEW_FLAG if self.few else ""

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag or None, "high": self.high, "low": self.low, "n": self.n, "value": self.value}


def format_figure(figure: Figure, digits: int = 3) -> str:
    """'0.812 [0.701, 0.905]' (or 'n/a'), for tables."""
    if figure.value is None:
        return "n/a"
    text = f"{figure.value:.{digits}f}"
    if figure.low is not None and figure.high is not None:
        text += f" [{figure.low:.{digits}f}, {figure.high:.{digits}f}]"
    return text


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> Figure:
    """Cohen's kappa of two raters over (value of a, value of b) items.

    kappa = (p_o - p_e) / (1 - p_e), computed in integers as
    (n * agreements - sum_c a_c * b_c) / (n^2 - sum_c a_c * b_c) so that the
    undefined case (p_e = 1: both raters used one and the same value) is exact.
    """
    items = list(pairs)
    n = len(items)
    agreements = sum(1 for a, b in items if a == b)
    counts_a = Counter(a for a, _ in items)
    counts_b = Counter(b for _, b in items)
    chance = sum(count * counts_b[value] for value, count in counts_a.items())
    if n == 0 or chance == n * n:
        return Figure(None, n)
    return Figure((n * agreements - chance) / (n * n - chance), n)


def _jaccard(size_a: np.ndarray, size_b: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """Jaccard distance 1 - |a & b| / |a | b| from set sizes; two empty sets are identical."""
    union = size_a + size_b - shared
    return 1.0 - np.divide(shared, union, out=np.ones(union.shape), where=union > 0)


def _masi(size_a: np.ndarray, size_b: np.ndarray, shared: np.ndarray) -> np.ndarray:
    """MASI distance (Passonneau 2006) from set sizes: 1 - Jaccard * monotonicity.

    Monotonicity is 1 for identical sets, 2/3 when one contains the other, 1/3
    when they overlap otherwise and 0 when disjoint, so a partial answer that is
    a subset of the other's counts as closer than a crossing one.
    """
    union = size_a + size_b - shared
    similarity = np.divide(shared, union, out=np.ones(union.shape), where=union > 0)
    monotonicity = np.select(
        [(shared == size_a) & (shared == size_b), shared == np.minimum(size_a, size_b), shared > 0],
        [1.0, 2 / 3, 1 / 3],
        0.0,
    )
    return 1.0 - similarity * monotonicity


# Set distances by name, as functions of the two sets' sizes and the size of their intersection,
# so that many pairs are measured at once.
SET_DISTANCE_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray]] = {
    "masi": _masi,
    "jaccard": _jaccard,
}
SET_DISTANCES = tuple(SET_DISTANCE_FUNCTIONS)


def jaccard_distance(a: frozenset, b: frozenset) -> float:
    return _measure_sets("jaccard", a, b)


def masi_distance(a: frozenset, b: frozenset) -> float:
    return _measure_sets("masi", a, b)


def _measure_sets(distance: str, a: frozenset, b: frozenset) -> float:
    size_a, size_b, shared = np.array([[len(a)], [len(b)], [len(a & b)]])
    return float(SET_DISTANCE_FUNCTIONS[distance](size_a, size_b, shared)[0])


def nominal_alpha(units: Iterable[Sequence[Hashable]]) -> Figure:
    """Krippendorff's alpha for nominal values; each unit lists the values its coders gave.

    Within a unit of m values the ordered pairs that differ number
    m^2 - sum_c m_c^2, where m_c counts the unit's values equal to c; over all
    pairable values likewise. Both sums are counted with numpy at once.
    """
    pairable = [unit for unit in units if len(unit) >= 2]
    index: dict[Hashable, int] = {}
    coded = np.array([index.setdefault(value, len(index)) for unit in pairable for value in unit], dtype=np.int64)
    if len(index) < 2:
        return Figure(None, len(pairable))
    lengths = np.array([len(unit) for unit in pairable], dtype=np.int64)
    unit_of = np.repeat(np.arange(len(pairable)), lengths)
    unit_value, repeats = np.unique(unit_of * len(index) + coded, return_counts=True)
    same_in_unit = np.bincount(unit_value // len(index), weights=repeats * repeats, minlength=len(pairable))
    observed = float(((lengths * lengths - same_in_unit) / (lengths - 1)).sum())
    counts = np.bincount(coded)
    total = float(counts.sum())
    expected = total * total - float((counts * counts).sum())
    return _alpha(total, observed, expected, len(pairable))


def set_alpha(units: Iterable[Sequence[frozenset]], distance: str = "masi") -> Figure:
    """Krippendorff's alpha for set values under a set distance ("masi" or "jaccard").

    Both distances are 1 between distinct disjoint sets, so expected
    disagreement starts from the nominal count and corrects only the pairs of
    values that share an element; there are far fewer of those than pairs of
    values when each claim links to a few of a transcript's lines.
    """
    measure = SET_DISTANCE_FUNCTIONS[distance]
    pairable = [unit for unit in units if len(unit) >= 2]
    index: dict[frozenset, int] = {}
    for unit in pairable:
        for value in unit:
            index.setdefault(value, len(index))
    if len(index) < 2:
        return Figure(None, len(pairable))
    values = list(index)
    sizes = np.array([len(value) for value in values])
    counts = np.bincount([index[value] for unit in pairable for value in unit]).astype(float)

    first, second, shared, weight = [], [], [], []
    for unit in pairable:
        for x, y in combinations(unit, 2):
            first.append(index[x])
            second.append(index[y])
            shared.append(len(x & y))
            weight.append(2 / (len(unit) - 1))
    observed = float(np.dot(weight, measure(sizes[first], sizes[second], np.array(shared))))

    total = float(counts.sum())
    related_a, related_b, related_shared = sharing_pairs(values)
    closeness = 1.0 - measure(sizes[related_a], sizes[related_b], related_shared)
    expected = total * total - float((counts * counts).sum()) - 2 * float(
        (counts[related_a] * counts[related_b] * closeness).sum()
    )
    return _alpha(total, observed, expected, len(pairable))


def sharing_pairs(values: Sequence[frozenset]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Index pairs (i < j) of values with an element in common, in order, and how many they share."""
    holders: dict[Hashable, list[int]] = defaultdict(list)
    for position, value in enumerate(values):
        for element in value:
            holders[element].append(position)
    width = len(values)
    codes = [np.zeros(0, dtype=np.int64)]
    for indices in holders.values():
        if len(indices) > 1:
            held = np.array(indices, dtype=np.int64)
            upper_a, upper_b = np.triu_indices(len(held), 1)
            codes.append(held[upper_a] * width + held[upper_b])
    pairs, shared = np.unique(np.concatenate(codes), return_counts=True)
    return pairs // width, pairs % width, shared


def _alpha(total: float, observed: float, expected: float, units: int) -> Figure:
    """alpha = 1 - (n - 1) * sum_o / sum_e (Krippendorff 2011), reported over the pairable units.

    sum_o = sum over units u of sum_{i != j} d(v_i, v_j) / (m_u - 1), and
    sum_e = sum over ordered pairs of values c != k of n_c * n_k * d(c, k),
    where n_c counts the pairable values equal to c and n is their total.
    """
    if expected <= 0:
        return Figure(None, units)
    return Figure(1.0 - (total - 1) * observed / expected, units)


def ordinal_alpha(units: Iterable[Sequence[Hashable]], order: Sequence[Hashable]) -> Figure:
    """Krippendorff's alpha for ordinal values ranked by ``order``; values not in ``order`` are left out.

    With the coincidence matrix o_ck (pairs of values c, k within units, each
    unit's pairs weighted 1 / (m_u - 1)) and n_c = sum_k o_ck, the ordinal
    distance is d(c, k) = (sum_{g = c..k} n_g - (n_c + n_k) / 2)^2, and
    alpha = 1 - (n - 1) * sum o_ck d(c, k) / sum n_c n_k d(c, k) (Krippendorff 2011).
    """
    rank = {value: i for i, value in enumerate(order)}
    pairable = [[rank[v] for v in unit if v in rank] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    size = len(order)
    counts = np.zeros((len(pairable), size))
    rows = np.repeat(np.arange(len(pairable)), [len(unit) for unit in pairable])
    np.add.at(counts, (rows, np.array([v for unit in pairable for v in unit], dtype=np.int64)), 1)
    weighted = counts / (counts.sum(axis=1, keepdims=True) - 1) if len(pairable) else counts
    coincidence = weighted.T @ counts - np.diag(weighted.sum(axis=0))
    marginals = coincidence.sum(axis=1)
    total = float(marginals.sum())
    if np.count_nonzero(marginals) < 2:
        return Figure(None, len(pairable))
    cumulative = np.concatenate([[0.0], np.cumsum(marginals)])
    low, high = np.minimum.outer(np.arange(size), np.arange(size)), np.maximum.outer(np.arange(size), np.arange(size))
    between = cumulative[high + 1] - cumulative[low]
    distance = (between - (marginals[:, None] + marginals[None, :]) / 2) ** 2
    observed = float((coincidence * distance).sum())
    expected = float((np.outer(marginals, marginals) * distance).sum())
    return _alpha(total, observed, expected, len(pairable))



def ratio(numerator: float, denominator: int) -> Figure:
    return Figure(numerator / denominator if denominator else None, denominator)


def binary_alphas(units: Sequence[Sequence[Hashable]], index: Mapping[Hashable, int]) -> list[Figure]:
    """Nominal alpha of "value c or not" for every value c: a unit of m values, k of them c,
    has 2 k (m - k) ordered pairs that differ; over all n values, n_c of them c, 2 n_c (n - n_c)."""
    width = len(index)
    if not units:
        return [Figure(None, 0)] * width
    counts = np.zeros((len(units), width))
    rows = np.repeat(np.arange(len(units)), [len(unit) for unit in units])
    np.add.at(counts, (rows, np.array([index[v] for unit in units for v in unit], dtype=np.int64)), 1)
    sizes = np.array([len(unit) for unit in units], dtype=float)[:, None]
    observed = (2 * counts * (sizes - counts) / (sizes - 1)).sum(axis=0)
    total = float(sizes.sum())
    chosen = counts.sum(axis=0)
    expected = 2 * chosen * (total - chosen)
    return [
        Figure(1.0 - (total - 1) * float(o) / float(e), len(units)) if e > 0 else Figure(None, len(units))
        for o, e in zip(observed, expected)
    ]


def binary_kappas(pairs: Sequence[tuple[Hashable, Hashable]], index: Mapping[Hashable, int]) -> list[Figure]:
    """Cohen's kappa of "value c or not" for every value c, as cohen_kappa computes it."""
    width, n = len(index), len(pairs)
    if n == 0:
        return [Figure(None, 0)] * width
    codes_a = np.array([index[a] for a, _ in pairs])
    codes_b = np.array([index[b] for _, b in pairs])
    count_a = np.bincount(codes_a, minlength=width).astype(float)
    count_b = np.bincount(codes_b, minlength=width).astype(float)
    differing = codes_a != codes_b
    # Items where exactly one side says c: those differing items whose a or b is c.
    disputed = np.bincount(codes_a[differing], minlength=width) + np.bincount(codes_b[differing], minlength=width)
    agreements = n - disputed
    chance = count_a * count_b + (n - count_a) * (n - count_b)
    return [
        Figure((n * float(agree) - float(c)) / (n * n - float(c)), n) if c != n * n else Figure(None, n)
        for agree, c in zip(agreements, chance)
    ]
