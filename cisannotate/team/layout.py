"""The team repository's layout: its marker file, the members' files, the shared codebook.

See ``sync`` for the whole layout and why it is so.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..team_settings import TeamError
from . import codebook as cb

TEAM_FILE = "cisannotate-team.json"
LAYOUT_VERSION = 1

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def file_name(layer: str) -> str:
    """The file of a layer or member: its name with anything unsafe for a file name escaped."""
    escaped = _SAFE_NAME.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), layer)
    return f"{escaped}.json" if escaped not in ("", ".", "..") else f"%{escaped}.json"


def check_team_file(folder: Path) -> None:
    path = folder / TEAM_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TeamError(f"the repository has no {TEAM_FILE}: it is not a cisannotate team repository") from None
    except (OSError, ValueError) as exc:
        raise TeamError(f"{TEAM_FILE} in the team repository cannot be read ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != "cisannotate-team":
        raise TeamError(f"{TEAM_FILE} does not describe a cisannotate team repository")
    if not isinstance(data.get("version"), int) or data["version"] > LAYOUT_VERSION:
        raise TeamError(f"the team repository uses layout version {data.get('version')}, newer than this "
                        f"cisannotate knows ({LAYOUT_VERSION}); update cisannotate")


def members(folder: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((folder / "members").glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            found[str(data["name"])] = [str(x) for x in data["layers"]]
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found


def read_codebook(folder: Path) -> cb.Snapshot:
    path = folder / "codebook.json"
    if not path.exists():
        return cb.empty()
    try:
        return cb.from_file(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise TeamError(f"the team's codebook.json cannot be read ({exc}); ask who changed it last") from exc


README = """# A cisannotate team repository

This repository is written by cisannotate (`cisannotate team sync`, or Team ▸ Sync in the
window). Do not edit its files by hand: every member's sync rewrites them.

- `corpus/`: the texts (one file per text, named by its SHA-256) and their metadata.
- `codebook.json`: the categories, speakers and channels the team shares.
- `members/`: one file per member, naming the layers that member writes.
- `layers/`: one file per layer (each annotator's, and `reviewed`), in cisannotate's
  exchange format; only its owner's sync writes it.
"""
