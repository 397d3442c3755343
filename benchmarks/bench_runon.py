"""Extraction time of one run-on sentence of 10,000 to 100,000 characters: it must grow at most
linearly (issue 15: 10k took 9 s, 20k 53 s, 100k did not finish in 15 minutes).

    python benchmarks/bench_runon.py --sizes 10000 20000 50000 100000

The sentence is built from clauses naming places, actors and tolls and joined by "and",
"while", "as" and commas with no full stop, so it stays one sentence for the parser. Each size
runs the whole configured pipeline (``analyse_articles``) once in this process, after a warm-up
on the smallest size; the spaCy parse is timed apart, so the stages' share shows. Merged into
``benchmarks/results.json`` under "runon"; ``per_kchar_ratio`` is the seconds per 1,000
characters at the largest size over those at the smallest (1.0 is linear).
"""

from __future__ import annotations

import argparse
import random
import time
from dataclasses import replace

from harness import machine, merge_results

# Villages the gazetteer does not hold, each placed by a town or province: these reach the
# container search in extract/places.py, which was quadratic (made-up names, written here).
VILLAGES = ("Tell Qawaqir", "Kafr Zaroun", "Abu Malouk", "Deir Hasayf", "Ain Nabeen",
            "Bir Rifash", "Umm Zaraqir", "Jub Malash")
CLAUSES = tuple(
    f"rebels shelled the village of {v} near {w} in western Raqqa"
    for v in VILLAGES for w in VILLAGES if v != w
) + (
    "rebels shelled the village of Kafr Zita in northern Hama",
    "the army bombed Khan Shaykhun, Maarat al-Numan and Saraqeb in Idlib province",
    "fighters attacked a checkpoint near Homs",
    "two civilians were killed in Aleppo",
    "protesters marched in Daraa, Busra al-Harir and Nawa",
    "government forces captured Palmyra from Islamic State",
    "a car bomb killed five people in the Karrada district of Baghdad",
    "Kurdish forces advanced toward Raqqa, Tabqa and Manbij",
    "the Ashmi area in the western countryside of Kobane came under fire",
)


def run_on(chars: int, seed: int = 15) -> str:
    """One sentence of about ``chars`` characters without a full stop until the end."""
    rng = random.Random(seed)
    parts = ["On Monday"]
    size = len(parts[0])
    while size < chars:
        part = rng.choice(CLAUSES) + rng.choice([" and", " while", " as", ","])
        parts.append(part)
        size += len(part) + 1
    return " ".join(parts)[:chars].rstrip(" ,") + "."


def measure(chars: int) -> dict[str, float]:
    """Seconds to parse and to analyse one run-on sentence of ``chars`` characters."""
    from sitreps.config import load_config
    from sitreps.nlp import get_nlp
    from sitreps.pipeline import analyse_articles
    from sitreps.records import Article

    text = run_on(chars)
    config = replace(load_config(), max_chars=len(text) + 1)
    nlp = get_nlp(config)
    start = time.perf_counter()
    nlp(text)
    parse = time.perf_counter() - start
    start = time.perf_counter()
    results = list(analyse_articles([Article(id="r" * 64, text=text)], nlp, config))
    total = time.perf_counter() - start
    events = sum(len(getattr(r, "events", ())) for r in results)
    return {"chars": len(text), "parse_s": round(parse, 2), "total_s": round(total, 2),
            "stages_s": round(max(total - parse, 0.0), 2), "events": events,
            "s_per_kchar": round(total / (len(text) / 1000), 4)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 20_000, 50_000, 100_000])
    args = parser.parse_args()
    measure(min(args.sizes) // 4)  # warm-up: model loading and the gazetteer
    rows = [measure(size) for size in sorted(args.sizes)]
    ratio = rows[-1]["s_per_kchar"] / rows[0]["s_per_kchar"]
    merge_results("runon", {"machine": machine(), "rows": rows,
                            "per_kchar_ratio": round(ratio, 2)})
    print("| chars | parse s | stages s | total s | s per 1k chars |")
    print("|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['chars']:,} | {row['parse_s']} | {row['stages_s']} | {row['total_s']} | "
              f"{row['s_per_kchar']} |")
    print(f"per-1k-chars ratio, largest over smallest: {ratio:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main()
