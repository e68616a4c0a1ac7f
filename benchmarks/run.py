"""Performance benchmarks of cisannotate against its targets.

Run ``make bench`` or ``.venv/bin/python benchmarks/run.py [--quick] [--runs N]
[--only NAME ...] [--json FILE]``. Synthetic corpora (``benchmarks/synthetic.py``,
fixed seeds) are built in a temporary folder; every GUI measure runs in a fresh
process on the offscreen platform (``benchmarks/gui_harness.py``), so each
starts clean. The result is a table (measure, median, p95, worst, runs, target,
pass/miss, 1-minute load average when the measure started) and the machine it
ran on. ``--quick`` makes one run of each measure and fewer repetitions of the
interactive ones; the data sizes stay the same, so the targets still apply.

Measures (NAME for --only in brackets):
  cold start of `cisannotate --help` and `documents`, floor `python -c pass`  [start]
  open and paint a 1 MB transcript (`cisannotate screenshot`), floor a bare
    PySide6 window loading the same text into a QPlainTextEdit and grabbing it  [paint]
  launch to first paint, sample project (floor: the bare window's first paint)
    / 2,000 documents                                       [launch]
  open a 1 MB transcript (10,000 annotations, 2,000 links)  [open]
  add a claim: key press to repainted highlight              [add]
  scroll a page / repaint with highlights and connectors     [scroll]
  one suggestion query at 10,000 source lines                [suggest]
  import 2,000 articles (~6 MB)                              [import]
  export 100,000 annotations (native JSON), merge them       [exchange]
  findings of a 50,000-claim layer: figures, charts, report  [findings]
  agreement report with 95% intervals, 50 documents x 3 annotators  [agreement]
  segment 1 MB of dense sentences, mend wrapped lines         [text]
  import one 21 MB line as a transcript                       [text]
  corpus tree of 2,000 documents: build and refresh           [navigator]
  (these three as a ratio to a floor measured in the same run: see text_bench.py)
  peak memory of the window with the big document open       [open/add/scroll]
  `cisannotate import` of 2,000 articles and `export` of 10,000 annotations,
    whole processes, beside the peers' figures (throughput.py)  [cli]
  the suggestion index over 150,000 source lines: time and peak memory  [index]

With ``--archive DIR`` (``make bench ARGS="--archive DIR"``) the table also has the
archive-scale measures of ``archive.py`` (50,000 articles and 500 transcripts: launch,
navigator filter, corpus search and concordance, suggestion index, memory, the project
file's size), on the archive built in DIR on first use (about 170 MB of files and a
minute or two of import) and reused after. They are not in the default run: building
the archive takes minutes. ``--only archive`` runs them alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

MEASURES = ("start", "paint", "launch", "open", "add", "scroll", "suggest", "import", "exchange", "findings",
            "agreement", "text", "navigator", "cli", "index", "archive")
DEFAULT = MEASURES[:-1]  # the archive only with --archive DIR


@dataclass
class Row:
    name: str
    samples: list[float]  # in the row's unit
    unit: str  # "s", "ms" or "MB"
    limit: float | None  # absolute target of the statistic ``stat`` (None: only a ratio to the floor)
    stat: str = "median"  # which statistic the target applies to: median, p95 or worst
    runs: int | None = None
    load: float = 0.0
    note: str = ""
    error: str = ""
    floor: list[float] | None = None  # samples of the floor, same unit, measured alternately in the same run
    ratio_limit: float | None = None  # target as a ratio of the median to the floor's median

    def ratio(self) -> float | None:
        if not self.floor or not self.samples:
            return None
        return self.value("median") / statistics.median(self.floor)

    def value(self, stat: str) -> float:
        data = sorted(self.samples)
        if stat == "median":
            return statistics.median(data)
        if stat == "worst":
            return data[-1]
        # p95 by nearest rank: the value 95 % of the samples do not exceed
        return data[max(0, -(-95 * len(data) // 100) - 1)]

    def passed(self) -> bool:
        if self.error or not self.samples:
            return False
        if self.limit is not None and not self.value(self.stat) < self.limit:
            return False
        return self.ratio_limit is None or (self.ratio() is not None and self.ratio() < self.ratio_limit)


@dataclass
class Context:
    folder: Path
    runs: int | None
    quick: bool
    rows: list[Row] = field(default_factory=list)
    cache: dict = field(default_factory=dict)

    def repeat(self, default: int) -> int:
        return 1 if self.quick else (self.runs or default)


# ---------------------------------------------------------------- machine
def machine() -> dict[str, str]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    try:
        import PySide6
        from PySide6 import QtCore

        pyside, qt = PySide6.__version__, QtCore.qVersion()
    except ImportError:
        pyside = qt = "not installed"
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} ({usable} usable)",
        "ram": ram,
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyside6": pyside,
        "qt": qt,
    }


def load1() -> float:
    return os.getloadavg()[0]


# ------------------------------------------------------------------- data
def big_project(ctx: Context):
    if "big" not in ctx.cache:
        from synthetic import build_big_project

        ctx.cache["big"] = build_big_project(ctx.folder / "big.cisannotate")
    return ctx.cache["big"]


# --------------------------------------------------------------- children
def child(mode: str, project: Path, ctx: Context, arg: str = "", n: int | None = None) -> dict:
    """Run one GUI measure in a fresh process with a fresh data folder; its result dict."""
    data_dir = tempfile.mkdtemp(prefix="data-", dir=ctx.folder)
    env = user_env()
    if n is not None:
        env["BENCH_N"] = str(n)
    env["BENCH_T0"] = repr(time.time())
    proc = subprocess.run(
        [sys.executable, str(HERE / "gui_harness.py"), mode, str(project), data_dir, arg],
        env=env, capture_output=True, text=True, timeout=900,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit {proc.returncode}: {tail}"}


def _gui_rows(ctx: Context, name: str, results: list[dict], key, unit: str, limit: float, stat: str,
              load: float, scale: float = 1000.0) -> Row:
    errors = [r["error"] for r in results if "error" in r]
    samples = [x * scale for r in results if "error" not in r for x in key(r)]
    return Row(name, samples, unit, limit, stat, load=load, error="; ".join(errors))


def user_env() -> dict[str, str]:
    """The environment of a user's process: offscreen, and Python keeps its bytecode.

    PYTHONDONTWRITEBYTECODE (set in some shells and CI) would make every start compile
    the sources again; an installed application has its bytecode, so it is unset here.
    """
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def whole_process(command: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds (user + system) of one process, and its error (or "")."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(command, env=user_env(), cwd=cwd, capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    error = ""
    if proc.returncode != 0:
        error = f"{' '.join(command[1:3])}: exit {proc.returncode}: " + \
            (proc.stderr.strip().splitlines() or ["no output"])[-1]
    return wall, cpu, error


def alternate(commands: dict[str, list[str]], runs: int, cwd: Path) -> dict[str, tuple[list, list, str]]:
    """Run each command ``runs`` times, alternating (a, b, c, a, b, c, ...), after one untimed
    warm-up run of each (bytecode written, files in the page cache); wall and CPU samples."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    errors: dict[str, str] = {name: "" for name in commands}
    for command in commands.values():
        whole_process(command, cwd)
    for _ in range(runs):
        for name, command in commands.items():
            wall, cpu, error = whole_process(command, cwd)
            walls[name].append(wall)
            cpus[name].append(cpu)
            errors[name] = errors[name] or error
    return {name: (walls[name], cpus[name], errors[name]) for name in commands}


def sample_project(ctx: Context) -> Path:
    if "sample" not in ctx.cache:
        from cisannotate.sample import create_sample_project

        path = ctx.folder / "sample.cisannotate"
        create_sample_project(path).close()
        ctx.cache["sample"] = path
    return ctx.cache["sample"]


def measure_start(ctx: Context) -> None:
    sample = sample_project(ctx)
    exe = [sys.executable, "-m", "cisannotate"]
    load = load1()
    results = alternate({
        "floor": [sys.executable, "-c", "pass"],
        "help": [*exe, "--help"],
        "documents": [*exe, "documents", str(sample)],
    }, ctx.repeat(7), ctx.folder)
    floor, floor_cpu, _ = results["floor"]
    for name, label in (("help", "cold start: cisannotate --help"),
                        ("documents", "cold start: cisannotate documents (sample project)")):
        walls, cpus, error = results[name]
        ctx.rows.append(Row(label, walls, "s", 0.3, "median", load=load, error=error, floor=floor,
                            note=f"CPU {statistics.median(cpus):.3f} s; floor `python -c pass` "
                                 f"{statistics.median(floor):.3f} s (CPU {statistics.median(floor_cpu):.3f} s)"))


def measure_paint(ctx: Context) -> None:
    from cisannotate.storage import Store

    big = big_project(ctx)
    text_file = ctx.folder / "big-transcript.txt"
    store = Store.open(big.path, read_only=True)
    text_file.write_text(store.text(big.transcript_id), encoding="utf-8")
    store.close()
    load = load1()
    results = alternate({
        "floor": [sys.executable, str(HERE / "bare_qt.py"), str(text_file), "floor.png", "1400x860"],
        "app": [sys.executable, "-m", "cisannotate", "screenshot", str(big.path), "app.png",
                "--document", big.transcript_id, "--size", "1400x860"],
    }, ctx.repeat(5), ctx.folder)
    floor, floor_cpu, floor_error = results["floor"]
    walls, cpus, error = results["app"]
    ctx.rows.append(Row(
        f"open and paint the {big.transcript_bytes / 1e6:.1f} MB transcript ({big.transcript_spans:,} "
        "annotations): cisannotate screenshot, whole process", walls, "s", None, "median", load=load,
        error=error or floor_error, floor=floor, ratio_limit=2.0,
        note=f"CPU {statistics.median(cpus):.2f} s against the floor's {statistics.median(floor_cpu):.2f} s; "
             "floor: a bare PySide6 window loading the same text into a QPlainTextEdit and grabbing it"))


def floor_launch(ctx: Context, project: Path) -> dict:
    """The bare window's first paint (``bare_qt.py``) with the project's longest transcript."""
    from cisannotate.storage import Store

    text_file = ctx.folder / f"{project.stem}-floor.txt"
    if not text_file.exists():
        store = Store.open(project, read_only=True)
        texts = [store.text(d.id) for d in store.documents() if d.kind == "transcript"]
        store.close()
        text_file.write_text(max(texts, key=len), encoding="utf-8")
    env = user_env()
    env["BENCH_T0"] = repr(time.time())
    proc = subprocess.run([sys.executable, str(HERE / "bare_qt.py"), str(text_file), str(ctx.folder / "lf.png")],
                          env=env, capture_output=True, text=True, timeout=600)
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    return {"error": f"floor exit {proc.returncode}"}


def measure_launch(ctx: Context) -> None:
    from synthetic import build_corpus_project

    sample = sample_project(ctx)
    corpus = ctx.folder / "corpus2000.cisannotate"
    documents = build_corpus_project(corpus)
    child("launch", sample, ctx)  # warm-up: bytecode and page cache, as after a first use
    floor_launch(ctx, sample)
    for label, project in (("sample project", sample), (f"{documents:,} documents", corpus)):
        load = load1()
        results, floors = [], []
        for _ in range(ctx.repeat(5)):  # alternating with the floor
            results.append(child("launch", project, ctx))
            if project is sample:
                floors.append(floor_launch(ctx, sample))
        row = _gui_rows(ctx, f"launch to first paint, {label}", results,
                        lambda r: [r["seconds"]], "s", 1.5, "median", load, scale=1.0)
        if project is sample:
            row.floor = [f["seconds"] for f in floors if "seconds" in f]
            row.ratio_limit = 1.5
            row.note = ("floor: a bare PySide6 window's first paint with the sample's longest transcript"
                        if row.floor else "the floor failed")
        ctx.rows.append(row)


def measure_open(ctx: Context) -> None:
    big = big_project(ctx)
    load = load1()
    results = [child("open", big.path, ctx, big.article_id) for _ in range(ctx.repeat(5))]
    ctx.rows.append(_gui_rows(
        ctx, f"open {big.transcript_bytes / 1e6:.1f} MB transcript ({big.transcript_spans:,} annotations, "
             f"{big.links:,} links) to first paint", results, lambda r: [r["seconds"]], "s", 0.5, "median",
        load, scale=1.0))
    ctx.cache.setdefault("rss", []).extend(r["peak_rss_mb"] for r in results if "error" not in r)


def measure_add(ctx: Context) -> None:
    big = big_project(ctx)
    load = load1()
    result = child("add", big.path, ctx, big.article_id, n=20 if ctx.quick else 50)
    row = _gui_rows(ctx, "add a claim in it: key press to repainted highlight", [result],
                    lambda r: r["samples"], "ms", 50, "p95", load)
    if "error" not in result and result.get("cpu"):
        cpu = sorted(result["cpu"])
        row.note = (f"CPU median {statistics.median(cpu) * 1000:.1f} ms, "
                    f"p95 {cpu[max(0, -(-95 * len(cpu) // 100) - 1)] * 1000:.1f} ms")
    ctx.rows.append(row)
    if "error" not in result:
        ctx.cache.setdefault("rss", []).append(result["peak_rss_mb"])


def _transcript_file(ctx: Context) -> Path:
    """The big transcript's text in a file, for the bare-window floors."""
    from cisannotate.storage import Store

    big = big_project(ctx)
    text_file = ctx.folder / "big-transcript.txt"
    if not text_file.exists():
        store = Store.open(big.path, read_only=True)
        text_file.write_text(store.text(big.transcript_id), encoding="utf-8")
        store.close()
    return text_file


def measure_scroll(ctx: Context) -> None:
    big = big_project(ctx)
    text_file = _transcript_file(ctx)
    load = load1()
    n = 15 if ctx.quick else 40
    # The floor first, then the window, then the floor again: the floor's samples span the window's run.
    floors = [child("scroll_floor", big.path, ctx, str(text_file), n=n // 2)]
    result = child("scroll", big.path, ctx, big.article_id, n=n)
    floors.append(child("scroll_floor", big.path, ctx, str(text_file), n=n - n // 2))
    floor_ok = [f for f in floors if "error" not in f]
    floor_error = "; ".join(f["error"] for f in floors if "error" in f)
    for side, label, floor_key in (
            ("article", "scroll the article a page, to repainted highlights and connectors", "scroll"),
            ("transcript", "scroll the transcript a page, to repainted highlights and connectors", "scroll"),
            ("repaint", "repaint() of article, connectors and transcript", "repaint")):
        row = _gui_rows(ctx, label, [result], lambda r: r["samples"][side], "ms", 16, "median", load)
        row.floor = [x * 1000 for f in floor_ok for x in f["samples"][floor_key]] or None
        if floor_error:
            row.error = "; ".join(e for e in (row.error, "floor: " + floor_error) if e)
        notes = []
        if "error" not in result and "cpu" in result:
            notes.append(f"CPU {statistics.median(result['cpu'][side]) * 1000:.1f} ms")
            if floor_ok:
                floor_cpu = [x for f in floor_ok for x in f["cpu"][floor_key]]
                notes[-1] += f" against the floor's {statistics.median(floor_cpu) * 1000:.1f} ms"
        if "error" not in result and side == "repaint":
            notes.append(f"{result['connectors_drawn']} connectors and {result['highlights_in_view']} "
                         "highlights in view at the end")
        if floor_ok and side == "article":
            notes.append(f"floor: a bare window's QPlainTextEdit with the same text, a page scrolled "
                         f"({floor_key}), or the bare window repainted (for repaint())")
        row.note = "; ".join(notes)
        ctx.rows.append(row)
    if "error" not in result:
        ctx.cache.setdefault("rss", []).append(result["peak_rss_mb"])


def measure_suggest(ctx: Context) -> None:
    from suggest_bench import synthetic_queries, synthetic_transcript

    from cisannotate.core.suggest import SourceIndex

    load = load1()
    refs = synthetic_transcript()
    index = SourceIndex(refs)
    queries = synthetic_queries(refs)
    index.query(queries[0])  # warm the word caches, as in a session after its first query
    times = []
    for query in queries[: 10 if ctx.quick else len(queries)]:
        start = time.perf_counter()
        index.query(query, top=5)
        times.append((time.perf_counter() - start) * 1000)
    ctx.rows.append(Row(f"one suggestion query, {len(refs):,} source lines", times, "ms", 50, "median",
                        load=load))


def measure_agreement(ctx: Context) -> None:
    """The agreement report with 1,000 bootstrap resamples, and as a ratio to the same report without intervals."""
    import random

    from cisannotate.core.agreement import agreement_report
    from cisannotate.core.model import RELATIONS, Span

    rng = random.Random(16)
    spans, targets, relations = [], {}, {}
    for d in range(50):
        for c in range(40):
            for who in ("ann", "bob", "cy"):
                if rng.random() < 0.1:
                    continue
                span = Span(id=f"{who}-{d}-{c}", document_id=f"d{d}", start=100 * c + rng.randint(0, 3),
                            end=100 * c + 60 + rng.randint(0, 3), annotator=who, layer=who,
                            category_id=rng.choice("abcdefg"), speaker_id=rng.choice(["s1", "s2", "s3"]),
                            mode=rng.choice(["paraphrase", "direct quote"]), no_source=rng.random() < 0.1)
                spans.append(span)
                if not span.no_source:
                    targets[span.id] = frozenset({("t", c)})
                    relations[span.id] = rng.choice(RELATIONS)
    lengths = {f"d{d}": 4100 for d in range(50)}
    load = load1()
    with_intervals, floor, cpu = [], [], []
    for _ in range(1 if ctx.quick else (ctx.runs or 3)):
        start = time.perf_counter()
        agreement_report(spans, targets, relations=relations, document_lengths=lengths, bootstrap=0)
        floor.append(time.perf_counter() - start)
        start, start_cpu = time.perf_counter(), time.process_time()
        agreement_report(spans, targets, relations=relations, document_lengths=lengths)
        with_intervals.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    ratio = statistics.median(with_intervals) / max(statistics.median(floor), 1e-9)
    ctx.rows.append(Row(f"agreement report, 1,000 resamples, {len(spans):,} spans in 50 documents",
                        with_intervals, "s", 10.0, "median", load=load,
                        note=f"CPU {statistics.median(cpu):.2f} s; {ratio:.1f}x the report without intervals"))


def measure_import(ctx: Context) -> None:
    from synthetic import write_article_files

    from cisannotate.storage import Store
    from cisannotate.services.importing import import_files

    folder = ctx.folder / "articles"
    size = write_article_files(folder)
    load = load1()
    times, error = [], ""
    for i in range(ctx.repeat(3)):
        store = Store.open(ctx.folder / f"import-{i}.cisannotate")
        start = time.perf_counter()
        report = import_files(store, [folder], manifest=folder / "manifest.csv")
        times.append(time.perf_counter() - start)
        store.close()
        if len(report.added) != 2000 or report.problems:
            error = f"added {len(report.added)}, problems {report.problems[:2]}"
    ctx.rows.append(Row(f"import 2,000 articles ({size / 1e6:.1f} MB)", times, "s", 20, "median",
                        load=load, error=error))


def measure_exchange(ctx: Context) -> None:
    from exchange_bench import build

    from cisannotate.io.exchange import ExportOptions, export_project
    from cisannotate.io.merge import merge_file
    from cisannotate.storage import Store

    source = Store.open(ctx.folder / "exchange.cisannotate")
    build(source, 100_000)
    out = ctx.folder / "export.json"
    load = load1()
    times, cpu = [], []
    for _ in range(ctx.repeat(3)):
        wall, proc = time.perf_counter(), time.process_time()
        export_project(source, out, ExportOptions("json", with_text=True))
        times.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - proc)
    ctx.rows.append(Row("export 100,000 annotations + 50,000 links (native JSON)", times, "s", 3, "median",
                        load=load, note=f"CPU {statistics.median(cpu):.2f} s, {out.stat().st_size / 2**20:.0f} MB"))
    source.close()
    load = load1()
    times, cpu, error = [], [], ""
    for i in range(ctx.repeat(3)):
        target = Store.open(ctx.folder / f"merge-{i}.cisannotate")
        wall, proc = time.perf_counter(), time.process_time()
        report = merge_file(target, out)
        times.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - proc)
        target.close()
        if report.added["spans"] != 100_000:
            error = f"merged {report.added['spans']} spans"
    ctx.rows.append(Row("merge them into an empty project", times, "s", 10, "median", load=load, error=error,
                        note=f"CPU {statistics.median(cpu):.2f} s"))


def measure_findings(ctx: Context) -> None:
    """The Findings of one layer of the exchange project (50,000 claims, 50,000 links, 2,000 source lines)."""
    from exchange_bench import build

    from cisannotate import findings
    from cisannotate.charts.findings import build_all
    from cisannotate.report import write_report
    from cisannotate.storage import Store

    store = Store.open(ctx.folder / "findings.cisannotate")
    build(store, 100_000)
    load = load1()
    figures, charts, cpu_figures, cpu_charts = [], [], [], []
    for _ in range(ctx.repeat(3)):
        wall, proc = time.perf_counter(), time.process_time()
        found = findings.compute(store, "amira")
        figures.append(time.perf_counter() - wall)
        cpu_figures.append(time.process_time() - proc)
        wall, proc = time.perf_counter(), time.process_time()
        build_all(found)
        charts.append(time.perf_counter() - wall)
        cpu_charts.append(time.process_time() - proc)
    error = "" if len(found.claims) == 50_000 else f"{len(found.claims)} claims"
    ctx.rows.append(Row("findings of a 50,000-claim layer (figures)", figures, "s", 3, "median", load=load,
                        error=error, note=f"CPU {statistics.median(cpu_figures):.2f} s"))
    ctx.rows.append(Row("draw its 6 charts (matplotlib, 2,000-line coverage)", charts, "s", 3, "median", load=load,
                        note=f"CPU {statistics.median(cpu_charts):.2f} s"))
    load = load1()
    times, cpu = [], []
    for i in range(ctx.repeat(3)):
        wall, proc = time.perf_counter(), time.process_time()
        write_report(store, ctx.folder / f"report-{i}.html", layer="amira")
        times.append(time.perf_counter() - wall)
        cpu.append(time.process_time() - proc)
    ctx.rows.append(Row("write its HTML report (figures, SVG charts, agreement)", times, "s", 15, "median",
                        load=load, note=f"CPU {statistics.median(cpu):.2f} s"))
    store.close()


def measure_text(ctx: Context) -> None:
    import text_bench

    load = load1()
    for label, seconds, ratio in text_bench.segment_ratios(ctx.repeat(3)):
        ctx.rows.append(Row(f"{label}, × a regex pass over its words", [ratio], "x", 15, "median", load=load,
                            note=f"{seconds:.2f} s"))
    load = load1()
    label, seconds, ratio = text_bench.huge_line_ratio(ctx.folder)
    ctx.rows.append(Row(f"{label}, × reading and hashing it", [ratio], "x", 50, "median", load=load,
                        note=f"{seconds:.2f} s"))


def measure_navigator(ctx: Context) -> None:
    from synthetic import build_corpus_project

    corpus = ctx.folder / "corpus2000.cisannotate"
    if not corpus.exists():
        build_corpus_project(corpus)
    load = load1()
    results = [child("navigator", corpus, ctx) for _ in range(ctx.repeat(3))]
    good = [r for r in results if "error" not in r]
    error = "; ".join(r["error"] for r in results if "error" in r)
    for key, label in (("build", "build"), ("refresh", "refresh")):
        ratios = [r[key] / max(r["query"], 1e-6) for r in good]
        note = f"{statistics.median([r[key] for r in good]):.2f} s" if good else ""
        ctx.rows.append(Row(f"corpus tree of 2,000 documents: {label}, × its documents() query", ratios, "x",
                            15, "median", load=load, error=error, note=note))


def measure_cli(ctx: Context) -> None:
    import throughput

    throughput.measure_cli(ctx, Row, load1, user_env, big_project)


def measure_index(ctx: Context) -> None:
    import throughput

    throughput.measure_index(ctx, Row, load1, user_env)


def measure_archive(ctx: Context) -> None:
    """The archive-scale rows (archive.py) on the archive kept in ``--archive DIR``."""
    from archive import measure

    folder = ctx.cache.get("archive")
    if folder is None:
        ctx.rows.append(Row("archive scale", [], "s", None, error="give the archive's folder: --archive DIR"))
        return
    # The import is measured (with its cancel) only in the run that builds the archive.
    rows, _label, _mb = measure(folder, ctx.cache.get("archive_scale", 1.0), reuse=True)
    ctx.rows.extend(rows)


def add_memory_row(ctx: Context) -> None:
    rss = ctx.cache.get("rss")
    if rss:
        ctx.rows.append(Row("peak memory (max RSS) of the window, big document open", rss, "MB", 400, "worst",
                            load=load1()))


# ------------------------------------------------------------------ table
def _fmt(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "x":
        return f"{value:.1f}×"
    return f"{value:.0f} MB"


def table(rows: list[Row]) -> str:
    head = ("measure", "median", "p95", "worst", "runs", "floor", "ratio", "target", "result", "load")
    body = []
    for row in rows:
        if not row.samples:
            body.append((row.name, "", "", "", "0", "", "", "", "ERROR", f"{row.load:.2f}"))
            continue
        targets = []
        if row.limit is not None:
            targets.append(f"{'' if row.stat == 'median' else row.stat + ' '}< {_fmt(row.limit, row.unit)}")
        if row.ratio_limit is not None:
            targets.append(f"< {row.ratio_limit:g}x floor")
        ratio = row.ratio()
        body.append((
            row.name, _fmt(row.value("median"), row.unit), _fmt(row.value("p95"), row.unit),
            _fmt(row.value("worst"), row.unit), str(row.runs or len(row.samples)),
            _fmt(statistics.median(row.floor), row.unit) if row.floor else "-",
            f"{ratio:.2f}x" if ratio is not None else "-", ", ".join(targets) or "(reported)",
            "ERROR" if row.error else ("pass" if row.passed() else "MISS"), f"{row.load:.2f}",
        ))
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(head, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in body]
    notes = [f"- {r.name}: {r.note}" for r in rows if r.note] + [f"- {r.name}: ERROR {r.error}" for r in rows
                                                                  if r.error]
    return "\n".join(lines + ([""] + notes if notes else []))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run each, fewer repetitions")
    parser.add_argument("--runs", type=int, help="runs of each one-shot measure (default 3 to 5)")
    parser.add_argument("--only", action="append", choices=MEASURES, help="run only this measure (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    parser.add_argument("--archive", type=Path, metavar="DIR",
                        help="also measure the archive scale on the archive in DIR (built there on first use)")
    parser.add_argument("--archive-scale", type=float, default=1.0,
                        help="fraction of the archive when it is built (default 1: 50,000 articles)")
    args = parser.parse_args(argv)
    info = machine()
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    started = os.getloadavg()
    chosen = args.only or list(DEFAULT) + (["archive"] if args.archive else [])
    with tempfile.TemporaryDirectory(prefix="cisannotate-bench-") as folder:
        ctx = Context(Path(folder), args.runs, args.quick)
        if args.archive:
            ctx.cache["archive"], ctx.cache["archive_scale"] = args.archive.resolve(), args.archive_scale
        for name in MEASURES:
            if name in chosen:
                print(f"measuring {name}…", file=sys.stderr, flush=True)
                globals()[f"measure_{name}"](ctx)
        add_memory_row(ctx)
    ended = os.getloadavg()
    print(f"load average (1, 5, 15 min): {started[0]:.2f} {started[1]:.2f} {started[2]:.2f} at the start, "
          f"{ended[0]:.2f} {ended[1]:.2f} {ended[2]:.2f} at the end")
    print()
    print(table(ctx.rows))
    if "suggest" in chosen:
        # Quality, not speed: the held-out figures of suggestions and pre-annotation.
        from suggest_bench import quality_report

        print()
        print(quality_report())
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "load": [started, ended], "rows": [
            {"name": r.name, "unit": r.unit, "samples": r.samples, "target": r.limit, "stat": r.stat,
             "floor": r.floor, "ratio": r.ratio(), "ratio_target": r.ratio_limit,
             "passed": r.passed(), "load": r.load, "error": r.error, "note": r.note} for r in ctx.rows]},
            indent=1))
    return 0 if all(r.passed() for r in ctx.rows) else 1


if __name__ == "__main__":
    sys.exit(main())
