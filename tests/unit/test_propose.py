"""Pre-annotation: the rules on small original texts, the figures on the hand-made gold,
and the ``propose`` command."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from cisannotate.cli import run
from cisannotate.core.propose import DIRECT, INDIRECT, PARTIAL, find_quotations, propose
from cisannotate.storage import Store
from cisannotate.services.importing import import_files

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
import propose_eval  # noqa: E402  (the developer's evaluation tool, not shipped)

EVENTS = REPO / "tests" / "data" / "events"


def units(text: str, speakers=()) -> list[tuple[str, str, str, str]]:
    return [(p.text, p.mode, p.speaker, p.channel) for p in propose(text, speakers)]


def test_direct_quote_with_frame_after_it():
    text = "“The bridge will open in May,” Mayor Lena Ortis said on Monday."
    assert units(text) == [("The bridge will open in May", DIRECT, "Lena Ortis", "")]


def test_quote_over_two_sentences_and_straight_marks():
    text = 'Lena Ortis spoke first. "We are late. We will not be late again," Ortis said.'
    assert units(text) == [("We are late. We will not be late again", DIRECT, "Lena Ortis", "")]


def test_frame_first_with_that_and_a_time():
    text = "Lena Ortis said on Wednesday that the tunnel would cost twice as much."
    assert units(text) == [("the tunnel would cost twice as much", INDIRECT, "Lena Ortis", "")]


def test_partial_quote_is_the_clause():
    text = 'Lena Ortis said the plan had "no chance at all" without new money.'
    assert units(text) == [('the plan had "no chance at all" without new money', PARTIAL,
                            "Lena Ortis", "")]


def test_according_to_a_channel_and_a_person():
    text = ("Mayor Lena Ortis opened the session. According to Radio Brill, Ortis said the "
            "council would vote in June. The budget is tight, according to the mayor.")
    found = units(text)
    assert ("the council would vote in June", INDIRECT, "Lena Ortis", "Radio Brill") in found
    assert ("The budget is tight", INDIRECT, "Lena Ortis", "") in found


def test_channel_reports_that_a_person_did():
    text = "The Harbour Times reports that Lena Ortis promised a new ferry for the islands."
    assert units(text) == [("Lena Ortis promised a new ferry for the islands", INDIRECT,
                            "Lena Ortis", "Harbour Times")]


def test_told_an_audience_or_a_medium():
    text = ("Lena Ortis told councillors that the tunnel was safe. "
            "“It has passed every test,” she told the Harbour Times.")
    assert units(text) == [("the tunnel was safe", INDIRECT, "Lena Ortis", ""),
                           ("It has passed every test", DIRECT, "Lena Ortis", "Harbour Times")]


def test_pronouns_and_roles_take_the_last_speaker_and_known_names_win():
    text = ("Ortis spoke to the council. The mayor said the tunnel was safe. "
            "“We checked it twice,” she added.")
    found = units(text, speakers=["Lena Ortis"])
    assert [f[2] for f in found] == ["Lena Ortis", "Lena Ortis"]


def test_apostrophes_are_not_quotations():
    text = "The drivers' union and the city's council met. It's late, the mayor's aide said."
    assert find_quotations(text) == []
    single = "'Nobody is to blame but the weather': Ortis's plea to the council"
    assert [single[s:e] for s, e, _ in find_quotations(single)] == ["Nobody is to blame but the weather"]


def test_a_quote_left_open_ends_with_its_paragraph_and_takes_the_next_frame():
    text = ("“The first part of the speech goes on.\n\n"
            "“And it ends here,” Lena Ortis said.")
    found = units(text)
    assert [(f[0], f[1], f[2]) for f in found] == [
        ("The first part of the speech goes on.", DIRECT, "Lena Ortis"),
        ("And it ends here", DIRECT, "Lena Ortis")]


def test_offsets_are_code_points_after_an_emoji():
    text = "🚢 “The ferry sails at noon,” Lena Ortis said."
    (p,) = propose(text)
    assert text[p.start:p.end] == "The ferry sails at noon" and p.start == 3


def test_no_frame_no_proposal():
    assert propose("The council met on Monday. The tunnel is 4 km long.") == []
    assert propose("") == []


# --- the hand-made gold ---------------------------------------------------------------

def test_gold_stores_offsets_and_hashes_only():
    data = json.loads((REPO / "tests" / "data" / "propose_gold.json").read_text(encoding="utf-8"))
    for unit in data["units"]:
        assert set(unit) == {"corpus", "article", "start", "end", "sha1", "speaker", "mode", "channel"}
        assert unit["mode"] in (DIRECT, PARTIAL, INDIRECT)
    assert sum(u["corpus"] == "events" for u in data["units"]) >= 50


def test_gold_hashes_match_the_texts():
    for article, (text, gold_units) in propose_eval.load_gold().items():
        for u in gold_units:
            assert len(hashlib.sha1(text[u.start:u.end].encode()).hexdigest()) == 40


def test_quality_on_the_fictional_events():
    """In sample (the rules were written reading these articles): measured precision
    0.934, recall 1.000 over the 57 units (the splits at ", saying …" that this gold
    keeps whole, and one promise it leaves out, count as extra proposals)."""
    gold = {k: v for k, v in propose_eval.load_gold().items() if not k[:3].isdigit()}
    result = propose_eval.measure(gold)
    assert result["gold"] >= 50
    assert result["recall"] >= 0.95 and result["precision"] >= 0.9
    assert min(result["speaker"], result["mode"], result["channel"]) >= 0.9


@pytest.mark.skipif(not propose_eval.CORPUS.is_dir(), reason="sample corpus not found")
def test_quality_on_the_real_articles():
    gold = {k: v for k, v in propose_eval.load_gold().items() if k[:3].isdigit()}
    result = propose_eval.measure(gold)
    assert result["gold"] == 39
    assert result["recall"] >= 0.95 and result["precision"] >= 0.9


def test_held_out_gold_sets_are_frozen_and_measured():
    """The held-out sets, each written and committed before the rules were changed
    against it; the newest is the one reported held out (see docs/suggestions.md for the
    figure each had when it was first run). The floors guard against a change that
    breaks the rules on text they were not written for."""
    counts = {folder.name: sum(len(u) for _, u in propose_eval.load_held_out(folder).values())
              for folder in (*propose_eval.EARLIER_HELD_OUT_DIRS, propose_eval.HELD_OUT_DIR)}
    assert counts == {"propose_events": 69, "propose_events2": 57, "propose_events3": 55,
                      "propose_events4": 45, "propose_events5": 44, "propose_events6": 40,
                      "propose_events7": 39, "propose_events8": 42, "propose_events9": 44,
                      "propose_events10": 34, "propose_events11": 138, "propose_events12": 115}
    events = propose_eval.by_event(propose_eval.load_held_out())
    assert sorted(events) == ["brenholt", "caddow", "quillon", "skarda"]
    result = propose_eval.measure(propose_eval.load_held_out())
    assert result["recall"] >= 0.8 and result["precision"] >= 0.85
    assert result["exact_recall"] <= result["recall"]
    assert result["speaker_recall"] <= result["recall"]


def test_held_out_gold_names_each_span_once(tmp_path):
    (tmp_path / "a.txt").write_text("Ortis said the quay was safe. Ortis said the quay was safe.",
                                    encoding="utf-8")
    (tmp_path / "gold.tsv").write_text("a.txt\tindirect speech\tLena Ortis\t\tthe quay was safe\n",
                                       encoding="utf-8")
    with pytest.raises(ValueError, match="gold.tsv:1"):
        propose_eval.load_held_out(tmp_path)


def test_held_out_sample_is_measured():
    result = propose_eval.measure(propose_eval.load_sample())
    assert result["gold"] >= 25 and 0 < result["recall"] <= 1


# --- the command ----------------------------------------------------------------------

@pytest.fixture
def events_project(tmp_path) -> Path:
    path = tmp_path / "events.cisannotate"
    store = Store.open(path)
    import_files(store, [EVENTS], manifest=EVENTS / "manifest.csv")
    store.close()
    return path


def test_propose_command_table_and_json(events_project, capsys):
    assert run(["propose", str(events_project), "sarn_herald.txt"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["#", "range", "mode", "speaker", "channel", "text"]
    assert "Helga Voss (new)" in out and "direct quote" in out
    assert run(["propose", str(events_project), "sarn_herald.txt", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = (EVENTS / "sarn_herald.txt").read_text(encoding="utf-8")
    assert data["proposals"] and all(text[p["start"]:p["end"]] == p["text"] for p in data["proposals"])
    assert {p["speaker_id"] for p in data["proposals"]} == {None}
    # Nothing was written.
    store = Store.open(events_project, read_only=True)
    assert store.count_spans() == 0 and store.speakers() == []
    store.close()


def test_propose_command_refuses_a_transcript_and_an_unknown_document(events_project, capsys):
    assert run(["propose", str(events_project), "sarn_congress_speech.txt"]) == 1
    assert "is a transcript" in capsys.readouterr().err
    assert run(["propose", str(events_project), "no-such-article"]) == 1
    err = capsys.readouterr().err
    assert str(events_project) in err


# --- frames after the clause, names and channels ----------------------------------------

def test_frame_after_the_clause_with_a_long_object_and_a_time():
    text = ("The ferry will run all winter, Mayor Lena Ortis told the island's harbour and "
            "transport councillors on Friday.")
    assert units(text) == [("The ferry will run all winter", INDIRECT, "Lena Ortis", "")]


def test_quote_with_opening_remarks_frame_is_the_quote_alone():
    text = ("“Nobody will be left on the quay,” Lena Ortis said in opening remarks at Brill "
            "Hall, the council's new chamber.")
    assert units(text) == [("Nobody will be left on the quay", DIRECT, "Lena Ortis", "")]


def test_frame_inside_the_clause_keeps_what_follows_it():
    text = ("The tunnel will open in May, Lena Ortis told the council, but the tolls will "
            "stay until 2030.")
    assert units(text) == [("The tunnel will open in May, Lena Ortis told the council, but the "
                            "tolls will stay until 2030", INDIRECT, "Lena Ortis", "")]


def test_name_after_the_verb():
    text = "“The timetable is a fantasy,” said Piet Morrow, an engineer at the port."
    assert units(text) == [("The timetable is a fantasy", DIRECT, "Piet Morrow", "")]


def test_organisations_and_countries_are_not_speakers():
    text = ("The Harbour Users' Association said the fees were too high. Brill says the "
            "ferry is safe. Mayor Lena Ortis said the fees would fall.")
    assert units(text) == [("the fees would fall", INDIRECT, "Lena Ortis", "")]


def test_title_words_are_left_out_of_the_name():
    text = "Council Secretary-General Ada Quist said the vote would be held in June."
    assert units(text) == [("the vote would be held in June", INDIRECT, "Ada Quist", "")]


def test_wire_dateline_is_not_part_of_the_clause():
    text = ("BRILL, March 3 (Coast Wire) - The ferry will run all winter, Mayor Lena Ortis "
            "said on Monday.")
    assert units(text) == [("The ferry will run all winter", INDIRECT, "Lena Ortis", "")]


def test_nested_report_names_the_inner_speaker_and_the_channel():
    text = ("Mayor Lena Ortis visited the port. Radio Brill reported that Ortis had told "
            "the harbour board that the ferry would run all winter.")
    assert units(text) == [("the ferry would run all winter", INDIRECT, "Lena Ortis", "Radio Brill")]


def test_quoted_by_a_medium_as_saying():
    text = ("The port's director, Piet Morrow, was quoted by the Coast Herald as saying that "
            "the quay would close in May.")
    assert units(text) == [("the quay would close in May", INDIRECT, "Piet Morrow", "Coast Herald")]


def test_a_second_frame_names_the_channel_and_ends_the_clause():
    text = ("Mayor Lena Ortis spoke first. “We will pay for the quay,” Ortis said, Brillpost "
            "reported. Ortis said the work would take a year, the agency added.")
    assert units(text) == [("We will pay for the quay", DIRECT, "Lena Ortis", "Brillpost"),
                           ("the work would take a year", INDIRECT, "Lena Ortis", "Brillpost")]


def test_a_role_is_the_person_the_article_gives_it():
    text = ("Mayor Lena Ortis opened the session. Piet Morrow, director of the port, said "
            "the quay was unsafe. The ferry will keep running, according to the mayor.")
    assert units(text)[-1] == ("The ferry will keep running", INDIRECT, "Lena Ortis", "")


def test_according_to_a_document_is_no_frame():
    text = "Traffic fell by a third last year, according to figures released by the port."
    assert units(text) == []


def test_partial_quote_ends_with_its_closing_mark():
    text = 'Lena Ortis said the plan was "dead."'
    assert units(text) == [('the plan was "dead."', PARTIAL, "Lena Ortis", "")]


def test_called_with_a_quotation_and_a_second_said_without_a_subject():
    text = ("Piet Morrow called the plan “a gift to shipowners” on Monday, and said the "
            "fees would double.")
    assert units(text) == [("the plan “a gift to shipowners”", PARTIAL, "Piet Morrow", ""),
                           ("the fees would double", INDIRECT, "Piet Morrow", "")]


def test_headline_name_and_colon():
    text = "Ortis: the ferry stays\n\nMayor Lena Ortis spoke on Monday."
    assert units(text) == [("the ferry stays", INDIRECT, "Lena Ortis", "")]


def test_quote_that_goes_on_after_its_frame():
    text = "“Nobody is left behind,” Lena Ortis said, “and nobody pays twice.”"
    assert units(text) == [("Nobody is left behind", DIRECT, "Lena Ortis", ""),
                           ("and nobody pays twice.", DIRECT, "Lena Ortis", "")]


def test_he_is_the_person_the_last_sentence_was_about():
    text = ("Mayor Lena Ortis said the quay would close. The harbour master, Piet Morrow, "
            "was not convinced. The quay was safe, he said.")
    assert units(text)[-1] == ("The quay was safe", INDIRECT, "Piet Morrow", "")


def test_a_medium_in_an_opening_phrase_is_the_channel():
    text = "In an interview with the Brill Courier, Lena Ortis said the quay would reopen."
    assert units(text) == [("the quay would reopen", INDIRECT, "Lena Ortis", "Brill Courier")]


def test_a_role_of_an_institution_and_a_deputy_are_different_people():
    text = ("By Ana Vell, Brill Courier\n\nMayor Lena Ortis spoke. The port's deputy director, "
            "Piet Morrow, spoke too. The mayor of the City of Brill told councillors that the "
            "quay would reopen.")
    assert units(text) == [("the quay would reopen", INDIRECT, "Lena Ortis", "")]


def test_according_to_a_medium_between_two_clauses_of_one_speaker():
    text = ("Mayor Lena Ortis said the quay was safe, according to Radio Brill, and that "
            "the ferry would run.")
    assert units(text) == [("the quay was safe", INDIRECT, "Lena Ortis", "Radio Brill"),
                           ("the ferry would run", INDIRECT, "Lena Ortis", "Radio Brill")]


def test_a_writers_comment_after_the_clause_is_left_out():
    text = ("Mayor Lena Ortis said the fees would fall, in the clearest sign yet that the "
            "port is recovering.")
    assert units(text) == [("the fees would fall", INDIRECT, "Lena Ortis", "")]


def test_a_proposal_or_accusation_is_the_whole_sentence():
    text = "Mayor Lena Ortis proposed a second quay for the ferries."
    assert units(text) == [("Mayor Lena Ortis proposed a second quay for the ferries", INDIRECT,
                            "Lena Ortis", "")]


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker():
    text = ("“The quay is safe,” Lena Ortis said. “The ferry will run all winter.\n\n"
            "“And it will run on time.”\n\nThe council meets on Monday.")
    assert [f[0] for f in units(text)] == ["The quay is safe", "The ferry will run all winter.",
                                           "And it will run on time."]
    assert {f[2] for f in units(text)} == {"Lena Ortis"}


def test_what_an_annotator_marked_is_not_proposed_again(tmp_path):
    """The sample's annotators marked "“Anyone who attacks …,” Marrow said in opening
    remarks at Halden House" with its frame: the quotation inside is not offered again,
    while the command still lists the article's other proposals."""
    from cisannotate.proposals import Proposer
    from cisannotate.sample import create_sample_project

    store = create_sample_project(tmp_path / "sample.cisannotate")
    try:
        doc = store.resolve_document("report_nordlight.txt")
        text = store.text(doc.id)
        marked = [(s.start, s.end) for s in store.spans(doc.id)]
        everything = propose(text, [s.name for s in store.speakers()])
        quote = next(p for p in everything if p.text.startswith("Anyone who attacks a hospital"))
        assert any(a <= quote.start and quote.end <= b for a, b in marked)
        offered = Proposer(store).propose(doc.id)
        assert all(not p.proposal.text.startswith("Anyone who attacks") for p in offered)
        assert 0 < len(offered) < len(everything)
    finally:
        store.close()


def test_a_participle_frame_ends_the_clause_before_it():
    text = ("Mayor Lena Ortis confirmed on Monday that the quay will close, saying the piles "
            "are too old to repair.")
    assert units(text) == [("the quay will close", INDIRECT, "Lena Ortis", ""),
                           ("the piles are too old to repair", INDIRECT, "Lena Ortis", "")]


def test_what_follows_a_frame_in_mid_sentence_goes_on_with_the_clause():
    text = ("Mayor Lena Ortis spoke. The city would spend 9 million on the quay, she added, "
            "more than in the previous ten years.")
    assert units(text) == [("The city would spend 9 million on the quay, she added, more than in "
                            "the previous ten years", INDIRECT, "Lena Ortis", "")]


def test_told_the_agency_of_the_dateline_and_said_on_a_broadcaster():
    text = ("BRILL, March 3 (Coast Wire) - Mayor Lena Ortis told the agency that the quay "
            "would close. Piet Morrow, the harbour master, said on Brill TV that it would not.")
    assert units(text) == [("the quay would close", INDIRECT, "Lena Ortis", "Coast Wire"),
                           ("it would not", INDIRECT, "Piet Morrow", "Brill TV")]


def test_a_medium_quoted_a_person_as_saying():
    text = "Mayor Lena Ortis spoke. Radio Brill quoted Ortis as saying that the quay was safe."
    assert units(text) == [("the quay was safe", INDIRECT, "Lena Ortis", "Radio Brill")]


def test_an_unnamed_official_is_nobody_the_article_names():
    text = ("Mayor Lena Ortis spoke. The Coast Herald quoted a senior official as saying that "
            "the quay would close.")
    assert units(text) == []


def test_the_role_is_not_the_last_speaker_who_has_another_role():
    text = ("Lena Ortis opened the quay. Piet Morrow, the opposition leader, said it was too "
            "late. The mayor said the quay had cost less than planned.")
    assert units(text)[-1] == ("the quay had cost less than planned", INDIRECT, "Lena Ortis", "")


def test_a_clause_after_the_verb_wins_over_a_comma_before_it():
    text = "Brill closes its quay, Ortis says ferries will moor in Sand\n\nMayor Lena Ortis spoke."
    assert units(text) == [("ferries will moor in Sand", INDIRECT, "Lena Ortis", "")]


def test_the_head_of_an_organisation_is_the_person_before_it():
    text = ("Piet Morrow, chief executive of Brill Ferries, told the Coast Herald the fares "
            "would rise.")
    assert units(text) == [("the fares would rise", INDIRECT, "Piet Morrow", "Coast Herald")]


def test_blamed_with_a_quotation_and_a_headline_naming_a_role():
    text = ("“The quay was neglected”: mayor’s verdict on the collapse\n\n"
            "Mayor Lena Ortis spoke on Monday. She blamed “years of cuts” for the collapse.")
    assert units(text) == [("The quay was neglected", DIRECT, "Lena Ortis", ""),
                           ("“years of cuts” for the collapse", PARTIAL, "Lena Ortis", "")]


def test_a_headline_role_before_anyone_spoke_is_the_articles_main_figure():
    text = ("“The quay was neglected”: mayor’s verdict\n\nBy Ana Vell\n\nLena Ortis opened the "
            "inquiry. Ortis said the quay had been neglected. Piet Morrow did not comment.")
    found = units(text, speakers=["Piet Morrow", "Lena Ortis"])
    assert found[0] == ("The quay was neglected", DIRECT, "Lena Ortis", "")


def test_a_second_verb_after_and_takes_the_sentences_subject():
    text = ("Mayor Lena Ortis thanked the harbour master for his years of service and said a "
            "new one would be appointed.")
    assert units(text) == [("a new one would be appointed", INDIRECT, "Lena Ortis", "")]


def test_a_clause_opening_with_but_is_not_an_opening_phrase():
    text = ("Mayor Lena Ortis spoke. But the records had been incomplete, she added, and two "
            "clerks had left.")
    assert units(text) == [("But the records had been incomplete, she added, and two clerks had "
                            "left", INDIRECT, "Lena Ortis", "")]


def test_a_person_of_a_lowercase_group_and_a_frame_in_a_relative_clause():
    text = ("Speaking to the Brill Courier, Piet Morrow of the ferry users’ group said the fares "
            "were too high. The quay, which Morrow said would cost 9 million, opens in May.")
    assert units(text) == [("the fares were too high", INDIRECT, "Piet Morrow", "Brill Courier"),
                           ("would cost 9 million", INDIRECT, "Piet Morrow", "")]


def test_calling_with_a_quotation_and_by_saying():
    text = ("Mayor Lena Ortis closed the quay on Monday, calling the decision “painful but "
            "necessary”. The mayor opened the meeting by saying that she had “no good news”.")
    assert units(text) == [("the decision “painful but necessary”", PARTIAL, "Lena Ortis", ""),
                           ("she had “no good news”", PARTIAL, "Lena Ortis", "")]


def test_headline_name_then_a_quotation_and_a_title_told():
    text = ("Ortis closes the quay: “Somebody has to decide”\n\nMayor Lena Ortis spoke. "
            "“The piles are rotten,” she told The Islander.")
    assert units(text) == [("Somebody has to decide", DIRECT, "Lena Ortis", ""),
                           ("The piles are rotten", DIRECT, "Lena Ortis", "The Islander")]


def test_a_promise_is_the_whole_sentence_but_not_one_the_writer_reports_denied():
    text = ("Mayor Lena Ortis promised two new ferries within a year. Piet Morrow promised in "
            "May to resign. Morrow did not deny that he had promised in May to resign.")
    assert units(text) == [("Mayor Lena Ortis promised two new ferries within a year", INDIRECT,
                            "Lena Ortis", ""),
                           ("Piet Morrow promised in May to resign", INDIRECT, "Piet Morrow", "")]


def test_that_followed_by_a_verb_is_the_subject_of_the_clause():
    text = "Mayor Lena Ortis said that was a question “for the harbour board”."
    assert units(text) == [("that was a question “for the harbour board”", PARTIAL, "Lena Ortis", "")]


def test_urged_and_called_for_with_an_object_are_the_whole_sentence():
    text = ("Mayor Lena Ortis urged the ferry company to add a night boat. Piet Morrow said "
            "the plan was sound, and called for a vote in June.")
    assert units(text) == [
        ("Mayor Lena Ortis urged the ferry company to add a night boat", INDIRECT, "Lena Ortis", ""),
        ("the plan was sound", INDIRECT, "Piet Morrow", ""),
        ("called for a vote in June", INDIRECT, "Piet Morrow", ""),
    ]


def test_a_platform_the_articles_own_outlet_and_its_wire_are_channels():
    text = ("Quay to close\n\nBy Sara Holm, Brenna Avisen\n\nMayor Lena Ortis told Avisen that "
            "the quay would close. “It is rotten,” she wrote on X. “Nobody can moor there.”")
    assert units(text) == [
        ("the quay would close", INDIRECT, "Lena Ortis", "Brenna Avisen"),
        ("It is rotten", DIRECT, "Lena Ortis", "X"),
        ("Nobody can moor there.", DIRECT, "Lena Ortis", "X"),
    ]
    wire = "BRENNA, May 2 (Nordlight) – “It is rotten,” Mayor Lena Ortis told Nordlight."
    assert units(wire) == [("It is rotten", DIRECT, "Lena Ortis", "Nordlight")]


def test_the_answers_of_a_question_and_answer_interview():
    text = ("Mayor Lena Ortis has run Brenna for ten years. We spoke to her on Monday.\n\n"
            "Why close the quay?\n\n“Because it is rotten. Nobody can moor there.”\n\n"
            "And the ferries?\n\n“They will use the new pier.”")
    assert units(text) == [
        ("Because it is rotten. Nobody can moor there.", DIRECT, "Lena Ortis", ""),
        ("They will use the new pier.", DIRECT, "Lena Ortis", ""),
    ]


def test_a_headline_in_single_marks_ending_in_s_and_a_role_headline():
    assert find_quotations("‘Ferries are not buses’: mayor on the quay") == [(1, 22, True)]
    assert find_quotations("The drivers’ pay and the ‘ferry plan for all’ of the workers’ union")[0][:2] == (26, 44)
    text = ("Brenna mayor: quay “closed for good”\n\nMayor Lena Ortis spoke on Monday. "
            "“It is rotten,” Ortis said.")
    assert units(text)[0] == ("quay “closed for good”", PARTIAL, "Lena Ortis", "")


def test_an_aside_between_the_name_and_the_verb():
    text = ("Mayor Lena Ortis, in an interview with the Danish broadcaster DR, said the quay was "
            "rotten. Piet Morrow, who will lead the review, said he would read every report.")
    assert units(text) == [("the quay was rotten", INDIRECT, "Lena Ortis", "DR"),
                           ("he would read every report", INDIRECT, "Piet Morrow", "")]


def test_according_to_the_stations_translation_and_a_day_before_the_verb():
    text = ("Mayor Lena Ortis told Brenna Radio the quay had to close. “The quay is rotten,” she said in Danish, "
            "according to the station's translation. Brenna's mayor on Monday urged the port "
            "to close it. The mayor ruled out repairs and promised a new pier.")
    got = units(text)
    assert got[1] == ("The quay is rotten", DIRECT, "Lena Ortis", "Brenna Radio")
    assert [g[0] for g in got[2:]] == ["Brenna's mayor on Monday urged the port to close it",
                                       "The mayor ruled out repairs and promised a new pier"]
    assert {g[2] for g in got} == {"Lena Ortis"}


def test_pointing_out_ends_the_clause_and_posted_without_speech_is_no_frame():
    text = ("Mayor Lena Ortis said the date was “tight”, pointing out that the pier was ready. "
            "Piet Morrow said the plans had been copied and posted on a forum.")
    assert units(text) == [
        ("the date was “tight”", PARTIAL, "Lena Ortis", ""),
        ("the pier was ready", INDIRECT, "Lena Ortis", ""),
        ("the plans had been copied and posted on a forum", INDIRECT, "Piet Morrow", ""),
    ]


def test_interview_turns_named_before_a_colon_and_an_interview_headline():
    text = ("“Ferries are not buses”: an interview with Lena Ortis\n\nBrenna Review\n\n"
            "Brenna Review: Will the quay close?\n\n"
            "Lena Ortis: “Yes. It is rotten. Ferries are not buses.”")
    assert units(text) == [("Ferries are not buses", DIRECT, "Lena Ortis", ""),
                           ("Yes. It is rotten. Ferries are not buses.", DIRECT, "Lena Ortis", "")]


def test_asked_to_demanded_after_and_and_background_after_a_postposed_frame():
    text = ("The quay will close on Monday, Mayor Lena Ortis announced on Thursday, after a pile "
            "gave way. Piet Morrow said his crews could not wait and demanded a new pier. "
            "Ortis asked the ferry company to add a night boat. Ortis asked whether it could.")
    assert units(text) == [
        ("The quay will close on Monday", INDIRECT, "Lena Ortis", ""),
        ("his crews could not wait", INDIRECT, "Piet Morrow", ""),
        ("demanded a new pier", INDIRECT, "Piet Morrow", ""),
        ("Ortis asked the ferry company to add a night boat", INDIRECT, "Lena Ortis", ""),
    ]


def test_a_post_on_telegram_remarks_broadcast_by_and_an_opening_interview_phrase():
    text = ("In a post on Telegram Mayor Lena Ortis wrote that the quay would close. Piet Morrow "
            "said in remarks broadcast by Brenna state television that it was “a disgrace”. "
            "In an interview with the Brenna daily Kysten, translated by the Review, he accused "
            "Ortis of “panic”.")
    assert units(text) == [
        ("the quay would close", INDIRECT, "Lena Ortis", "Telegram"),
        ("it was “a disgrace”", PARTIAL, "Piet Morrow", "Brenna"),
        ("he accused Ortis of “panic”", PARTIAL, "Piet Morrow", "Kysten"),
    ]


def test_the_speed_line_is_a_ratio_to_a_floor_of_the_same_run():
    line = propose_eval.speed(repeats=1)
    assert line.startswith("speed: ") and " x the time to split the same text into sentences" in line


def test_a_nested_told_him_stays_in_the_clause_denied_this_and_told_what_are_no_claims():
    text = ("Piet Morrow said his manager, Lena Ortis, had told him the quay was “safe enough”. "
            "Ortis denied this in a statement, saying she had never seen the report. "
            "Morrow told the inquiry what he had seen. Ortis confirmed that the quay had closed.")
    assert units(text) == [
        ("his manager, Lena Ortis, had told him the quay was “safe enough”", PARTIAL, "Piet Morrow", ""),
        ("she had never seen the report", INDIRECT, "Lena Ortis", ""),
        ("the quay had closed", INDIRECT, "Lena Ortis", ""),
    ]


def test_a_video_posted_on_instagram_and_the_bylines_outlet_is_no_person():
    text = ("Quay row\n\nBy Sara Holm, Brenna Avis\n\nIn a video posted on Instagram, Mayor Lena "
            "Ortis said the quay would close. A campaign official told Brenna Avis that the "
            "mayor was wrong.")
    assert units(text) == [("the quay would close", INDIRECT, "Lena Ortis", "Instagram")]
