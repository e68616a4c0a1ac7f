"""One TF-IDF field of a suggestion index: postings over the transcript lines, and the
cosine, coverage and window scores of a query against every line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .lazy import lazy_import

if TYPE_CHECKING:
    import numpy as np
else:
    np = lazy_import("numpy")  # loaded with the first index built, not with this module

# Tokens expanded to their n-grams per step of the index build (and ten times as many
# postings per step of the field's weighting).
_TOKEN_CHUNK = 100_000


class _Field:
    """One TF-IDF field over the lines, as postings sorted by term (CSR layout).

    Weights are sublinear tf times smoothed idf, L2-normalised per line, so the
    dot product with a normalised query vector is the cosine similarity.

    Built from token arrays (``lines[k]`` holds term ``terms[k]``) with one sort of
    term-major keys, which leaves the postings already grouped by term and, within a
    term, ordered by line; the postings name their lines as 32-bit integers.
    """

    def __init__(self, n_lines: int, keys: list[np.ndarray], vocab: dict[str, int], next_line: np.ndarray) -> None:
        """``keys`` holds one int64 array, ``term * n_lines + line`` per token, which the field
        takes over (and sorts in place): passed in a list so that no caller keeps it alive."""
        self.vocab = vocab
        self.n_lines = n_lines
        self.next_line = next_line
        n_terms = len(vocab)
        stride = max(n_lines, 1)
        tokens = keys.pop()
        tokens.sort()
        first = np.empty(len(tokens), bool)  # where a run of equal keys (one line's term) starts
        first[:1] = True
        np.not_equal(tokens[1:], tokens[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        counts = np.empty(len(starts), np.int32)
        np.subtract(starts[1:], starts[:-1], out=counts[:-1], casting="unsafe")
        counts[-1:] = len(tokens) - starts[-1:]
        del starts
        unique = tokens[first]
        del tokens, first
        term_of = np.empty(len(unique), np.int32)
        np.floor_divide(unique, stride, out=term_of, casting="unsafe")
        line_of = np.empty(len(unique), np.int32)
        np.remainder(unique, stride, out=line_of, casting="unsafe")
        del unique
        df = np.bincount(term_of, minlength=n_terms)
        self.idf = np.log((1.0 + n_lines) / (1.0 + df)) + 1.0
        self.unknown_idf = math.log(1.0 + n_lines) + 1.0
        raw = np.log(counts, dtype=np.float64)
        del counts
        raw += 1.0
        squares = np.zeros(n_lines)
        for low in range(0, len(raw), _TOKEN_CHUNK * 10):  # in slices: no temporary as long as raw
            part = raw[low:low + _TOKEN_CHUNK * 10]
            part *= self.idf[term_of[low:low + _TOKEN_CHUNK * 10]]
            squares += np.bincount(line_of[low:low + _TOKEN_CHUNK * 10], part * part, minlength=n_lines)
        self.norm = np.sqrt(squares)
        self.window_norm = self._window_norms(term_of, line_of, raw, stride)
        del term_of
        self.post_lines = line_of
        raw /= self.norm[line_of]
        self.post_weights = raw
        self.indptr = np.concatenate(([0], np.cumsum(df)))

    def _window_norms(self, term_of: np.ndarray, line_of: np.ndarray, raw: np.ndarray,
                      stride: int) -> np.ndarray:
        """Norm of each line's vector plus its next line's: |v_i|^2 + |v_j|^2 + 2 v_i.v_j."""
        following = self.next_line >= 0
        cross = np.zeros(self.n_lines)
        if len(term_of):
            # Each entry (term, line i) is matched with the same term in the next line j. Entries
            # are sorted by term, then line: when the term's entry for j exists and no line lies
            # between i and j, it is the next entry.
            successor = self.next_line.astype(np.int32)[line_of]
            adjacent = np.zeros(len(term_of), bool)
            np.logical_and(line_of[1:] == successor[:-1], term_of[1:] == term_of[:-1], out=adjacent[:-1])
            k = np.flatnonzero(adjacent)
            cross += np.bincount(line_of[k], raw[k] * raw[k + 1], minlength=self.n_lines)
            del k
            # Otherwise (lines not listed in order) the term's entry for line j is looked up.
            elsewhere = np.flatnonzero((successor >= 0) & (successor != line_of + 1) & ~adjacent)
            if len(elsewhere):
                keys = term_of.astype(np.int64) * stride + line_of
                wanted = term_of[elsewhere].astype(np.int64) * stride + successor[elsewhere]
                found = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
                hit = keys[found] == wanted
                cross += np.bincount(line_of[elsewhere[hit]], raw[elsewhere[hit]] * raw[found[hit]],
                                     minlength=self.n_lines)
        squared = self.norm**2 + np.where(
            following, self.norm[np.where(following, self.next_line, 0)] ** 2 + 2 * cross, 0.0)
        return np.sqrt(squared)

    def query_vector(self, terms: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Known term ids and their normalised weights; unknown terms only count in the norm."""
        counts: dict[str, int] = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        ids, weights, norm2 = [], [], 0.0
        for term, count in counts.items():
            tid = self.vocab.get(term)
            idf = self.idf[tid] if tid is not None else self.unknown_idf
            weight = (1.0 + math.log(count)) * idf
            norm2 += weight * weight
            if tid is not None:
                ids.append(tid)
                weights.append(weight)
        if not ids or norm2 == 0.0:
            return np.empty(0, np.int64), np.empty(0)
        return np.asarray(ids, np.int64), np.asarray(weights) / math.sqrt(norm2)

    def _postings(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions of the terms' postings in the flat arrays, and each term's count."""
        starts = self.indptr[ids]
        lengths = self.indptr[ids + 1] - starts
        total = int(lengths.sum())
        return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total), lengths

    def cosine(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Cosine of the query with every line (dense array, one entry a line)."""
        positions, lengths = self._postings(ids)
        contributions = self.post_weights[positions] * np.repeat(weights, lengths)
        return np.bincount(self.post_lines[positions], contributions, minlength=self.n_lines)

    def coverage(self, ids: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """Share of the query's weight (squared, so it sums to 1) on terms each line has."""
        positions, lengths = self._postings(ids)
        return np.bincount(self.post_lines[positions], np.repeat(weights * weights, lengths),
                           minlength=self.n_lines)

    def pair(self, cos: np.ndarray) -> np.ndarray:
        """Cosine of the query with each line joined to its next line (0 for a last line)."""
        following = self.next_line >= 0
        nxt = np.where(following, self.next_line, 0)
        dot = cos * self.norm
        return np.where(following, (dot + dot[nxt]) / np.maximum(self.window_norm, 1e-12), 0.0)

    def window(self, pair: np.ndarray) -> np.ndarray:
        """Best cosine of a window (the line with its next or its previous line) per line,
        from the ``pair`` cosines."""
        following = self.next_line >= 0
        best = pair.copy()
        np.maximum.at(best, self.next_line[following], pair[following])
        return best
