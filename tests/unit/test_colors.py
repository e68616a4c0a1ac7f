from __future__ import annotations

import pytest

from cisannotate.core.codebook import DEFAULT_CATEGORIES
from cisannotate.core.colors import (
    MIN_TEXT_CONTRAST,
    contrast_ratio,
    is_hex_color,
    parse_hex,
    readable_with_black_text,
    relative_luminance,
)


def test_luminance_of_black_white_and_primaries():
    assert relative_luminance("#000000") == 0
    assert relative_luminance("#ffffff") == pytest.approx(1)
    # The coefficients of the WCAG definition.
    assert relative_luminance("#ff0000") == pytest.approx(0.2126)
    assert relative_luminance("#00ff00") == pytest.approx(0.7152)
    assert relative_luminance("#0000ff") == pytest.approx(0.0722)


def test_contrast_ratio_matches_known_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)
    # #767676 is the classic lightest grey that passes 4.5:1 on white.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#ffffff") < MIN_TEXT_CONTRAST


def test_short_form_and_case_are_accepted():
    assert parse_hex("#FfF") == (255, 255, 255)
    assert parse_hex("a0b1c2") == (0xA0, 0xB1, 0xC2)
    assert is_hex_color("#abc") and not is_hex_color("#abcd") and not is_hex_color("red")
    with pytest.raises(ValueError):
        parse_hex("#12345g")


def test_black_text_threshold():
    assert readable_with_black_text("#ffffff")
    assert not readable_with_black_text("#000080")
    # Mid grey: black text on #595959 is about 3.0:1.
    assert not readable_with_black_text("#595959")


def test_default_codebook_colours_are_readable():
    for name, color, _key, _desc in DEFAULT_CATEGORIES:
        assert readable_with_black_text(color), name
