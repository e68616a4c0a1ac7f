"""The default codebook a new project starts with: claim categories for
coverage of political speech. Users edit it per project in the window."""

from __future__ import annotations

from .model import Category

# name, colour, key, description. Colours are a colour-blind-safe qualitative
# palette (Okabe-Ito) lightened for text highlighting; each also has a key
# letter drawn beside the highlight, so colour is never the only cue.
DEFAULT_CATEGORIES: tuple[tuple[str, str, str, str], ...] = (
    ("Accusation", "#f4a6a6", "A", "Blames or charges another party (a state, bloc, group or person)."),
    ("Threat", "#f7c873", "T", "Describes a danger, risk or hostile plan."),
    ("Call to action", "#9ccfef", "C", "Urges, demands or proposes that someone act."),
    ("Success claim", "#a8dcb0", "S", "Claims an achievement, progress or a positive trend."),
    ("Partnership", "#c9b3e6", "P", "Cooperation, integration, alliance or shared interest."),
    ("Factual report", "#d9d9d9", "F", "A checkable statement of events, figures or circumstances."),
    ("Other", "#f0e68c", "O", "A claim that fits no other category."),
)


def default_categories() -> list[Category]:
    return [
        Category(id=f"cat-{i + 1}", name=name, color=color, shortcut=key, description=desc, position=i)
        for i, (name, color, key, desc) in enumerate(DEFAULT_CATEGORIES)
    ]
