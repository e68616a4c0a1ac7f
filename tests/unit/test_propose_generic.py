"""Pre-annotation's generic layer: the lexicon of reporting verbs and the frames built on
its classes, on small original sentences (none taken from the gold sets), and that
organisations, unnamed people and questions stay out whatever the verb."""

from __future__ import annotations

import re

import pytest

from cisannotate.core.propose import DIRECT, INDIRECT, PARTIAL, propose
from cisannotate.core.propose_lexicon import (
    ASSERT, COMMIT, FINITE, MANNER, MANNER_FINITE, PARTICIPLES_THAT, TELL, inflect, word_regex,
)


def units(text: str, speakers=()) -> list[tuple[str, str, str, str]]:
    return [(p.text, p.mode, p.speaker, p.channel) for p in propose(text, speakers)]


# ------------------------------------------------------------------ the lexicon

@pytest.mark.parametrize("lemma, forms", [
    ("say", ("said", "says", "saying")),
    ("admit", ("admitted", "admits", "admitting")),
    ("concede", ("conceded", "concedes", "conceding")),
    ("reply", ("replied", "replies", "replying")),
    ("stress", ("stressed", "stresses", "stressing")),
    ("agree", ("agreed", "agrees", "agreeing")),
    ("concur", ("concurred", "concurs", "concurring")),
    ("signal", ("signalled", "signals", "signalling", "signaled", "signaling")),
    ("forecast", ("forecast", "forecasts", "forecasting", "forecasted")),
])
def test_inflections(lemma, forms):
    assert inflect(lemma) == forms


def test_the_lexicon_is_broad_and_every_form_is_matched_whole():
    assert len(set(ASSERT) | set(TELL) | set(COMMIT) | set(MANNER)) >= 120
    pattern = re.compile(r"\b(" + word_regex([*FINITE, *MANNER_FINITE]) + r")\b")
    for word in [*FINITE, *MANNER_FINITE]:
        assert pattern.fullmatch(word), word
    for not_a_verb in ("sai", "contend", "saidx", "reportedly", "statement"):
        assert not pattern.fullmatch(not_a_verb)


def test_participles_of_the_evidential_verbs_are_not_frames():
    assert "suggesting" not in PARTICIPLES_THAT and "indicating" not in PARTICIPLES_THAT
    assert "conceding" in PARTICIPLES_THAT and "responding" not in PARTICIPLES_THAT


# ------------------------------------------------------------- frames by class

@pytest.mark.parametrize("verb", ["contended", "reckoned", "averred", "maintained", "asserted", "reaffirmed"])
def test_any_assertive_verb_before_a_that_clause(verb):
    text = f"Mira Tolland {verb} that the old bridge would hold until spring."
    assert units(text) == [("the old bridge would hold until spring", INDIRECT, "Mira Tolland", "")]


@pytest.mark.parametrize("verb", ["contended", "reckoned", "surmised"])
def test_any_assertive_verb_after_its_clause(verb):
    text = f"The old bridge would hold until spring, Mira Tolland {verb}."
    assert units(text) == [("The old bridge would hold until spring", INDIRECT, "Mira Tolland", "")]


def test_inverted_frame_with_an_unseen_verb():
    text = "Mira Tolland spoke first. “The cables are worn,” retorted Tolland."
    assert units(text) == [("The cables are worn", DIRECT, "Mira Tolland", "")]


def test_manner_of_speaking_frames_only_a_quotation():
    assert units("Mira Tolland met the council. “Not again,” Tolland sighed.") == \
        [("Not again", DIRECT, "Mira Tolland", "")]
    assert units("Mira Tolland sighed and the council went home early that evening.") == []


def test_a_verb_of_telling_takes_its_hearer_and_the_medium_as_channel():
    text = "Mira Tolland assured the Harbour Courier that the ferries would run all winter."
    assert units(text) == [("the ferries would run all winter", INDIRECT, "Mira Tolland", "Harbour Courier")]
    text = "Mira Tolland reminded the councillors gathered in the town hall that the ferries would run."
    assert units(text) == [("the ferries would run", INDIRECT, "Mira Tolland", "")]


def test_a_frame_of_telling_inside_its_clause():
    text = "Mira Tolland spoke first. The ferries, she informed reporters, would run all winter."
    assert [u[1:] for u in units(text)] == [(INDIRECT, "Mira Tolland", "")]


def test_participles_of_the_lexicon_need_that():
    text = "Mira Tolland closed the inquiry on Friday, conceding that the inspections had come too late."
    assert units(text) == [("the inspections had come too late", INDIRECT, "Mira Tolland", "")]
    assert units("Mira Tolland left the hall on Friday, conceding defeat to her rivals.") == []


def test_by_and_after_a_participle():
    text = "Mira Tolland surprised the council by acknowledging that the audit had been right."
    assert units(text) == [("the audit had been right", INDIRECT, "Mira Tolland", "")]
    text = "Mira Tolland left the hall after insisting that the pier would stay open."
    assert units(text) == [("the pier would stay open", INDIRECT, "Mira Tolland", "")]


def test_a_verb_that_often_takes_a_noun_phrase_needs_a_clause():
    assert units("Mira Tolland mentioned the harbour dues in passing at the meeting.") == []
    assert units("Mira Tolland mentioned that the harbour dues would rise in May.") == \
        [("the harbour dues would rise in May", INDIRECT, "Mira Tolland", "")]


def test_a_commitment_is_the_whole_sentence():
    text = "Mira Tolland threatened to close the harbour to freight until the dues were paid."
    assert [u[1:] for u in units(text)] == [(INDIRECT, "Mira Tolland", "")]
    assert units(text)[0][0].startswith("Mira Tolland threatened")


def test_a_named_role_is_the_person_the_article_gives_it():
    text = ("Mira Tolland, the bridge inspector, spoke first. Jonas Brel spoke after her. "
            "“The cables are worn,” the inspector said.")
    assert units(text) == [("The cables are worn", DIRECT, "Mira Tolland", "")]


# ------------------------------------------------- what stays out, whatever the verb

@pytest.mark.parametrize("text", [
    "The ministry contended that the bridge would hold until spring.",
    "The harbour authority reaffirmed that the ferries would run all winter.",
    "An inspector reckoned the old bridge would hold until spring.",
    "Analysts reckon the old bridge will hold until spring.",
    "Diplomats averred that the talks would resume in May.",
    "“The cables are worn,” the inspector said.",  # a role the article gives nobody
    "Prices fell in May, suggesting that demand was weak.",
    "The ministry warned in a statement to the press on Friday that the ferries would stop.",
    "Critics branded the plan “theft” on Friday.",
    "Police went on to confirm that two people had died in the fire.",
    "Mira Tolland chairs the board. The board went on to stress that the ferries would run.",
    "The agency assured investors that the bonds were safe.",
    "Mira Tolland accepted the award on Friday.",
])
def test_organisations_and_unnamed_sources_stay_out(text):
    assert units(text) == []


def test_a_question_stays_out():
    assert units("Mira Tolland asked whether the bridge would hold until spring.") == []


def test_the_setting_of_a_frame_before_that():
    text = ("Mira Tolland said in an address to the closed session of the harbour council on "
            "Friday that the ferries would run all winter.")
    assert units(text) == [("the ferries would run all winter", INDIRECT, "Mira Tolland", "")]
    text = "Mira Tolland warned in a letter to the ministers of the northern provinces that the pier would close."
    assert units(text) == [("the pier would close", INDIRECT, "Mira Tolland", "")]


def test_a_pronoun_agrees_with_the_person_the_article_calls_so():
    text = ("Mira Tolland said the harbour board had been too slow. She has chaired it since May.\n\n"
            "Jonas Brel, the union leader, wants a strike. He called the board timid and his members "
            "agree with him.\n\n"
            "The ferries would run all winter, she said.")
    assert units(text)[-1] == ("The ferries would run all winter", INDIRECT, "Mira Tolland", "")
    # Without a pronoun that shows it, the person the last paragraph was about.
    text = ("Mira Tolland said the harbour board had been too slow.\n\n"
            "Jonas Brel, the union leader, wants a strike.\n\n"
            "The ferries would run all winter, she said.")
    assert units(text)[-1] == ("The ferries would run all winter", INDIRECT, "Jonas Brel", "")


def test_a_headline_with_a_role_the_article_gives_one_person():
    body = ("\n\nMira Tolland, the bridge inspector, told the inquiry on Monday that the cables had "
            "been worn for years.")
    assert units("Bridge inspector tells inquiry the cables were worn" + body)[0] == \
        ("the cables were worn", INDIRECT, "Mira Tolland", "")
    assert units("“We saw the cracks”: the inspector’s story" + body)[0] == \
        ("We saw the cracks", DIRECT, "Mira Tolland", "")
    # Nobody named holds the role: no speaker, no proposal.
    unnamed = "\n\nThe inspectors told the inquiry on Monday that the cables had been worn for years."
    assert units("Bridge inspector tells inquiry the cables were worn" + unnamed) == []


def test_a_hearer_before_a_clause_without_that():
    assert units("Mira Tolland told the inquiry the cables were worn.") == \
        [("the cables were worn", INDIRECT, "Mira Tolland", "")]


def test_a_verb_of_the_lexicon_after_to():
    text = "Mira Tolland went on to stress that the ferries would run all winter."
    assert units(text) == [("the ferries would run all winter", INDIRECT, "Mira Tolland", "")]
    text = "Mira Tolland was quick to point out that the ferries would run all winter."
    assert units(text) == [("the ferries would run all winter", INDIRECT, "Mira Tolland", "")]
    # Declining or not yet having said it is no claim.
    assert units("Mira Tolland declined to confirm that the ferries would run all winter.") == []
    assert units("Mira Tolland has yet to confirm that the ferries would run all winter.") == []


def test_verbs_that_name_in_the_speaker_words():
    assert units("Mira Tolland branded the harbour plan “a gift to speculators” on Friday.") == \
        [("the harbour plan “a gift to speculators”", PARTIAL, "Mira Tolland", "")]
    assert units("Mira Tolland rejected the plan on Friday, describing it as “a gift to speculators”.")[0][2] == \
        "Mira Tolland"
    assert units("Mira Tolland described the harbour plan in detail on Friday.") == []


def test_a_quotation_repeated_from_where_a_person_says_it():
    text = ("“Nobody checked the cables”\n\n"
            "The old bridge over the Sava closed on Monday after inspectors found corrosion.\n\n"
            "Mira Tolland, who has driven over it every day for twenty years, was angry. “I wrote to the "
            "council twice. Nobody checked the cables,” she said.")
    assert units(text) == [("Nobody checked the cables", DIRECT, "Mira Tolland", ""),
                           ("I wrote to the council twice. Nobody checked the cables", DIRECT, "Mira Tolland", "")]
    # A headline that gives the quotation to unnamed people keeps it theirs: no claim.
    unnamed = text.replace("“Nobody checked the cables”\n", "“Nobody checked the cables,” say drivers\n")
    assert [u[0] for u in units(unnamed)] == ["I wrote to the council twice. Nobody checked the cables"]


@pytest.mark.parametrize("sentence, clause", [
    ("In her view, the authority had done nothing wrong.", "the authority had done nothing wrong"),
    ("The authority, in her view, had done nothing wrong.", "The authority, in her view, had done nothing wrong"),
    ("In Tolland’s words, the ferries are the islands’ lifeline.", "the ferries are the islands’ lifeline"),
    ("The ferries are a lifeline, as she put it.", "The ferries are a lifeline"),
    ("As Tolland put it, the ferries are a lifeline.", "the ferries are a lifeline"),
])
def test_frames_that_are_no_verb(sentence, clause):
    found = units("Mira Tolland said the fares would stay. " + sentence)
    assert found[1:] == [(clause, INDIRECT, "Mira Tolland", "")]


def test_a_view_of_an_organisation_is_no_claim():
    assert units("Mira Tolland said the fares would stay. In the ministry’s view, the ferries are a lifeline.")[1:] == []


@pytest.mark.parametrize("sentence, clause", [
    ("Tolland has long argued that the ferries should be free.", "the ferries should be free"),
    ("Tolland flatly denied that the ferries would stop.", "the ferries would stop"),
    ("Tolland bluntly told the council that the money had run out.", "the money had run out"),
    ("Tolland herself admitted the timetable was tight.", "the timetable was tight"),
])
def test_adverbs_between_the_speaker_and_the_verb(sentence, clause):
    assert units("Mira Tolland said the fares would stay. " + sentence)[1:] == \
        [(clause, INDIRECT, "Mira Tolland", "")]


def test_a_negated_verb_is_no_frame_and_a_name_in_ly_stays():
    assert units("Mira Tolland said the fares would stay. The ferries were late, but she has never "
                 "conceded one point.")[1:] == []
    assert units("Anna Kelly said the ferries would run.") == [("the ferries would run", INDIRECT, "Anna Kelly", "")]


@pytest.mark.parametrize("sentence, claim, mode", [
    ("Tolland’s reply was blunt: the ferries would run.", "the ferries would run", INDIRECT),
    ("Tolland’s message to the council was clear: “Find the money.”", "Find the money.", DIRECT),
    ("Tolland put it plainly: the ferries would run.", "the ferries would run", INDIRECT),
    ("Tolland was adamant that the ferries would run.", "the ferries would run", INDIRECT),
    ("She was adamant that the ferries would run.", "the ferries would run", INDIRECT),
])
def test_stance_and_words_named_by_a_noun(sentence, claim, mode):
    assert units("Mira Tolland said the fares would stay. " + sentence)[1:] == [(claim, mode, "Mira Tolland", "")]


@pytest.mark.parametrize("sentence", [
    "It was clear that the ferries would run.",
    "The ministry was adamant that the ferries would run.",
    "The ministry’s reply was blunt: the ferries would run.",
])
def test_stance_of_no_person_is_no_claim(sentence):
    assert units("Mira Tolland said the fares would stay. " + sentence)[1:] == []


def test_an_age_after_the_name_a_frame_inside_its_clause_and_a_quoted_topic():
    pre = "Mira Tolland said the fares would stay. "
    assert units(pre + "“We are ready,” Tolland, 54, told the Harbour Courier.")[1:] == \
        [("We are ready", DIRECT, "Mira Tolland", "Harbour Courier")]
    assert units(pre + "The ferries, Tolland promised, will run on every scheduled day.")[1:] == \
        [("The ferries, Tolland promised, will run on every scheduled day", INDIRECT, "Mira Tolland", "")]
    assert units(pre + "Tolland warned of “chaos” if the council cut the budget.")[1:] == \
        [("of “chaos” if the council cut the budget", PARTIAL, "Mira Tolland", "")]
    assert units(pre + "Tolland spoke of “a betrayal” by the ministry.")[1:] == \
        [("of “a betrayal” by the ministry", PARTIAL, "Mira Tolland", "")]
    assert units(pre + "Tolland spoke of her childhood on the island.")[1:] == []


@pytest.mark.parametrize("sentence", [
    "“The fares are too high,” residents said.",
    "Residents said: “The fares are too high.”",
    "“The fares are too high,” said one resident.",
    "“The fares are too high,” one wrote on Facebook.",
])
def test_a_quotation_whose_frame_names_nobody_is_nobody_s(sentence):
    # Not even the next or the last speaker's.
    text = "Mira Tolland said the fares would stay. " + sentence + " Tolland said the ferries would run."
    assert [u[0] for u in units(text)] == ["the fares would stay", "the ferries would run"]


def test_a_letter_that_reads():
    text = "Mira Tolland said the fares would stay. Tolland’s letter to residents reads: “We owe you an explanation.”"
    assert units(text)[1:] == [("We owe you an explanation.", DIRECT, "Mira Tolland", "")]


def test_a_headline_role_before_a_colon():
    body = ("\n\nMira Tolland, the bridge inspector, told the inquiry on Monday that the cables had "
            "been worn for years.")
    assert units("Bridge inspector: cables were worn for years" + body)[0] == \
        ("cables were worn for years", INDIRECT, "Mira Tolland", "")
    unnamed = ("Inspector: cables were worn for years\n\nThe inspectors told the inquiry on Monday that "
               "the cables had been worn. Mira Tolland said the bridge would reopen.")
    assert [u[0] for u in units(unnamed)] == ["the bridge would reopen"]


def test_a_quoted_question_is_no_claim():
    pre = "Mira Tolland said the fares would stay. "
    assert units(pre + "“Who will pay for this?” Tolland asked.")[1:] == []
    assert units(pre + "“The ferries are full. Why cut them?” she said.")[1:] == \
        [("The ferries are full. Why cut them?", DIRECT, "Mira Tolland", "")]


def test_unnamed_sources_near_a_named_person_and_asides_before_the_verb():
    pre = "Finance Minister Ruth Ekdal said on Monday the budget would hold. "
    assert units(pre + "A source close to the minister said she had resisted new cuts.")[1:] == []
    assert units(pre + "One of her aides said she would stay.")[1:] == []
    text = "Prime Minister Henrik Voll, quoted by the Pellmark Herald, said he had “full confidence” in Ekdal."
    assert units(text) == [("he had “full confidence” in Ekdal", PARTIAL, "Henrik Voll", "Pellmark Herald")]
    text = pre + "Ekdal, a former central banker, has repeatedly warned against what she calls “panic budgeting”."
    assert units(text)[1:] == [("against what she calls “panic budgeting”", PARTIAL, "Ruth Ekdal", "")]


def test_an_op_ed_for_a_paper_names_the_paper():
    text = "Mira Tolland said the fares would stay. In an op-ed for the Harbour Courier, Tolland wrote that the ferries were a lifeline."
    assert units(text)[1:] == [("the ferries were a lifeline", INDIRECT, "Mira Tolland", "Harbour Courier")]
