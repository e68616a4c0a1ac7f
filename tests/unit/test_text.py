from __future__ import annotations

import pytest

from cisannotate.core.text import OffsetError, Quote, Utf16Map, anchor_quote, quote_at, sha256_text


def test_utf16_map_round_trips_astral_characters():
    text = "a😀b𝄞c\nd"
    m = Utf16Map(text)
    utf16 = text.encode("utf-16-le")
    for offset in range(len(text) + 1):
        pos = m.to_utf16(offset)
        assert len(text[:offset].encode("utf-16-le")) // 2 == pos
        assert m.from_utf16(pos) == offset
    assert len(utf16) // 2 == m.to_utf16(len(text))


def test_utf16_position_inside_a_surrogate_pair_snaps_to_the_character():
    m = Utf16Map("x😀y")
    assert m.from_utf16(2) == 1  # between the two halves of the emoji


def test_plain_text_maps_to_itself():
    m = Utf16Map("plain ascii")
    assert m.to_utf16(5) == 5 and m.from_utf16(5) == 5


def test_quote_at_keeps_prefix_and_suffix():
    q = quote_at("The minister said the border is closed.", 18, 28, context=4)
    assert q == Quote(exact="the border", prefix="aid ", suffix=" is ")


def test_quote_at_rejects_ranges_outside_the_text():
    with pytest.raises(OffsetError):
        quote_at("short", 3, 9)
    with pytest.raises(OffsetError):
        quote_at("short", 3, 3)


def test_anchor_quote_uses_context_to_choose_between_occurrences():
    text = "He said yes. She said yes. They said no."
    q = Quote(exact="said yes", prefix="She ", suffix=". They")
    assert anchor_quote(text, q) == (17, 25)


def test_anchor_quote_reports_a_missing_or_ambiguous_quote():
    assert anchor_quote("nothing here", Quote("absent", "", "")) is None
    assert anchor_quote("yes yes", Quote("yes", "", "")) is None
    assert anchor_quote("yes yes", Quote("yes", "", ""), hint=4) == (4, 7)


def test_sha256_is_of_the_utf8_bytes():
    import hashlib

    assert sha256_text("é😀") == hashlib.sha256("é😀".encode()).hexdigest()
