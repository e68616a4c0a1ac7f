"""Colour arithmetic for highlight colours, after WCAG 2.2.

Category colours are painted behind black text. A colour that is too dark
makes the highlighted quote hard to read, so the codebook editor warns when
the contrast ratio falls below the level WCAG asks of normal body text.
Qt-free, so the rule is testable and usable from the command line.
"""

from __future__ import annotations

import re

# WCAG 2.2 success criterion 1.4.3 (contrast, minimum) for normal-size text.
MIN_TEXT_CONTRAST = 4.5

BLACK = "#000000"

_HEX = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def parse_hex(color: str) -> tuple[int, int, int]:
    """The (r, g, b) bytes of "#rrggbb" or "#rgb" (the "#" is optional)."""
    match = _HEX.match(color.strip())
    if match is None:
        raise ValueError(f"{color!r} is not a colour of the form #rrggbb")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def is_hex_color(color: str) -> bool:
    return _HEX.match(color.strip()) is not None


def _linear(channel: int) -> float:
    """An sRGB channel byte as linear light (the sRGB transfer function inverted)."""
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """WCAG relative luminance: 0 for black, 1 for white."""
    r, g, b = parse_hex(color)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 (same luminance) to 21 (black on white)."""
    a, b = relative_luminance(first), relative_luminance(second)
    lighter, darker = max(a, b), min(a, b)
    return (lighter + 0.05) / (darker + 0.05)


def readable_with_black_text(color: str) -> bool:
    """Whether black text on ``color`` meets the WCAG minimum for normal text."""
    return contrast_ratio(color, BLACK) >= MIN_TEXT_CONTRAST
