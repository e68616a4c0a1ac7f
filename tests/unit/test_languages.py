"""Documents in other languages: segmentation rules by language, stemming, stop words,
suggestions within Russian and across languages, on fictional texts in tests/data/ru."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cisannotate.core import crosslang
from cisannotate.core.language import (
    language_name,
    other_script,
    script_language,
    stem,
    stop_words,
    transliterate,
)
from cisannotate.core.segment import segment_sentences, segment_transcript

DATA = Path(__file__).resolve().parents[1] / "data" / "ru"


def texts(text: str, segments) -> list[str]:
    return [text[s.start : s.end] for s in segments]


def read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


# --- Russian sentence rules ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Abbreviations inside a sentence, and "т. д." ending one.
        (
            "Об этом см. стр. 5 доклада. Итоги подведены, т. е. работа завершена. "
            "Мы обсудили экономику, науку и т. д. Конец заседания.",
            [
                "Об этом см. стр. 5 доклада.",
                "Итоги подведены, т. е. работа завершена.",
                "Мы обсудили экономику, науку и т. д.",
                "Конец заседания.",
            ],
        ),
        (
            "Решение принято, т.к. сроки поджимают. Участвовали министры, губернаторы и др. "
            "Встреча длилась час. Доклад (гл. 3, п. 2, с. 14) утверждён.",
            [
                "Решение принято, т.к. сроки поджимают.",
                "Участвовали министры, губернаторы и др.",
                "Встреча длилась час.",
                "Доклад (гл. 3, п. 2, с. 14) утверждён.",
            ],
        ),
        # Numbered dates; "г." after a year ends a sentence unless the sentence opens with it.
        (
            "Встреча прошла 3 окт. 2022 г. в Кремле. В 2022 г. Россия увеличила экспорт. "
            "Решение принято в 2021 г. Президент его одобрил. В 1990-х гг. всё было иначе.",
            [
                "Встреча прошла 3 окт. 2022 г. в Кремле.",
                "В 2022 г. Россия увеличила экспорт.",
                "Решение принято в 2021 г.",
                "Президент его одобрил.",
                "В 1990-х гг. всё было иначе.",
            ],
        ),
        # Initials, with and without a space, even where an initial is also a preposition.
        (
            "В. В. Путин провёл совещание. В.В. Путин отметил рост. Затем выступил С. К. Шойгу. "
            "Пришёл и А. Б. Иванов.",
            [
                "В. В. Путин провёл совещание.",
                "В.В. Путин отметил рост.",
                "Затем выступил С. К. Шойгу.",
                "Пришёл и А. Б. Иванов.",
            ],
        ),
        # Places after lowercase titles.
        (
            "Встреча прошла в г. Москва на ул. Ильинка. Все пришли вовремя.",
            ["Встреча прошла в г. Москва на ул. Ильинка.", "Все пришли вовремя."],
        ),
    ],
)
def test_russian_abbreviations_initials_and_dates(text: str, expected: list[str]) -> None:
    assert texts(text, segment_sentences(text, "ru")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A question or exclamation in quotes followed by a dash and the attribution.
        (
            "«Когда?» — спросил журналист. «Скоро!» — ответил министр. «Хорошо». Все ушли.",
            ["«Когда?» — спросил журналист.", "«Скоро!» — ответил министр.", "«Хорошо».", "Все ушли."],
        ),
        # Direct speech opened by a dash: the author's words stay with the speech.
        (
            "— Мы готовы, — сказал министр. — Но не сегодня. — Почему? — спросили его.",
            ["— Мы готовы, — сказал министр.", "— Но не сегодня.", "— Почему? — спросили его."],
        ),
        # A quotation of two sentences splits like an English one; the outer sentence
        # closing after the quote keeps its full stop.
        (
            "Он сказал: «Мы не отступим. Это наша позиция». Затем он ушёл.",
            ["Он сказал: «Мы не отступим.", "Это наша позиция».", "Затем он ушёл."],
        ),
        # Low-high quotes close with a high 6.
        (
            "Он процитировал: „Мы готовы.“ Потом замолчал. «Это „провокация“», — сказал он.",
            ["Он процитировал: „Мы готовы.“", "Потом замолчал.", "«Это „провокация“», — сказал он."],
        ),
        # A news agency dateline stays one piece.
        (
            "МОСКВА, 3 октября. /ТАСС/. Президент провёл встречу. Она длилась час.",
            ["МОСКВА, 3 октября. /ТАСС/.", "Президент провёл встречу.", "Она длилась час."],
        ),
        # A sentence inside parentheses.
        ("(Аплодисменты.) Спасибо. Продолжим.", ["(Аплодисменты.)", "Спасибо.", "Продолжим."]),
    ],
)
def test_russian_quotes_and_dashes(text: str, expected: list[str]) -> None:
    assert texts(text, segment_sentences(text, "ru")) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Am 3. Okt. 2022 kam er nach Berlin. Das war z. B. im 20. Jahrhundert üblich. "
            "Er sagte: „Wir sind bereit.“ Dann ging er. Siehe Nr. 5 usw. Danach nichts.",
            [
                "Am 3. Okt. 2022 kam er nach Berlin.",
                "Das war z. B. im 20. Jahrhundert üblich.",
                "Er sagte: „Wir sind bereit.“",
                "Dann ging er.",
                "Siehe Nr. 5 usw.",
                "Danach nichts.",
            ],
        ),
        ("ar", "هل أنت مستعد؟ نعم، أنا مستعد. شكرا!", ["هل أنت مستعد؟", "نعم، أنا مستعد.", "شكرا!"]),
        ("fa", "چرا؟ چون دیر شد.", ["چرا؟", "چون دیر شد."]),
        ("zh", "我们准备好了。明天见！你好吗？", ["我们准备好了。", "明天见！", "你好吗？"]),
        ("hi", "हम तैयार हैं। कल मिलेंगे।", ["हम तैयार हैं।", "कल मिलेंगे।"]),
        # Any other language: the English lists, low-high quotes and the dash rule.
        (
            "pl",
            "Powiedział: „Jesteśmy gotowi.“ Potem wyszedł. Dr. Nowak został.",
            ["Powiedział: „Jesteśmy gotowi.“", "Potem wyszedł.", "Dr. Nowak został."],
        ),
    ],
)
def test_other_languages(language: str, text: str, expected: list[str]) -> None:
    assert texts(text, segment_sentences(text, language)) == expected


def test_english_rules_are_unchanged_without_a_language() -> None:
    text = "V. V. Putin spoke. Plan B. It failed. On Sept. 29 it rained. “Why?” Putin asked."
    expected = ["V. V. Putin spoke.", "Plan B.", "It failed.", "On Sept. 29 it rained.", "“Why?” Putin asked."]
    assert texts(text, segment_sentences(text)) == expected
    assert texts(text, segment_sentences(text, "en")) == expected
    assert texts(text, segment_sentences(text, "en-GB")) == expected


def test_a_cyrillic_text_without_a_language_gets_the_russian_rules() -> None:
    text = "Мы обсудили экономику, науку и т. д. Конец заседания. Выступил В. В. Путин."
    expected = ["Мы обсудили экономику, науку и т. д.", "Конец заседания.", "Выступил В. В. Путин."]
    assert texts(text, segment_sentences(text)) == expected
    assert texts(text, segment_sentences(text, "ru")) == expected
    # An English text quoting a little Russian keeps the English rules.
    english = "He said “т. д.” twice. V. Putin left."
    assert texts(english, segment_sentences(english)) == ["He said “т. д.” twice.", "V. Putin left."]


def test_offsets_stay_code_points_in_mixed_scripts() -> None:
    text = "Он сказал 😀: «Мы готовы». 𝔘𝔫𝔦 — это тест. Path к файлу 🇷🇺. Конец."
    segments = segment_sentences(text, "ru")
    assert texts(text, segments) == ["Он сказал 😀: «Мы готовы».", "𝔘𝔫𝔦 — это тест.", "Path к файлу 🇷🇺.", "Конец."]
    assert segments[1].start == text.index("𝔘")
    assert segments[3].end == len(text)


# --- a Russian transcript in the style of the Kremlin's ------------------------------


def test_russian_transcript_one_sentence_per_line_with_speakers() -> None:
    text = read("transcript_ru.txt")
    lines = segment_transcript(text, "ru")
    got = texts(text, lines)
    assert len(lines) == 55
    # The header (title, date, place, summary) and the "Темы" block are not lines.
    assert got[0] == "Добрый день, уважаемые коллеги!"
    assert got[-1] == "Спасибо."
    assert not any(line in ("Темы", "Транспорт", "Арктика", "Москва, Кремль") for line in got)
    assert "Времени до начала навигации осталось немного, т. е. около двух месяцев." in got
    assert "В прошлом году в отдалённые посёлки доставили 3,2 млн тонн грузов." in got
    assert {s.speaker for s in lines} == {"И.Северцев", "Е.Ладыгина", "П.Орлов"}
    assert [s.speaker for s in lines[10:12]] == ["Е.Ладыгина", "Е.Ладыгина"]


def test_russian_speaker_labels_with_roles() -> None:
    text = (
        "Министр иностранных дел С. Лавров: Мы провели переговоры, т. е. консультации. Итоги известны.\n"
        "Пресс-секретарь Президента Дмитрий Песков: Комментариев нет.\n"
        "Президент России В. Путин: Спасибо.\n"
        "Уважаемые коллеги: начнём.\n"
    )
    lines = segment_transcript(text, "ru")
    assert [(text[s.start : s.end], s.speaker) for s in lines] == [
        ("Мы провели переговоры, т. е. консультации.", "С. Лавров"),
        ("Итоги известны.", "С. Лавров"),
        ("Комментариев нет.", "Дмитрий Песков"),
        ("Спасибо.", "В. Путин"),
        ("Уважаемые коллеги: начнём.", "В. Путин"),
    ]


def test_russian_report_in_the_style_of_a_news_agency() -> None:
    text = read("report_ru_1.txt")
    got = texts(text, segment_sentences(text, "ru"))
    assert got[1] == "МОСКВА, 14 марта. /ТАСС/."
    assert '"Объем поддержки должен составить не менее 12 млрд рублей", - сказал Северцев.' in got
    assert "Ремонт, по ее словам, завершится до 1 мая." in got
    assert '"Это поздно.' in got and 'Нужно ускориться хотя бы на год", - ответил Северцев.' in got


def test_english_version_is_aligned_line_by_line() -> None:
    ru = segment_transcript(read("transcript_ru.txt"), "ru")
    en = segment_transcript(read("transcript_en.txt"), "en")
    assert crosslang.aligned(ru, en)
    assert not crosslang.aligned(ru, en[:-1])


# --- words ----------------------------------------------------------------------------


def test_language_helpers() -> None:
    assert language_name("ru-RU") == "russian" and language_name("") is None
    assert stem("посёлках", "ru") == stem("поселков", "ru") == stem("посёлки")
    assert stem("settlements") == stem("settlement", "en")
    assert script_language("Москва") == "ru" and script_language("Moscow") == "en"
    assert other_script("Якутия") and not other_script("Yakutia") and not other_script("2027")
    assert {"и", "что", "заявил"} <= stop_words("ru") and "заявил" not in stop_words("ru", reporting=False)
    assert "the" in stop_words("") and stop_words("xx") == frozenset()
    assert transliterate("Ладыгина, Архангельск, Шойгу, Щукин") == "ladygina, arkhangelsk, shoygu, shchukin"


# --- suggestions ------------------------------------------------------------------------


def gold_articles(language: str) -> list[str]:
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    return sorted({s["article"] for s in gold["spans"] if s["language"] == language})


def test_gold_spans_are_where_they_say() -> None:
    gold = json.loads((DATA / "gold.json").read_text(encoding="utf-8"))
    transcript = read(gold["transcript"])
    lines = segment_transcript(transcript, "ru")
    assert len(gold["spans"]) == 42
    for span in gold["spans"]:
        assert 0 <= span["start"] < span["end"] <= len(read(span["article"]))
        for source in span["sources"]:
            line = lines[source["line"] - 1]
            assert (line.start, line.end) == (source["start"], source["end"])


def test_suggestions_within_russian_meet_the_english_goals() -> None:
    # Nothing was fitted on these spans: the shipped calibration is the English one.
    # Measured: 22 of 26 sourced spans kept, 5 of 6 no-source spans flagged. The English
    # fit gives some weight to a span naming the line's speaker; these reports name him
    # by his role ("Президент"), so their scores sit a little lower.
    result = crosslang.evaluate(DATA / "gold.json", "direct", gold_articles("ru"))
    assert result["sourced"] == 26 and result["no_source"] == 6
    assert result["top1"] >= 0.95
    assert result["top5"] >= 0.99
    assert result["sourced_kept"] >= 0.8
    assert result["no_source_flagged"] >= 0.8


def test_russian_stems_raise_the_scores_of_inflected_quotes() -> None:
    from cisannotate.core.suggest import IndexedLine, SourceIndex

    lines = [
        IndexedLine("t", 1, 0, 10, "В отдалённые районы доставили топливо и продукты."),
        IndexedLine("t", 2, 0, 10, "Ледокольное сопровождение обеспечено."),
    ]
    index = SourceIndex(lines)
    found = index.explain("топлива и продуктов для отдалённых районов", top=2)
    assert found[0][0].line == 1
    # Every content word meets its inflected form: топлива/топливо, районов/районы...
    assert found[0][1]["cover"] == pytest.approx(1.0)
    assert found[0][1]["word"] > 0.85
    # Russian function words carry no weight: a query of them alone finds nothing.
    assert index.query("и что это было бы", top=2) == []


def test_across_languages_figures() -> None:
    articles = gold_articles("en")
    direct, translit, bridge = (crosslang.evaluate(DATA / "gold.json", m, articles)
                                for m in crosslang.METHODS)
    assert direct["sourced"] == 9
    # Names and numbers alone help a little; the aligned English version bridges fully.
    assert translit["mrr"] > direct["mrr"]
    assert bridge["top1"] >= 0.95 and bridge["top1"] > translit["top1"]


def test_bridge_needs_aligned_versions() -> None:
    text = read("transcript_ru.txt")
    with pytest.raises(ValueError, match="not aligned"):
        crosslang.build("bridge", "t", text, "ru", "One line only. Two.")
    with pytest.raises(ValueError, match="needs the transcript's version"):
        crosslang.build("bridge", "t", text, "ru")
