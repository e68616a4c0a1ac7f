"""Sentence and source-line segmentation, on the real corpus and on small cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cisannotate.core.segment import Segment, segment_sentences, segment_transcript


def corpus_text(corpus: Path, prefix: str) -> str:
    """A corpus text by its number (the ``corpus`` fixture skips when it is absent)."""
    matches = sorted(corpus.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"corpus file {prefix} not found in {corpus}")
    return matches[0].read_text(encoding="utf-8")


def texts(text: str, segments: list[Segment]) -> list[str]:
    return [text[s.start : s.end] for s in segments]


def assert_well_formed(text: str, segments: list[Segment]) -> None:
    previous_end = 0
    for number, segment in enumerate(segments, start=1):
        assert segment.number == number
        assert previous_end <= segment.start < segment.end <= len(text)
        chunk = text[segment.start : segment.end]
        assert chunk == chunk.strip()
        previous_end = segment.end
    paragraphs = [s.paragraph for s in segments]
    if paragraphs:
        assert paragraphs[0] == 1
        assert all(b - a in (0, 1) for a, b in zip(paragraphs, paragraphs[1:], strict=False))


def assert_covers(text: str, segments: list[Segment]) -> None:
    """Every non-space character between the first and the last line is in a line."""
    covered = set()
    for s in segments:
        covered.update(range(s.start, s.end))
    region = range(segments[0].start, segments[-1].end)
    missing = [i for i in region if not text[i].isspace() and i not in covered]
    assert missing == []


# --- the corpus --------------------------------------------------------------------


def test_transcript_003_lines_are_exactly_the_speech(corpus: Path) -> None:
    text = corpus_text(corpus, "003")
    lines = segment_transcript(text)
    assert_well_formed(text, lines)
    # Counted by hand from the label to "Thank you for your attention.", one
    # paragraph at a time (sentences ending in ".", "!" or "?"):
    # 1+1+3+2+7+3+2+5+1+2+3+1+3+3+3+3+3+1+2+1+1+1 = 52 over 22 paragraphs.
    assert len(lines) == 52
    assert lines[-1].paragraph == 22
    first, last = texts(text, lines[0:1])[0], texts(text, lines[-1:])[0]
    assert first.startswith("Mr Naryshkin") and first.endswith("colleagues.")
    assert "\n" in first  # the stray line break stays inside the one sentence
    assert last == "Thank you for your attention."
    assert {s.speaker for s in lines} == {"Vladimir Putin"}
    assert_covers(text, lines)
    assert text.index("President of Russia") < lines[0].start
    assert lines[-1].end < text.index("Topics")


def test_transcript_003_has_no_furniture_and_keeps_greetings(corpus: Path) -> None:
    text = corpus_text(corpus, "003")
    lines = texts(text, segment_transcript(text))
    for furniture in (
        "Events",
        "Topics",
        "Persons",
        "17:35",
        "2 of 3",
        "Publication",
        "Text version",
    ):
        assert not any(furniture in line for line in lines), furniture
    assert not any("President of Russia" in line for line in lines)
    assert all(line.rstrip("”\"')").endswith((".", "!", "?")) for line in lines)
    assert "Good afternoon." in lines
    assert "Comrades!" in lines
    assert not any(line != line.lstrip() for line in lines)


def test_transcript_003_keeps_quotations_inside_their_sentence(corpus: Path) -> None:
    text = corpus_text(corpus, "003")
    lines = texts(text, segment_transcript(text))
    for phrase in ("colour revolutions", "sleeper cells"):
        (line,) = [line for line in lines if phrase in line]
        assert f"“{phrase}”" in line
        assert line.endswith(".")


def test_transcript_004_lines_are_exactly_the_speech(corpus: Path) -> None:
    text = corpus_text(corpus, "004")
    lines = segment_transcript(text)
    assert_well_formed(text, lines)
    # Counted by hand from the label to the closing "Thanks.", one paragraph at a
    # time: 1+1+1+1+1+3+3+5+2+2+4+2+2+2+3+3+2+4+3+1+1+1+2 = 50 over 23 paragraphs
    # ("Further." is a sentence of its own; the trailing "<…>" is not).
    assert len(lines) == 50
    assert lines[-1].paragraph == 23
    got = texts(text, lines)
    assert got[0] == "Dear Alexander Vasilyevich (Bortnikov)!"
    assert got[1:3] == ["Dear colleagues!", "Good afternoon!"]
    assert got[-2:] == ["Thank you for your attention.", "Thanks."]
    assert {s.speaker for s in lines} == {"Vladimir Putin"}
    assert_covers(text, lines)
    assert not any("TSAMTO" in line or "Kremlin's press" in line for line in got)
    assert not any("<" in line for line in got)
    (quoted,) = [line for line in got if "color revolutions" in line]
    assert quoted.startswith("Thus,") and quoted.count('"') == 2 and quoted.endswith(".")
    assert "It's not just about small arms." in got


def test_article_quote_spanning_two_sentences_is_split_with_closing_quote_kept(
    corpus: Path,
) -> None:
    text = corpus_text(corpus, "000")
    sentences = texts(text, segment_sentences(text))
    opening = next(i for i, s in enumerate(sentences) if s.startswith("“The countries"))
    assert sentences[opening].endswith("will not rest.")
    assert sentences[opening + 1].startswith("They will act")
    assert sentences[opening + 1].endswith("according to TASS.")
    assert any(s.endswith("resource base.”") for s in sentences)
    look = [s for s in sentences if s.startswith(("“Look at", "Look at"))]
    assert len(look) == 2 and look[1].endswith("the SVR chief added.")


def test_article_unbalanced_quote_does_not_swallow_the_text(corpus: Path) -> None:
    text = corpus_text(corpus, "002")
    sentences = texts(text, segment_sentences(text))
    opening = next(i for i, s in enumerate(sentences) if s.startswith('"It is enough'))
    assert sentences[opening].endswith("other CIS countries.")
    assert sentences[opening + 1].startswith('"But the risks')
    assert sentences[-1].startswith("'Energy crisis")  # headlines are kept in articles
    assert sentences[0] == "date 2022-01-01 Russian President Vladimir Putin"


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_corpus_text_segments_cleanly_both_ways(prefix: str, corpus: Path) -> None:
    text = corpus_text(corpus, prefix)
    for split in (segment_sentences, segment_transcript):
        segments = split(text)
        assert segments
        assert_well_formed(text, segments)


def test_transcript_mode_on_an_article_without_labels_drops_only_furniture(corpus: Path) -> None:
    text = corpus_text(corpus, "001")
    lines = texts(text, segment_transcript(text))
    sentences = texts(text, segment_sentences(text))
    assert lines == [s for s in sentences if s not in (sentences[0], sentences[-1])]
    assert sentences[-1] == "Source: Asia-Plus"


# --- sentence rules ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Mr. Smith met Dr. Jones at St. Mary's. They talked.",
            ["Mr. Smith met Dr. Jones at St. Mary's.", "They talked."],
        ),
        (
            "Mrs. Brown and Mr Naryshkin spoke. Prof. Lee agreed.",
            ["Mrs. Brown and Mr Naryshkin spoke.", "Prof. Lee agreed."],
        ),
        (
            "The U.S. President spoke. It was late in the U.S. The end.",
            ["The U.S. President spoke.", "It was late in the U.S.", "The end."],
        ),
        (
            "Some, e.g. Russia, agreed. Others, i.e. few, did not.",
            ["Some, e.g. Russia, agreed.", "Others, i.e. few, did not."],
        ),
        (
            "V. Putin spoke. V. V. Putin too. Plan B. It failed.",
            ["V. Putin spoke.", "V. V. Putin too.", "Plan B.", "It failed."],
        ),
        (
            "It costs 3.5 million. See No. 5 and p. 12. On Sept. 29 it rained.",
            ["It costs 3.5 million.", "See No. 5 and p. 12.", "On Sept. 29 it rained."],
        ),
        ("It ended in 2021. 2022 was worse.", ["It ended in 2021.", "2022 was worse."]),
        (
            "Smith et al. (2020) disagree. Jones et al. The end.",
            ["Smith et al. (2020) disagree.", "Jones et al.", "The end."],
        ),
        ("1. First point. 2. Second point.", ["1. First point.", "2. Second point."]),
        ("Really? Yes! Stop!! Why?! Fine.", ["Really?", "Yes!", "Stop!!", "Why?!", "Fine."]),
        (
            "She paused... Then she spoke. Wait… no. Go… Now.",
            ["She paused...", "Then she spoke.", "Wait… no.", "Go…", "Now."],
        ),
        (
            "It is a web.address and a.b. value. Next.",
            ["It is a web.address and a.b. value.", "Next."],
        ),
    ],
)
def test_sentence_rules(text: str, expected: list[str]) -> None:
    segments = segment_sentences(text)
    assert texts(text, segments) == expected
    assert_well_formed(text, segments)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A quotation that opens in one sentence and closes in another.
        (
            "He said: “We will win. They will lose.” Then he left.",
            ["He said: “We will win.", "They will lose.”", "Then he left."],
        ),
        (
            'He said "We will win. They will lose," and left. Next.',
            ['He said "We will win.', 'They will lose," and left.', "Next."],
        ),
        # A closing quote right after the full stop belongs to the sentence it ends.
        (
            "“Go home.” She left. 'Now.' He stayed.",
            ["“Go home.”", "She left.", "'Now.'", "He stayed."],
        ),
        ('He left. "Why?" she asked.', ["He left.", '"Why?" she asked.']),
        (
            "“Why?” Putin asked. “Because!” Mr Smith replied. Done.",
            ["“Why?” Putin asked.", "“Because!” Mr Smith replied.", "Done."],
        ),
        ("“Why?” The crowd said nothing.", ["“Why?”", "The crowd said nothing."]),
        ("(A remark.) Then more.", ["(A remark.)", "Then more."]),
        # An unbalanced quote mark swallows nothing.
        (
            "He said “hello. And left. Then came back.",
            ["He said “hello.", "And left.", "Then came back."],
        ),
        (
            '"Unclosed start.\n"Second paragraph," he said.',
            ['"Unclosed start.', '"Second paragraph," he said.'],
        ),
    ],
)
def test_quotation_rules(text: str, expected: list[str]) -> None:
    assert texts(text, segment_sentences(text)) == expected


def test_offsets_are_code_points_with_characters_outside_the_bmp() -> None:
    text = "  Great news 🎉! Next one 😀😀. 𝔘𝔫𝔦 text 🇷🇺. End.\n\U0001f600 Smile."
    segments = segment_sentences(text)
    assert texts(text, segments) == [
        "Great news 🎉!",
        "Next one 😀😀.",
        "𝔘𝔫𝔦 text 🇷🇺.",
        "End.",
        "\U0001f600 Smile.",
    ]
    assert segments[1].start == text.index("Next")
    assert segments[3].start == text.index("End.") and segments[3].end == text.index("End.") + 4
    assert [s.paragraph for s in segments] == [1, 1, 1, 1, 2]


def test_cyrillic_text_splits_too() -> None:
    text = "Уважаемые коллеги! Добрый день. В. Путин выступил. Спасибо."
    assert texts(text, segment_sentences(text)) == [
        "Уважаемые коллеги!",
        "Добрый день.",
        "В. Путин выступил.",
        "Спасибо.",
    ]


def test_ranges_never_include_surrounding_whitespace() -> None:
    text = "   Leading spaces here.   Two spaces.\t\n\n\t  Indented line.  \r\n  Last one.  "
    segments = segment_sentences(text)
    assert texts(text, segments) == [
        "Leading spaces here.",
        "Two spaces.",
        "Indented line.",
        "Last one.",
    ]
    assert segments[0].start == 3


def test_paragraphs_from_single_newlines_and_blank_lines_alike() -> None:
    text = "One. Two.\nThree.\n\n\n\nFour.\r\nFive.\u2029Six."
    segments = segment_sentences(text)
    assert [s.paragraph for s in segments] == [1, 1, 2, 3, 4, 5]


def test_stray_line_break_does_not_split_a_sentence() -> None:
    text = "Dear Mr Smith\n, dear colleagues. Welcome.\nThe meeting was\nheld in Moscow. It ended."
    assert texts(text, segment_sentences(text)) == [
        "Dear Mr Smith\n, dear colleagues.",
        "Welcome.",
        "The meeting was\nheld in Moscow.",
        "It ended.",
    ]
    # A new line with a capital after an unfinished one is a new paragraph.
    assert len(segment_sentences("Headline without stop\nBody starts here.")) == 2


# --- transcripts: labels and furniture ---------------------------------------------

TRANSCRIPT = """Events
Meeting with the heads of some agencies
The head of state met the delegations.
September 29, 2022
17:35
The Kremlin, Moscow
2 of 3
Participants in the meeting (via videoconference).
President of Russia Vladimir Putin: Mr Smith
, colleagues.
 Good afternoon.
 Comrades! Dear colleagues!
Prime Minister of India Narendra Modi:
Thank you. We agree.
Vladimir Putin: Thank you for your attention.
Topics
Foreign policy
National security
Persons
Smith John
Publication status
Published in sections: News, Transcripts.
Publication date: September 29, 2022, 17:35
Text version
<…>"""


def test_transcript_labels_set_the_speaker_and_are_not_lines() -> None:
    lines = segment_transcript(TRANSCRIPT)
    assert_well_formed(TRANSCRIPT, lines)
    assert [(TRANSCRIPT[s.start : s.end], s.speaker, s.paragraph) for s in lines] == [
        ("Mr Smith\n, colleagues.", "Vladimir Putin", 1),
        ("Good afternoon.", "Vladimir Putin", 2),
        ("Comrades!", "Vladimir Putin", 3),
        ("Dear colleagues!", "Vladimir Putin", 3),
        ("Thank you.", "Narendra Modi", 4),
        ("We agree.", "Narendra Modi", 4),
        ("Thank you for your attention.", "Vladimir Putin", 5),
    ]


def test_sentence_mode_keeps_furniture_and_labels() -> None:
    sentences = texts(TRANSCRIPT, segment_sentences(TRANSCRIPT))
    assert sentences[:2] == ["Events", "Meeting with the heads of some agencies"]
    assert "President of Russia Vladimir Putin: Mr Smith\n, colleagues." in sentences
    assert sentences[-1] == "<…>"
    assert all(s.speaker == "" for s in segment_sentences(TRANSCRIPT))


@pytest.mark.parametrize(
    ("label", "speaker"),
    [
        ("President of Russia Vladimir Putin", "Vladimir Putin"),
        ("Vladimir Putin", "Vladimir Putin"),
        ("V. Putin", "V. Putin"),
        ("President of Kazakhstan Kassym-Jomart Tokayev", "Kassym-Jomart Tokayev"),
        ("President of the United States Joe Biden", "Joe Biden"),
        ("Federal Security Service Director Alexander Bortnikov", "Alexander Bortnikov"),
        ("Russian Foreign Minister Sergei Lavrov", "Sergei Lavrov"),
    ],
)
def test_speaker_name_from_label(label: str, speaker: str) -> None:
    text = f"{label}: Good afternoon. Let us begin."
    lines = segment_transcript(text)
    assert [(text[s.start : s.end], s.speaker) for s in lines] == [
        ("Good afternoon.", speaker),
        ("Let us begin.", speaker),
    ]


def test_colons_inside_speech_are_not_labels() -> None:
    text = "Look at Moldova: they voted. Dear Friends: welcome. Moscow: a city.\nAt 17:35 we met."
    lines = segment_transcript(text)
    assert texts(text, lines) == [
        "Look at Moldova: they voted.",
        "Dear Friends: welcome.",
        "Moscow: a city.",
        "At 17:35 we met.",
    ]
    assert {s.speaker for s in lines} == {""}


def test_one_word_labels_count_in_a_dialogue() -> None:
    text = "Header line\nQuestion: Why now?\nPutin: Because it is time.\nQuestion: Thank you."
    lines = segment_transcript(text)
    assert [(text[s.start : s.end], s.speaker) for s in lines] == [
        ("Why now?", "Question"),
        ("Because it is time.", "Putin"),
        ("Thank you.", "Question"),
    ]


def test_furniture_without_labels_is_recognised_by_shape() -> None:
    text = (
        "Weekly Briefing\nMonday, 3 October 2022\n10:00 a.m.\n"
        "The minister said the talks went well. He thanked the hosts.\n"
        "Related\nOther news story headline.\nAnother one.\n"
        "A long closing remark that, although it lacks a final stop, runs on for a good many words "
        "because it is the end of the speech and somebody forgot the period at the very end of it, "
        "as happens in transcripts typed in a hurry"
    )
    lines = texts(text, segment_transcript(text))
    assert lines[:2] == ["The minister said the talks went well.", "He thanked the hosts."]
    assert len(lines) == 3 and lines[2].startswith("A long closing remark")


def test_segment_transcript_of_empty_or_blank_text() -> None:
    assert segment_transcript("") == []
    assert segment_sentences(" \n\t\n") == []


def test_one_megabyte_of_dense_sentences() -> None:
    # A dense worst case: one sentence per 20 characters, every rule exercised. How long it
    # takes is measured by `make bench` (text), not asserted here.
    paragraph = (
        "Mr. Smith met the U.S. delegation on Sept. 29. “We will act,” he said. "
        "Is it so? Yes! The talks... went on.\n"
    )
    text = "Vladimir Putin: Good afternoon.\n" + paragraph * (1_000_000 // len(paragraph))
    assert len(text) >= 990_000
    for split in (segment_transcript, segment_sentences):
        segments = split(text)
        assert len(segments) == 1 + 5 * (1_000_000 // len(paragraph))
    # Hard-wrapped lines are mended into one paragraph.
    wrapped = "the meeting went on and\n" * 42_000
    assert len(segment_sentences(wrapped)) == 1


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            list("aB .!?…,:;\"'“”’()\n\r\t\u2029😀5")
            + [
                "Mr. ",
                "U.S. ",
                "e.g. ",
                "Putin: ",
                "Vladimir Putin: ",
                "Topics\n",
                "\n\n",
                "2 of 3\n",
                "<…>",
            ]
        ),
        max_size=50,
    ).map("".join)
)
def test_segments_are_always_well_formed(text: str) -> None:
    for split in (segment_sentences, segment_transcript):
        segments = split(text)
        assert_well_formed(text, segments)
        assert all(text[s.start : s.end] for s in segments)
