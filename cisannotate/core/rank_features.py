"""Word-level rules of the suggestion ranking that are fixed beforehand, not fitted.

* **Numbers**: articles and transcripts write one number in different ways ("eleven
  per cent" / "11 percent", "three hundred thousand" / "300,000"). English number
  words are folded to digits and "per cent" to "percent", so both forms meet.
* **Speakers**: an article names the person who spoke ("Lott said …"), a transcript
  puts that name in a speaker label, and its lines name *other* people when they are
  addressed ("Thank you, Dr Varga."). A speaker's surname in a span is therefore
  evidence about *who* said a line, not about *what* was said: it is left out of the
  words matched, and it sets the ``speaker`` feature of that person's lines instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Digits grouped by thousands ("300,000", "1,240") read as one number.
GROUPED_DIGITS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d,])")


def ungroup_digits(text: str) -> str:
    """"300,000" -> "300000", so the tokenizer sees one number, not two."""
    return GROUPED_DIGITS.sub(lambda m: m.group(0).replace(",", ""), text)


def fold_numbers(words: Iterable[str]) -> list[str]:
    """Lower-case word tokens with runs of English number words replaced by their value
    in digits ("three hundred thousand" -> "300000", "forty" -> "40"), "per cent" by
    "percent" and a scale word after digits multiplied in ("12 billion" -> "12000000000").
    "one" alone is kept as a word ("one plan", "no one"), and so are "hundred" and the
    other scale words without a number before them.
    """
    out: list[str] = []
    words = list(words)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "per" and i + 1 < len(words) and words[i + 1] == "cent":
            out.append("percent")
            i += 2
            continue
        if word in _UNITS or (word.isdigit() and i + 1 < len(words) and words[i + 1] in _SCALES):
            total, current, j = 0, 0, i
            if word.isdigit():
                current, j = int(word), i + 1
            while j < len(words):
                w = words[j]
                if w in _UNITS:
                    current += _UNITS[w]
                elif w in _SCALES:
                    if _SCALES[w] == 100:
                        current = max(current, 1) * 100
                    else:
                        total += max(current, 1) * _SCALES[w]
                        current = 0
                elif not (w == "and" and j + 1 < len(words) and words[j + 1] in _UNITS
                          and (total or current >= 100)):
                    break
                j += 1
            if j == i + 1 and word == "one":
                out.append(word)
            else:
                out.append(str(total + current))
            i = j
            continue
        out.append(word)
        i += 1
    return out


_TITLE = re.compile(r"^(?:dr|mr|mrs|ms|prof|sir)\.?$", re.IGNORECASE)
_NAME_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")


def name_words(speaker: str) -> tuple[str, ...]:
    """The lower-case words of a speaker label's name that can name the person in an
    article ("Dr Anneli Varga" -> ("anneli", "varga")): titles and words of fewer than
    three letters left out."""
    return tuple(w.lower().replace("ё", "е") for w in _NAME_WORD.findall(speaker)
                 if len(w) >= 3 and not _TITLE.match(w))


def capitalised_words(text: str) -> set[str]:
    """The lower-case forms of the words a text writes with a capital letter."""
    return {w.lower().replace("ё", "е") for w in _NAME_WORD.findall(text) if w[0].isupper()}
