"""Pre-annotation's lexicon of reporting verbs: the classes of speech-act and
communication verbs, with every inflection a frame may use.

A frame is found by its structure (a person, a verb of one of these classes, a
clause), not by a list of phrasings: a verb that no article the rules were written on
used ("contended", "reaffirmed", "retorted") frames a clause the same way "said" does.
The classes decide how:

* ``ASSERT``: the verb takes what was said as a clause ("X contended (that) …", "…,
  X contended"); a person's ``-ing`` form after a comma or "by/after/while" goes on
  with the sentence's speaker only before "that" (", conceding that …"), except the
  plain reporting verbs of ``PARTICIPLE_ANY`` (", saying …").
* ``TELL``: the verb takes the hearer first ("X assured investors that …").
* ``COMMIT``: promises, requests and demands, whose object is what was said ("X vowed
  to …", "X implored the council to …"): the whole sentence is the claim.
* ``MANNER``: verbs of manner of speaking ("shouted", "laughed"), a frame only after a
  quotation ("“…,” she laughed").
* ``EVIDENTIAL``: "suggest", "indicate", "signal", "hint", "imply": with a person as
  subject a report, but their ``-ing`` form after a comma is usually the writer's
  inference ("prices fell, suggesting that …"), so never a participle frame.

Inflections are generated here (regular rules with the doubling and irregular forms
listed) rather than by an inflection library: the lemmas are known in advance, and the
library's data would cost its load at every start.
"""

from __future__ import annotations

import re

# Verbs that report an assertion and take a clause.
ASSERT = """
say add note state declare assert affirm reaffirm aver maintain insist claim contend argue
reason explain clarify stress emphasise emphasize underline underscore reiterate repeat
restate observe remark comment mention acknowledge admit concede confess agree concur
deny dispute confirm reveal disclose announce proclaim report recount recall
predict forecast estimate reckon speculate conclude allege charge complain lament grumble
protest object boast brag joke quip muse reply respond answer retort counter rebut
write tweet post testify swear warn caution
suggest hint imply indicate signal believe specify summarise
summarize opine posit theorise theorize surmise accept recognise recognize attest interject
demur crow gloat bemoan decry deplore regret guess insinuate highlight recollect
""".split()
# Verbs of ASSERT whose object is often a noun phrase ("mentioned the plan",
# "underlined the importance of …"): a clause only after "that", with a finite verb or
# a pronoun subject.
NOUN_OBJECT = """mention underline underscore reaffirm restate repeat reiterate recall recount
dispute forecast predict estimate specify summarise summarize announce proclaim report
reveal disclose confirm state note tweet post write testify swear rebut charge object hint
imply indicate signal suggest clarify stress emphasise emphasize answer counter accept
recognise recognize bemoan decry deplore regret highlight recollect""".split()
# Verbs that take the hearer before the clause ("told", "assured investors that").
TELL = """tell assure reassure remind inform warn advise brief caution notify
alert""".split()
# Promises, requests and demands: the object is what was said.
COMMIT = """promise pledge vow urge demand threaten implore beseech beg request appeal
recommend guarantee exhort""".split()
# Manner of speaking: a frame only after a quotation.
MANNER = """shout yell scream whisper mutter murmur exclaim sigh laugh snap scoff
chuckle sneer groan cry thunder bark fume gush marvel""".split()
# With a person as subject a report; their -ing form after a comma is the writer's.
EVIDENTIAL = """suggest hint imply indicate signal""".split()
# -ing forms that go on with the sentence's speaker without "that" (", saying …").
PARTICIPLE_ANY = """saying adding noting stressing warning insisting arguing explaining
telling writing claiming""".split()
# -ing forms that take a prepositional object, never a clause (", responding to …").
_NOT_PARTICIPLES = frozenset("""replying responding answering commenting posting reporting
countering objecting protesting complaining joking laughing""".split())

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing"),
    "swear": ("swore", "swears", "swearing"),
    "forecast": ("forecast", "forecasts", "forecasting", "forecasted"),
    "cry": ("cried", "cries", "crying"),
    "reply": ("replied", "replies", "replying"),
    "beseech": ("besought", "beseeches", "beseeching"),
}
# Final consonants doubled before -ed/-ing (stress on the last syllable; British -ll).
_DOUBLE = frozenset("admit quip regret submit commit omit refer confer prefer transmit beg aver concur brag marvel demur "
                    "signal snap rebut".split())
_BRITISH_L = frozenset(("signal", "marvel"))


def inflect(lemma: str) -> tuple[str, ...]:
    """The past, third person singular and -ing forms of a verb (and a second spelling
    of the past and -ing form where British and American spelling differ)."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if re.search(r"(?:s|sh|ch|x|z)$", lemma):
        third = lemma + "es"
    elif re.search(r"[^aeiou]y$", lemma):
        third = lemma[:-1] + "ies"
    else:
        third = lemma + "s"
    if lemma in _DOUBLE:
        doubled = lemma + lemma[-1]
        forms: tuple[str, ...] = (doubled + "ed", third, doubled + "ing")
        if lemma in _BRITISH_L:
            forms += (lemma + "ed", lemma + "ing")
        return forms
    if lemma.endswith("ee"):
        return (lemma + "d", third, lemma + "ing")
    if lemma.endswith("e"):
        return (lemma + "d", third, lemma[:-1] + "ing")
    if re.search(r"[^aeiou]y$", lemma):
        return (lemma[:-1] + "ied", third, lemma + "ing")
    return (lemma + "ed", third, lemma + "ing")


def finite_forms(lemmas) -> list[str]:
    """Past and third person singular forms (a frame's verb)."""
    out: list[str] = []
    for lemma in lemmas:
        forms = inflect(lemma)
        out += [forms[0], forms[1], *forms[3:4]]
    return list(dict.fromkeys(out))


def ing_forms(lemmas) -> list[str]:
    out: list[str] = []
    for lemma in lemmas:
        forms = inflect(lemma)
        out += [forms[2], *forms[4:5]]
    return list(dict.fromkeys(out))


def word_regex(words) -> str:
    """One regular expression for many words, as a trie ("sa(?:id|ys)"): an alternation
    of hundreds of words would be tried one by one at every position."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(trie)


# The finite verbs of a frame; base forms only of "say" and "tell" ("did not say that …").
# Promises and requests in the past only: "Lie vows to fight on" heads an article.
FINITE = list(dict.fromkeys(["say", "tell", *finite_forms(ASSERT), *finite_forms(TELL),
                             *(inflect(lemma)[0] for lemma in COMMIT)]))
MANNER_FINITE = frozenset(finite_forms(MANNER)) - frozenset(FINITE)
# Base forms after "to" ("went on to stress that …"), "say" and "tell" being matched anywhere.
BASE = [lemma for lemma in dict.fromkeys([*ASSERT, *TELL]) if lemma not in ("say", "tell")] + ["point out"]
# The forms (finite and base) of the verbs that often take a noun phrase.
NOUN_OBJECT_FINITE = frozenset([*finite_forms(NOUN_OBJECT), *NOUN_OBJECT])
TELL_FINITE = frozenset(["tell", *finite_forms(TELL)])
COMMIT_FINITE = frozenset(finite_forms(COMMIT))
PARTICIPLES_THAT = [w for w in ing_forms([*ASSERT, *TELL, *COMMIT])
                    if w not in _NOT_PARTICIPLES and w not in ing_forms(EVIDENTIAL)
                    and w not in PARTICIPLE_ANY]
