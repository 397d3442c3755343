"""Whole-process start-up and throughput of sitreps against bare spaCy, as a user runs them.

    PYTHONPATH=src python benchmarks/bench_startup.py --corpus ../shared/corpus/fakes_articles.jsonl

Every figure is a fresh process, timed from outside (wall clock) with its peak RSS read from
``os.wait4``, and each sitreps measurement is paired with its bare-spaCy counterpart in the
same round, so ratios compare runs made under the same load (the machine is shared):

  * start-up: ``sitreps geocode TEXT`` vs ``python -c "spacy.load(model); nlp(TEXT)"``;
  * throughput: ``sitreps run`` on the first ``--limit`` corpus articles into a fresh database
    vs a bare script that reads the same file, loads the model and ``nlp.pipe``s the texts;
    ``sitreps run`` is timed as it runs by default (``--workers auto``: one worker process per
    usable core) and in one process (``--workers 1``), both paired with the same bare run;
  * first use: ``sitreps geocode`` with an empty cache directory (builds the gazetteer index and
    the ruler once), measured once.

Each figure keeps its CPU seconds (user + system) beside wall-clock; the run ratio is given for
both. Medians of ``--repeat`` rounds go to ``benchmarks/results.json`` under "startup"; a Markdown
table is printed for the README (issue 16).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import machine, merge_results

from sitreps.config import load_config
from sitreps.engine import auto_workers

TEXT = "Shelling hit Maarat al-Numan and Deir Ezzor."
BARE_START = "import spacy, sys; nlp = spacy.load(sys.argv[1]); nlp(sys.argv[2])"
BARE_PIPE = """
import json, sys, spacy
nlp = spacy.load(sys.argv[1])
with open(sys.argv[2], encoding="utf-8") as handle:
    texts = [json.loads(line)["text"] for line in handle if line.strip()]
for _ in nlp.pipe(texts, batch_size=int(sys.argv[3])):
    pass
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Run ``command`` to completion; (wall seconds, peak RSS in MiB, CPU seconds: user + system)
    of that process alone. CPU time is what a busy shared machine distorts least."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env or os.environ.copy()
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    stderr = child.stderr.read().decode("utf-8", "replace") if child.stderr else ""
    if status:
        raise RuntimeError(f"{command[:4]} failed:\n{stderr[-3000:]}")
    # ru_maxrss is in KiB on Linux
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def commit() -> str | None:
    """The git commit of the sitreps that was measured (its package may lie outside this repo)."""
    import sitreps

    out = subprocess.run(
        ["git", "-C", str(Path(sitreps.__file__).parent), "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip() or None


def sitreps(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitreps.cli", *args]


def subset(corpus: Path, limit: int, directory: Path) -> Path:
    """The first ``limit`` lines of the corpus, as a file both runs read."""
    path = directory / f"first-{limit}.jsonl"
    with corpus.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for index, line in enumerate(src):
            if index >= limit:
                break
            dst.write(line)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path("../shared/corpus/fakes_articles.jsonl")
    )
    parser.add_argument("--limit", type=int, default=300, help="Articles for the run figure.")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-cold", action="store_true", help="Skip the first-use figure.")
    parser.add_argument(
        "--key", default="startup", help="results.json key (another, to keep a before figure)."
    )
    args = parser.parse_args()
    if not args.corpus.exists():
        parser.error(f"corpus not found: {args.corpus} (pass --corpus)")
    config = load_config()

    timed(sitreps("geocode", TEXT))  # the user's cache is built before anything is timed
    start: dict[str, list[tuple[float, float, float]]] = {"bare": [], "sitreps": []}
    run: dict[str, list[tuple[float, float, float]]] = {"bare": [], "sitreps": [], "one": []}
    with tempfile.TemporaryDirectory() as tmp:
        articles = subset(args.corpus, args.limit, Path(tmp))
        for round_ in range(args.repeat):
            start["bare"].append(timed([sys.executable, "-c", BARE_START, config.model, TEXT]))
            start["sitreps"].append(timed(sitreps("geocode", TEXT)))
            run["bare"].append(
                timed(
                    [sys.executable, "-c", BARE_PIPE, config.model, str(articles),
                     str(config.batch_size)]
                )
            )  # fmt: skip
            db = Path(tmp) / f"run-{round_}.duckdb"
            run["sitreps"].append(timed(sitreps("run", str(articles), "--db", str(db))))
            one = Path(tmp) / f"one-{round_}.duckdb"
            run["one"].append(
                timed(sitreps("run", str(articles), "--db", str(one), "--workers", "1"))
            )
        cold = None
        if not args.skip_cold:
            env = {**os.environ, "SITREPS_CACHE": str(Path(tmp) / "empty-cache")}
            cold = timed(sitreps("geocode", TEXT), env=env)

    def median(runs: list[tuple[float, float, float]], field: int) -> float:
        return round(statistics.median(r[field] for r in runs), 2)

    def paired_ratio(kind: str, field: int) -> float:
        """Median over rounds of bare / sitreps for one field, each round's runs paired."""
        pairs = zip(run[kind], run["bare"], strict=True)
        return round(statistics.median(b[field] / s[field] for s, b in pairs), 3)

    result = {
        "text": TEXT,
        "model": config.model,
        "bare_start_seconds": median(start["bare"], 0),
        "sitreps_start_seconds": median(start["sitreps"], 0),
        "start_overhead_seconds": round(
            statistics.median(s[0] - b[0] for s, b in zip(start["sitreps"], start["bare"],
                                                          strict=True)), 2
        ),  # fmt: skip
        "target_start_overhead_seconds": 1.5,
        "bare_start_peak_mib": median(start["bare"], 1),
        "sitreps_start_peak_mib": median(start["sitreps"], 1),
        "start_peak_ratio": round(median(start["sitreps"], 1) / median(start["bare"], 1), 2),
        "target_start_peak_ratio": 2.0,
        "run_articles": args.limit,
        "bare_run_seconds": median(run["bare"], 0),
        "sitreps_run_seconds": median(run["sitreps"], 0),
        "run_ratio": paired_ratio("sitreps", 0),
        "target_run_ratio": 0.85,
        "bare_run_cpu_seconds": median(run["bare"], 2),
        "sitreps_run_cpu_seconds": median(run["sitreps"], 2),
        "run_ratio_cpu": paired_ratio("sitreps", 2),
        "auto_workers": auto_workers(args.limit),
        "sitreps_run_one_process_seconds": median(run["one"], 0),
        "run_ratio_one_process": paired_ratio("one", 0),
        "sitreps_run_one_process_cpu_seconds": median(run["one"], 2),
        "run_ratio_one_process_cpu": paired_ratio("one", 2),
        "sitreps_run_one_process_peak_mib": median(run["one"], 1),
        "bare_run_peak_mib": median(run["bare"], 1),
        # The run's own process only: its workers' memory is not in wait4's figure.
        "sitreps_run_parent_peak_mib": median(run["sitreps"], 1),
        "first_use_seconds": round(cold[0], 1) if cold else None,
        "first_use_peak_mib": round(cold[1]) if cold else None,
        "repeat": args.repeat,
        "rounds": {
            kind: {
                name: [[round(t, 2), round(m), round(c, 2)] for t, m, c in runs]
                for name, runs in d.items()
            }
            for kind, d in (("start", start), ("run", run))
        },
        "machine": machine(),
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%d"),
    }
    result["sitreps_commit"] = commit()
    merge_results(args.key, result)
    r = result
    print(
        "| benchmark | result | target |\n|---|---|---|\n"
        f"| start-up: `sitreps geocode` vs bare `spacy.load` + one sentence, whole processes, "
        f"median of {r['repeat']} | {r['sitreps_start_seconds']} vs {r['bare_start_seconds']} s "
        f"(**+{r['start_overhead_seconds']} s**); peak {r['sitreps_start_peak_mib']:.0f} vs "
        f"{r['bare_start_peak_mib']:.0f} MiB (**{r['start_peak_ratio']}×**) "
        "| ≤ +1.5 s, ≤ 2× |\n"
        f"| `sitreps run` (default: `--workers auto`, {r['auto_workers']} worker processes) vs "
        f"bare `nlp.pipe` script, {r['run_articles']} FA-KES articles, whole processes, median "
        f"of {r['repeat']} | {r['sitreps_run_seconds']} vs {r['bare_run_seconds']} s: "
        f"**ratio {r['run_ratio']}** | ≥ 0.85 |\n"
        f"| the same in one process (`--workers 1`) | {r['sitreps_run_one_process_seconds']} vs "
        f"{r['bare_run_seconds']} s: **ratio {r['run_ratio_one_process']}** (CPU "
        f"{r['sitreps_run_one_process_cpu_seconds']} vs {r['bare_run_cpu_seconds']} s: "
        f"{r['run_ratio_one_process_cpu']}) | |\n"
        f"| first use (empty cache: builds gazetteer index and ruler) | "
        f"{r['first_use_seconds']} s, peak {r['first_use_peak_mib']} MiB | |"
    )
    print(f"machine: {r['machine']}, load average {r['load_average']:.2f}")


if __name__ == "__main__":
    main()
