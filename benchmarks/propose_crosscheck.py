"""Cross-checks for pre-annotation's generic layer (the lexicon of reporting verbs and the
structural checks on its classes) that approximate held-out figures now that every gold
set has been read while the rules were written.

A developer's tool, not part of the application. Two checks:

* ``history``: the rules as they stood when a round's gold was committed (before any
  rule was changed against it: git commits ``ROUNDS``), measured on that round and the
  later ones, as they were and with the generic layer of today grafted on (its block of
  ``propose_rules.py`` replacing the old word lists, and the same one-line calls to its
  checks). The generic layer was written from general knowledge of reporting verbs,
  not from those rounds' texts, so "old rules + generic layer" on a later round is a
  held-out figure of what the layer adds.
* ``swap``: every set, with each frame verb outside quotation marks ("said", "told",
  "added", …) replaced by a reporting verb of the same tense that no gold text uses
  ("contended", "assured", …), gold offsets moved with the text. The rules of today
  with and without the lexicon: how much of a frame's recognition hangs on the verb
  being one seen before.

Run ``python benchmarks/propose_crosscheck.py [history|swap]`` from the checkout (it
needs git for ``history``).
"""

from __future__ import annotations

import importlib.util
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests" / "data"
# Each round's gold commit: the rules at that commit were written before the round was read.
ROUNDS = {
    8: ("fca7788", ("propose_events8", "propose_events9", "propose_events10")),
    9: ("16ebabc", ("propose_events9", "propose_events10")),
    10: ("85fa47f", ("propose_events10",)),
}

# The generic layer's one-line calls, as (text in the rules of a round, text with the call).
_CALLS = (
    ('            participle = (m.end() + (that.end() if that else 0), body_end)\n',
     '            if _participle_without_clause(verb, that):\n                continue\n'
     '            participle = (m.end() + (that.end() if that else 0), body_end)\n'),
    ('        if any(a <= m.start() < b for a, b in handled):\n            continue\n',
     '        if any(a <= m.start() < b for a, b in handled):\n            continue\n'
     '        if _manner_without_quotation(verb, sentence[:m.start()]):\n            continue\n'),
    ('        elif verb not in ("quoted", "quotes") and (\n',
     '        elif _object_is_no_clause(verb, near_that, clause_after, tail):\n            continue\n'
     '        elif verb not in ("quoted", "quotes") and (\n'),
    ('f.words in _PARTICIPLES for f in frames', '_is_participle(f.words) for f in frames'),
    ('        skip = 0\n        if verb in ("told", "tells", "tell", "quoted", "quotes"):\n',
     '        skip = 0\n        hearer = _hearer(verb, after)\n        if hearer:\n'
     '            obj_channel, skip = _resolve(hearer.group(1), ctx)[1], hearer.end()\n'
     '        if verb in ("told", "tells", "tell", "quoted", "quotes"):\n'),
    (r'        near_that = re.match(r"[^,\u201c\"]{0,40}?\bthat(?:\s+|,\s*)", sentence[rest_at:])' + "\n",
     r'        near_that = re.match(r"[^,\u201c\"]{0,40}?\bthat(?:\s+|,\s*)", sentence[rest_at:])' + "\n"
     "        setting = None if near_that else _pp_that(sentence[m.end() + skip:])\n"
     "        if setting:\n            rest_at, near_that = m.end() + skip, setting\n"),
    (r're.match(r"\s*(?:also |reportedly )?\w+ed\b", tail)', "_PAST_RE.match(tail)"),
    (r'+ "|".join(_ROLE_WORDS) + r")\b", tail)):', r'+ "|".join([*_ROLE_WORDS, *_NAMED_ROLES]) + r")\b", tail)):'),
    (r'            before = re.findall(r"[\w\-]+", text[max(0, m.start() - 40):m.start()].lower())[-3:]' + "\n",
     r'            window = re.split(r"[.!?;:\n\u201d\"]\s", text[max(0, m.start() - 40):m.start()])[-1]' + "\n"
     r'            before = re.findall(r"[\w\-]+", window.lower())[-3:]' + "\n"),
    ('                    if part in _ROLE_WORDS:\n', '                    if part in _ROLE_WORDS or part in _NAMED_ROLES:\n'),
    ('    if lowered[-1] in _ROLE_WORDS or lowered[-1] in ("pm",):\n',
     '    if lowered[-1] in _NAMED_ROLES and lowered[-1] not in _ROLE_WORDS:\n'
     '        named = ctx.roles.get(lowered[-1], "")\n'
     '        return (named, "", False) if named and lowered[0] not in ("a", "an", "one", "another") \\\n'
     '            else ("", "", False)\n'
     '    if lowered[-1] in _ROLE_WORDS or lowered[-1] in ("pm",):\n'),
    ("    ctx.person_roles = _person_roles(ctx.roles)\n",
     "    ctx.person_roles = _person_roles(ctx.roles)\n    ctx.genders = _genders(text, ctx.persons)\n"),
    ("                ctx.last_speaker or ctx.main_person\n        channel =",
     "                ctx.last_speaker or ctx.main_person\n"
     "            said_by = next((f.words.split()[0].lower() for f in frames if f.pronoun and f.words.split()), \"\")\n"
     "            speaker = _agreeing(speaker, said_by, text, s_start, ctx)\n        channel ="),
    ("    outlets: frozenset[str] = frozenset()",
     "    genders: dict = field(default_factory=dict)\n    outlets: frozenset[str] = frozenset()"),
    ('    """(speaker, channel, is_pronoun_or_role) for the noun phrase before a verb."""\n',
     '    """(speaker, channel, is_pronoun_or_role) for the noun phrase before a verb."""\n'
     '    if _unnamed_head(phrase):\n        return "", "", False\n'
     r'    if re.fullmatch(r"[A-Z][a-z\-]*(?:\s+[a-z\-]+){0,2}", phrase.strip()) and ' + "\\\n"
     '            phrase.split()[-1].lower() in _NAMED_ROLES and phrase.split()[0].lower() not in ("a", "an"):\n'
     '        phrase = "the " + phrase.strip().lower()\n'),
    ("            if obj is None or len(obj.group(1).split()) > 5:\n"
     + r'                obj = re.match(r"\s+((?:the\s+)?[\w\u2019' + "'" + r'\-]+)", after)',
     "            if obj is None or len(obj.group(1).split()) > 5 or _has_finite_verb(obj.group(1)):\n"
     + r'                obj = re.match(r"\s+((?:the\s+)?[\w\u2019' + "'" + r'\-]+)", after)'),
    ("    head = sentence[:verb_at]\n    for _ in range(3):",
     '    head = _RAISING_RE.sub("", sentence[:verb_at].rstrip())\n    for _ in range(3):'),
    ('            if verb == "calling":', '            if verb in _NAMING_ING:'),
    ('        if verb == "called":', '        if verb in _NAMING:'),
    ("    proposals = [p for p in proposals if p.speaker]\n",
     "    proposals = [p for p in _speakers_of_repeated(proposals, text)\n"
     "                 if p.speaker and not (p.mode == DIRECT and _is_question(p.text))]\n"),
    ('                    or (head.rstrip().endswith(",") and tail.startswith(","))\n',
     '                    or (head.rstrip().endswith(",") and tail.startswith(","))\n'
     '                    or re.match(r",\\s+(?:who|whose)\\b", tail)\n'),
    ("    handled: list[tuple[int, int]] = []\n",
     "    frames += _view_frames(sentence, start, body_end, ctx, _resolve, _trim, inside_quote)\n"
     "    handled: list[tuple[int, int]] = []\n"),
    (r'    head = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", head)' + "\n",
     "    head = _strip_between(head)\n" + r'    head = re.sub(r"\s*\([A-Z]{2,6}\)\s*$", "", head)' + "\n"),
    (r'            r"did|does)\b", tail)' + "\n",
     r'            r"did|does)\b", tail)' + "\n        trailing = trailing and not _quoted_topic(tail)\n"),
    ("        if (verb in _ACTS or verb in _PROMISES) and not (postposed or near_that):",
     "        if (verb in _ACTS or verb in _PROMISES) and not (postposed or near_that or _parenthetical(tail)):"),
    ('    head = head.rstrip(" ,")\n', '    head = _without_age(head.rstrip()).rstrip(" ,")\n'),
    ("                    continue  # a fragment in the author's sentence (\"warns against \u201c\u2026\u201d\")\n",
     "                    continue\n                if _unnamed_frame(text, q[0], quote.end, s_start, s_end):\n"
     "                    continue\n"),
    ("    if role_named and role_named.group(1) in _ROLE_WORDS and not frames",
     "    if role_named and _headline_role(role_named.group(1)) and not frames"),
    ('        speaker = _resolve("the " + role_named.group(1), ctx)[0] or ctx.main_person\n',
     '        speaker = _resolve("the " + role_named.group(1), ctx)[0] or (\n'
     '            ctx.main_person if role_named.group(1) in _ROLE_WORDS else "")\n'),
    ('re.match(r"\\s*(?:in|at|on|during|after|before|speaking|writing|who|whose)\\s",',
     're.match(r"\\s*(?:in|at|on|during|after|before|speaking|writing|who|whose|"\n'
     '        r"quoted|cited|interviewed|asked|pressed|responding|"\n'
     '        r"reacting|replying|answering|addressing|appearing)\\s",'),
    ('    """"X, Director of …, also stated": the name before an appositive."""\n',
     '    """"X, Director of …, also stated": the name before an appositive."""\n'
     '    stripped = _strip_between(head)\n'
     '    head = stripped if not _VERB_RE.search(stripped[stripped.find(","):]) else head\n'),
)


def _generic_block() -> str:
    rules = (ROOT / "cisannotate" / "core" / "propose_rules.py").read_text(encoding="utf-8")
    return rules[rules.index("# Verbs that report speech."):rules.index("_EXPRESSED_RE = ")]


def _graft(source: str) -> str:
    """The old monolithic ``propose.py`` with today's generic layer."""
    start, end = source.index("# Verbs that report speech."), source.index("_EXPRESSED_RE = ")
    source = source[:start] + _generic_block() + source[end:]
    source = re.sub(r"^(from dataclasses import [^\n]*\n)",
                    lambda m: m.group(1) + "\nfrom .propose_lexicon import (\n    BASE, COMMIT_FINITE, FINITE, MANNER_FINITE, "
                    "NOUN_OBJECT_FINITE, PARTICIPLE_ANY, PARTICIPLES_THAT, TELL_FINITE, word_regex,\n)\n",
                    source, count=1, flags=re.M)
    for old, new in _CALLS:
        if source.count(old) != 1:
            raise SystemExit(f"cannot graft: {old.strip()!r} found {source.count(old)} times")
        source = source.replace(old, new)
    speakers = (ROOT / "cisannotate" / "core" / "propose_speakers.py").read_text(encoding="utf-8")
    return source + "\n\n" + speakers[speakers.index("_QUOTED_RE = "):speakers.index("def _person_roles(")]


def _measure_in(package_root: Path, folders: list[str], swapped: bool = False) -> str:
    """Run the evaluation with the ``cisannotate`` package under ``package_root``."""
    code = f"""
import sys, importlib.util
sys.path.insert(0, {str(package_root)!r})
import cisannotate.core.propose
assert cisannotate.core.propose.__file__.startswith({str(package_root)!r})
spec = importlib.util.spec_from_file_location("propose_eval", {str(ROOT / 'benchmarks' / 'propose_eval.py')!r})
ev = importlib.util.module_from_spec(spec); sys.modules["propose_eval"] = ev; spec.loader.exec_module(ev)
from pathlib import Path
gold = {{}}
for f in {folders!r}:
    gold.update(ev.load_held_out(Path({str(TESTS)!r}) / f))
if {swapped!r}:
    sys.path.insert(1, {str(ROOT / 'benchmarks')!r})
    import random, propose_crosscheck as pc
    rng = random.Random(17)
    gold = {{a: pc._swapped(t, u, rng) for a, (t, u) in gold.items()}}
r = ev.measure(gold)
print(f"{{r['gold']}} {{r['proposed']}} {{r['matched']}} {{r['speaker_recall'] * r['gold']:.0f}}")
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=package_root)
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout.strip()


def _fmt(figures: str) -> str:
    gold, prop, hit, speaker = (int(x) for x in figures.split())
    return (f"units {gold:>3}  proposed {prop:>3}  found {hit:>3}  precision {hit / max(prop, 1):.3f}"
            f"  recall {hit / gold:.3f}  speaker recall {speaker / gold:.3f}")


def history() -> None:
    for round_no, (commit, sets) in ROUNDS.items():
        with tempfile.TemporaryDirectory() as tmp:
            base = Path(tmp)
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "cisannotate"],
                                     capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", str(base)], input=archive, check=True)
            target = base / "cisannotate" / "core" / "propose.py"
            for folder in sets:
                label = f"round {round_no} rules on {folder}"
                print(f"{label:<45} as then:       {_fmt(_measure_in(base, [folder]))}")
            old = target.read_text(encoding="utf-8")
            target.write_text(_graft(old), encoding="utf-8")
            (base / "cisannotate" / "core" / "propose_lexicon.py").write_text(
                (ROOT / "cisannotate" / "core" / "propose_lexicon.py").read_text(encoding="utf-8"),
                encoding="utf-8")
            for folder in sets:
                label = f"round {round_no} rules on {folder}"
                print(f"{label:<45} + generic:     {_fmt(_measure_in(base, [folder]))}")
            # That the graft is live: the frame verbs swapped, with and without it.
            label = f"round {round_no} rules, {sets[0]} verbs swapped"
            print(f"{label:<45} + generic:     {_fmt(_measure_in(base, [sets[0]], swapped=True))}")
            target.write_text(old, encoding="utf-8")
            print(f"{label:<45} as then:       {_fmt(_measure_in(base, [sets[0]], swapped=True))}")


# Frame verbs replaced in ``swap``, by form, and what replaces them (verbs no gold text uses
# as a frame). "told" keeps its hearer: "assured the station that".
_SWAP = {
    "said": ("contended", "asserted", "affirmed", "reckoned", "maintained", "averred"),
    "says": ("contends", "asserts", "affirms", "reckons", "maintains"),
    "added": ("reasoned", "contended", "affirmed"),
    "told": ("assured", "reminded", "informed"),
}


def _swapped(text: str, units: list, rng: random.Random) -> tuple[str, list]:
    quoted = [(m.start(), m.end()) for m in re.finditer(r"[\u201c\"][^\u201d\"\n]*[\u201d\"]", text)]
    pieces: list[str] = []
    shifts: list[tuple[int, int]] = []  # (position in the old text, change of length after it)
    at = 0
    for m in re.finditer(r"\b(" + "|".join(_SWAP) + r")\b", text):
        if any(a <= m.start() < b for a, b in quoted):
            continue
        new = rng.choice(_SWAP[m.group(1)])
        pieces += [text[at:m.start()], new]
        shifts.append((m.end(), len(new) - len(m.group(1))))
        at = m.end()
    pieces.append(text[at:])

    def move(pos: int) -> int:
        return pos + sum(d for p, d in shifts if p <= pos)

    import dataclasses
    return "".join(pieces), [dataclasses.replace(u, start=move(u.start), end=move(u.end)) for u in units]


def swap() -> None:
    sys.path.insert(0, str(ROOT))
    spec = importlib.util.spec_from_file_location("propose_eval", ROOT / "benchmarks" / "propose_eval.py")
    ev = importlib.util.module_from_spec(spec)
    sys.modules["propose_eval"] = ev
    spec.loader.exec_module(ev)
    folders = [TESTS / "propose_dev", *(TESTS / f"propose_events{n}" for n in ("", *range(2, 11)))]
    gold = {}
    for folder in folders:
        gold.update(ev.load_held_out(folder))
    rng = random.Random(17)
    swapped = {article: _swapped(text, units, rng) for article, (text, units) in gold.items()}
    import cisannotate.core.propose_frames as frames_module
    import cisannotate.core.propose_rules as rules

    def run(label: str, data: dict) -> None:
        r = ev.measure(data)
        figures = f"{r['gold']} {r['proposed']} {r['matched']} {r['speaker_recall'] * r['gold']:.0f}"
        print(f"{label:<52} {_fmt(figures)}")

    run("original texts, rules of today", gold)
    run("verbs swapped, rules of today", swapped)
    core = re.compile(r"\b(called on|called for|made clear|made it clear|pointed out|"
                      + "|".join(sorted([*rules._CORE_VERBS, "called", "blamed", "promised", "pledged", "vowed",
                                         "urged", "demanded", *rules._ACTS], key=len, reverse=True))
                      + r")\b|(?:(?<=, )|(?<=\bby ))(" + "|".join([*rules._PARTICIPLES, "calling"]) + r")\b")
    frames_module._VERB_RE = core
    run("verbs swapped, rules of today without the lexicon", swapped)
    run("original texts, rules of today without the lexicon", gold)


def main(argv: list[str] | None = None) -> None:
    which = (argv if argv is not None else sys.argv[1:]) or ["history", "swap"]
    for name in which:
        {"history": history, "swap": swap}[name]()


if __name__ == "__main__":
    main()
