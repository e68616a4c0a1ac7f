"""Throughput of whole processes against the peers' bar, and the suggestion index at archive size.

Called by ``run.py`` (``--only cli``, ``--only index``):

* ``cisannotate import`` of the 2,000 article files (6.2 MB, with their manifest) into a new
  project, and ``cisannotate export`` of the big project's 10,000 annotations (native
  JSON), each the whole process from the parent's clock, alternating with the floor
  ``python -c pass`` after one untimed warm-up of each. The targets are the peers'
  figures on the same data (Label Studio's warm server: 1.07 s to import, 0.27 s to
  export; doccano imports in 1.53 s), measured once on a quiet machine and recorded here
  as the bar, since neither peer is installed where the benchmark runs.
* the suggestion index over 500 transcripts of 300 sentences (150,000 source lines, the
  archive's), built by ``suggestions.build_index`` in a worker thread of a fresh process, as
  the window builds it: wall and CPU time, the process's peak memory, and how late the main
  thread's wake-ups ran meanwhile (what the window's event loop would feel).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PEER_IMPORT = 1.07  # Label Studio 1.23, warm server, 2,000 articles
PEER_IMPORT_DOCCANO = 1.53
PEER_EXPORT = 0.27  # Label Studio, 10,000 annotations

INDEX_TRANSCRIPTS, INDEX_SENTENCES = 500, 300


def _timed(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, str]:
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    error = "" if proc.returncode == 0 else \
        f"{' '.join(command[2:4])}: exit {proc.returncode}: " + (proc.stderr.strip().splitlines() or ["?"])[-1]
    return wall, cpu, error


def measure_cli(ctx, Row, load1, user_env, big_project) -> None:
    from synthetic import write_article_files

    folder = ctx.folder / "articles"
    if not folder.exists():
        write_article_files(folder)
    big = big_project(ctx).path
    exe = [sys.executable, "-m", "cisannotate"]
    env = user_env()
    out = ctx.folder / "cli-export.json"

    def import_command(n: str) -> list[str]:
        return [*exe, "import", str(ctx.folder / f"cli-import-{n}.cisannotate"), str(folder),
                "--manifest", str(folder / "manifest.csv")]

    export_command = [*exe, "export", str(big), "-o", str(out)]
    floor_command = [sys.executable, "-c", "pass"]
    load = load1()
    for command in (floor_command, import_command("warm"), export_command):  # untimed warm-up
        _timed(command, ctx.folder, env)
    samples: dict[str, list[tuple[float, float]]] = {"floor": [], "import": [], "export": []}
    errors = {"import": "", "export": ""}
    for i in range(ctx.repeat(5)):
        samples["floor"].append(_timed(floor_command, ctx.folder, env)[:2])
        for name, command in (("import", import_command(str(i))), ("export", export_command)):
            wall, cpu, error = _timed(command, ctx.folder, env)
            samples[name].append((wall, cpu))
            errors[name] = errors[name] or error
    floor = [w for w, _ in samples["floor"]]
    for name, label, peer, extra in (
        ("import", "cisannotate import of 2,000 articles (6.2 MB), whole process", PEER_IMPORT,
         f"; doccano {PEER_IMPORT_DOCCANO:.2f} s"),
        ("export", "cisannotate export of 10,000 annotations (native JSON), whole process", PEER_EXPORT, ""),
    ):
        walls = [w for w, _ in samples[name]]
        cpu = statistics.median(c for _, c in samples[name])
        ctx.rows.append(Row(label, walls, "s", peer, "median", load=load, error=errors[name], floor=floor,
                            note=f"CPU {cpu:.2f} s; the peers' bar: Label Studio (warm server) {peer:.2f} s"
                                 f"{extra}; floor `python -c pass` {statistics.median(floor):.3f} s"))


# The index is built in a worker thread, on a reader, as the window does; the main thread
# meanwhile wakes every 5 ms, as an event loop would, and notes how late each wake-up is
# (the worker holds the GIL during some steps).
_INDEX_CHILD = """
import json, resource, sys, threading, time
from pathlib import Path
from cisannotate.storage import Store
from cisannotate.suggestions import build_index
store = Store.open(Path(sys.argv[1]), read_only=True)
built = []
def work():
    reader = store.reader()
    cpu = time.thread_time()
    built.append(build_index(reader)[0])
    built.append(time.thread_time() - cpu)
    reader.close()
worker = threading.Thread(target=work)
wall = time.perf_counter()
worker.start()
late, last = [], time.perf_counter()
while worker.is_alive():
    time.sleep(0.005)
    now = time.perf_counter()
    late.append(now - last - 0.005)
    last = now
worker.join()
wall = time.perf_counter() - wall
late.sort()
print(json.dumps({"wall": wall, "cpu": built[1], "lines": len(built[0]), "late": late[-1],
                  "late95": late[int(0.95 * (len(late) - 1))],
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def index_project(ctx) -> Path:
    """500 transcripts of 300 sentences each (the archive's transcripts), imported once."""
    import csv
    import random

    from synthetic import text_of

    from cisannotate.storage import Store
    from cisannotate.services.importing import import_files

    path = ctx.folder / "transcripts.cisannotate"
    if path.exists():
        return path
    folder = ctx.folder / "transcripts"
    folder.mkdir()
    rng = random.Random(20)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "kind", "title", "outlet", "date", "event", "language"])
        for ev in range(INDEX_TRANSCRIPTS):
            name = f"event-{ev:04d}-transcript.txt"
            title = f"Briefing {ev} of the ministry"
            (folder / name).write_text(text_of(rng, INDEX_SENTENCES, title=title).text, encoding="utf-8")
            writer.writerow([name, "transcript", title, "Ministry",
                             f"20{10 + ev % 15:02d}-{1 + ev % 12:02d}-{1 + ev % 28:02d}", f"event-{ev:04d}", "en"])
    store = Store.open(path)
    import_files(store, [folder], manifest=folder / "manifest.csv")
    store.close()
    return path


def measure_index(ctx, Row, load1, user_env) -> None:
    project = index_project(ctx)
    load = load1()
    results, error = [], ""
    for _ in range(ctx.repeat(3)):
        proc = subprocess.run([sys.executable, "-c", _INDEX_CHILD, str(project)], env=user_env(),
                              capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            error = (proc.stderr.strip().splitlines() or ["?"])[-1]
            break
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    lines = results[0]["lines"] if results else 0
    ctx.rows.append(Row(f"suggestion index over {lines:,} source lines (500 transcripts), as the window's worker builds it",
                        [r["wall"] for r in results], "s", 10.0, "median", load=load, error=error,
                        note=f"CPU {statistics.median(r['cpu'] for r in results):.2f} s" if results else ""))
    ctx.rows.append(Row("peak memory (max RSS) of the process that built it", [r["rss"] for r in results],
                        "MB", 600, "worst", load=load, error=error))
    # On a loaded machine the main thread also waits for a core, so the worst wait is noted
    # and the target is on the 95th percentile of a run's waits.
    ctx.rows.append(Row("meanwhile, how late the main thread wakes (95th percentile of a run)",
                        [r["late95"] * 1000 for r in results], "ms", 50.0, "median", load=load, error=error,
                        note="the longest waits: " + ", ".join(f"{r['late'] * 1000:.0f} ms" for r in results)))
