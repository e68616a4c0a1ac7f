"""Archive scale: 50,000 articles (about 150 MB) and 500 transcripts.

``python benchmarks/archive.py [--scale 0.1] [--keep DIR] [--json FILE]`` writes the
synthetic archive as text files with a manifest (``synthetic.py``'s sentences, fixed
seeds), imports it with ``cisannotate import`` (one whole process), and measures
on the project it made:

* import: wall time, peak memory of the process, progress calls, and how soon a
  cancel stops it (and that nothing was written);
* the project file's size;
* launch of the window to its first paint, and its peak memory
  (``gui_harness.py launch``);
* filtering the corpus navigator as the user types (``gui_harness.py filter``);
* corpus search: ``Store.search`` and ``cisannotate.search.concordance``;
* the suggestion index over every transcript (``Suggester.index``).

It takes minutes at full scale and is not part of the default ``make bench`` or the
tests; ``--scale`` shrinks the archive (0.1: 5,000 articles and 50 transcripts).
``--keep DIR --reuse`` measures the project already imported in DIR again (no writing,
import or cancel; a project of an older schema is upgraded on the first launch, as a
user's would be); ``--only NAME`` runs some measures. ``make bench ARGS="--archive DIR"``
runs these measures after the others, building the archive in DIR on first use and
reusing it after.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from run import Row, child, load1, machine, table, user_env  # noqa: E402
from synthetic import _OUTLETS, sentence, text_of  # noqa: E402

ARTICLES, TRANSCRIPTS = 50_000, 500
QUERIES = ("border", "revolution*", '"joint training"', "NEAR(border services, 5)", "cyber OR trafficking")
MEASURES = ("import", "launch", "filter", "search", "suggest")


def write_archive(folder: Path, articles: int, transcripts: int, seed: int = 20) -> int:
    """Article and transcript files with their manifest.csv; returns the total bytes of text."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    per_event = max(1, articles // transcripts)
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "kind", "title", "outlet", "date", "event", "language"])
        for ev in range(transcripts):
            event = f"event-{ev:04d}"
            date = f"20{10 + ev % 15:02d}-{1 + ev % 12:02d}-{1 + ev % 28:02d}"
            title = f"Briefing {ev} of the ministry"
            text = text_of(rng, 300, title=title).text
            name = f"{event}-transcript.txt"  # the manifest names files by their base name
            (folder / name).write_text(text, encoding="utf-8")
            total += len(text.encode("utf-8"))
            writer.writerow([name, "transcript", title, "Ministry", date, event, "en"])
            for a in range(per_event):
                title = f"Report {ev}-{a}: " + sentence(rng)[:60].rstrip(" ,.")
                text = text_of(rng, 31, title=title).text
                name = f"{event}-article-{a:04d}.txt"
                (folder / name).write_text(text, encoding="utf-8")
                total += len(text.encode("utf-8"))
                writer.writerow([name, "article", title, _OUTLETS[a % len(_OUTLETS)], date, event, "en"])
    return total


def run_import(project: Path, folder: Path) -> tuple[float, float, str]:
    """``cisannotate import`` as a whole process: wall seconds, peak RSS (MB), error."""
    script = (
        "import resource, sys\n"
        "from cisannotate.__main__ import main\n"
        "code = main(sys.argv[1:])\n"
        "print('PEAK_RSS_MB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
        "sys.exit(code)\n"
    )
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", script, "import", str(project), str(folder),
                           "--manifest", str(folder / "manifest.csv")],
                          env=user_env(), capture_output=True, text=True, timeout=3600)
    wall = time.perf_counter() - start
    rss = next((float(line.split()[1]) for line in proc.stdout.splitlines() if line.startswith("PEAK_RSS_MB")), 0.0)
    error = "" if proc.returncode == 0 else f"exit {proc.returncode}: {proc.stderr.strip()[-300:]}"
    return wall, rss, error


def measure_cancel(folder: Path, scratch: Path) -> dict:
    """Import in this process, cancelling at half of the files: calls, cancel latency, documents left."""
    from cisannotate.storage import Store
    from cisannotate.services.importing import import_files

    store = Store.open(scratch / "cancel.cisannotate", create=True)
    calls, when = [0], [0.0]

    def progress(done: int, total: int, _path: Path) -> bool:
        calls[0] += 1
        if done >= total // 2:
            when[0] = time.perf_counter()
            return False
        return True

    import_files(store, [folder], manifest=folder / "manifest.csv", progress=progress)
    stopped = time.perf_counter() - when[0]
    left = len(store.documents())
    store.close()
    return {"calls": calls[0], "cancel_seconds": stopped, "documents_after_cancel": left}


def measure_search(project: Path) -> tuple[list[float], list[float], dict[str, int], dict[str, list[float]]]:
    from cisannotate.search import concordance
    from cisannotate.storage import Store

    store = Store.open(project, read_only=True)
    store.search(QUERIES[0])  # warm the page cache, as a second search in a session
    plain, kwic, counts = [], [], {}
    cpu: dict[str, list[float]] = {"search": [], "concordance": []}
    for query in QUERIES:
        start, start_cpu = time.perf_counter(), time.process_time()
        hits = store.search(query)
        plain.append((time.perf_counter() - start) * 1000)
        cpu["search"].append((time.process_time() - start_cpu) * 1000)
        start, start_cpu = time.perf_counter(), time.process_time()
        result = concordance(store, query)
        kwic.append((time.perf_counter() - start) * 1000)
        cpu["concordance"].append((time.process_time() - start_cpu) * 1000)
        counts[query] = len(hits) if not result.lines else len(result.lines)
    store.close()
    return plain, kwic, counts, cpu


def measure_suggest_index(project: Path) -> tuple[float, float, int]:
    from cisannotate.storage import Store
    from cisannotate.suggestions import Suggester

    store = Store.open(project, read_only=True)
    start = time.perf_counter()
    index = Suggester(store).index
    seconds = time.perf_counter() - start
    lines = len(index.lines)
    store.close()
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, lines


def closed_cleanly(project: Path) -> None:
    """Leave the project as a window closed normally leaves it: its log written back into it.

    Each measured window ends with ``os._exit`` (nothing saved, no teardown), which leaves
    the write-ahead log beside the file; the next opening would then find a log waiting
    and check the whole file before showing it, which a user's next opening does not.
    """
    import sqlite3

    conn = sqlite3.connect(project)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def measure(folder: Path, scale: float = 1.0, *, reuse: bool = False, only: set[str] | None = None
            ) -> tuple[list[Row], str, float]:
    """The archive's rows in ``folder`` (built there unless ``reuse`` and already there), its
    label and the project file's size in MB."""
    from run import Context

    chosen = set(only or MEASURES)
    articles, transcripts = max(1, round(ARTICLES * scale)), max(1, round(TRANSCRIPTS * scale))
    folder.mkdir(parents=True, exist_ok=True)
    # The windows' data folders (with the backup each opening takes) go in a scratch folder.
    ctx = Context(Path(tempfile.mkdtemp(prefix="runs-", dir=folder)), None, False)
    rows: list[Row] = []
    files = folder / "files"
    project = folder / "archive.cisannotate"
    if not (files / "manifest.csv").exists():
        print(f"writing {articles:,} articles and {transcripts:,} transcripts…", file=sys.stderr, flush=True)
        size = write_archive(files, articles, transcripts)
    else:
        size = sum(p.stat().st_size for p in files.glob("*.txt"))
        articles = sum(1 for _ in files.glob("*-article-*.txt"))
        transcripts = sum(1 for _ in files.glob("*-transcript.txt"))
    label = f"{articles:,} articles + {transcripts:,} transcripts ({size / 1e6:.0f} MB)"
    if not (reuse and project.exists()):
        for stale in folder.glob("archive.cisannotate*"):
            stale.unlink()
        print("importing…", file=sys.stderr, flush=True)
        load = load1()
        wall, rss, error = run_import(project, files)
        if "import" in chosen:
            rows.append(Row(f"import {label}, whole process", [wall], "s", 120, load=load, error=error,
                            note=f"peak RSS {rss:.0f} MB"))
            rows.append(Row("peak memory (max RSS) of the import", [rss], "MB", 600, "worst", load=load))
            print("cancelling an import…", file=sys.stderr, flush=True)
            for stale in folder.glob("cancel.cisannotate*"):
                stale.unlink()
            cancel = measure_cancel(files, folder)
            rows.append(Row("import cancelled at half: from the cancel to the return", [cancel["cancel_seconds"]],
                            "s", 1, load=load1(), error="" if cancel["documents_after_cancel"] == 0 else
                            f"{cancel['documents_after_cancel']} documents left after the cancel",
                            note=f"{cancel['calls']:,} progress calls; nothing written"))
    if "launch" in chosen:
        print("launching the window…", file=sys.stderr, flush=True)
        load = load1()
        results = []
        for _ in range(3):
            closed_cleanly(project)
            results.append(child("launch", project, ctx))
        errors = "; ".join(r["error"] for r in results if "error" in r)
        good = [r for r in results if "error" not in r]
        cpu = sorted(r["cpu"] for r in good if "cpu" in r)
        rows.append(Row(f"archive: launch to first paint, {label}", [r["seconds"] for r in good], "s", 2,
                        load=load, error=errors,
                        note=f"CPU time of the process (all threads, from its start): median {cpu[len(cpu) // 2]:.2f} s, "
                        f"worst {cpu[-1]:.2f} s" if cpu else ""))
        if good:
            rows.append(Row("archive: peak memory (max RSS) of the window", [r["peak_rss_mb"] for r in good], "MB",
                            600, "worst", load=load))
    if "filter" in chosen:
        print("filtering the navigator…", file=sys.stderr, flush=True)
        load = load1()
        closed_cleanly(project)
        result = child("filter", project, ctx)
        cpu = sorted(result.get("cpu", []))
        cpu_note = f"; CPU time a key: median {cpu[len(cpu) // 2]:.0f} ms, worst {cpu[-1]:.0f} ms" if cpu else ""
        rows.append(Row("archive: corpus navigator, one key typed in its filter, to the repainted list",
                        result.get("samples", []), "ms", 100, "p95", load=load, error=result.get("error", ""),
                        note=f"{result.get('documents', 0):,} documents listed{cpu_note}; typed once the "
                        f"background check of the file had finished ({result.get('check_waited', 0):.1f} s after "
                        "the window was up)"))
    if "search" in chosen:
        print("searching…", file=sys.stderr, flush=True)
        load = load1()
        plain, kwic, counts, cpu = measure_search(project)
        def cpu_note(name: str) -> str:
            times = sorted(cpu.get(name, []))
            return f"CPU time: median {times[len(times) // 2]:.0f} ms, worst {times[-1]:.0f} ms" if times else ""

        rows.append(Row("archive: corpus search (Store.search, first 200 hits)", plain, "ms", 200, "median",
                        load=load, note="hits of each query " + "; ".join(f"{q!r} {n}" for q, n in counts.items())
                        + "; " + cpu_note("search")))
        rows.append(Row("archive: concordance (cisannotate.search.concordance, first 2,000 hits)", kwic, "ms", 200,
                        "median", load=load, note=cpu_note("concordance")))
    if "suggest" in chosen:
        print("building the suggestion index…", file=sys.stderr, flush=True)
        load = load1()
        seconds, peak, lines = measure_suggest_index(project)
        rows.append(Row(f"archive: suggestion index over every transcript ({lines:,} lines)", [seconds], "s", 10,
                        load=load, note=f"peak RSS of the measuring process {peak:.0f} MB"))
    shutil.rmtree(ctx.folder, ignore_errors=True)
    project_mb = sum(p.stat().st_size for p in folder.glob("archive.cisannotate*")) / 2**20
    rows.append(Row("archive: project file (with its -wal), reported", [project_mb], "MB", None,
                    note=f"{label}; {project_mb * 2**20 / size:.1f} bytes per byte of text"))
    return rows, label, project_mb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the archive (default 1: 50,000 articles)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="measure the project already imported in --keep DIR")
    parser.add_argument("--only", action="append", choices=MEASURES, help="run only this measure (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args(argv)
    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cisannotate-archive-"))
    try:
        rows, label, project_mb = measure(folder, args.scale, reuse=args.reuse and args.keep is not None,
                                          only=set(args.only or MEASURES))
        print()
        print(f"project file: {project_mb:.0f} MB for {label}")
        print(table(rows))
        if args.json:
            args.json.write_text(json.dumps({"machine": info, "scale": args.scale, "project_mb": project_mb, "rows": [
                {"name": r.name, "unit": r.unit, "samples": r.samples, "target": r.limit, "stat": r.stat,
                 "passed": r.passed(), "load": r.load, "error": r.error, "note": r.note} for r in rows]}, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0 if all(r.passed() for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
