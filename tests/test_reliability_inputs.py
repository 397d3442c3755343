"""Hostile inputs end to end: a corrupt line in every 97, a 20,000-token run-on sentence,
right-to-left text, dates long past or not yet come, absurd tolls. Every text is written here."""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import replace
from datetime import date
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.pipeline import analyse_articles
from sitreps.query import Reader, as_dict
from sitreps.records import Analysis, Article, IngestError
from sitreps.store.duckdb import Store

# Words for articles that are English but share no phrases, so none is a near-duplicate.
VOCABULARY = (
    "the army rebels fighters shelled village town market hospital road checkpoint north south "
    "province district council monitor said reported killed wounded civilians children police "
    "protesters gathered outside ministry officials residents witnesses morning evening night "
    "week attack strike drone artillery convoy bridge river border camp displaced families water "
    "food aid workers trucks supplies clinic school closed opened talks leaders agreed ceasefire "
    "fighting resumed heavy clashes forces militia commander spokesman statement denied blamed "
    "claimed control captured retreated advanced positions hills highway airport soldiers patrol"
).split()


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def analyse_one(nlp, config, text: str, published: date | None = date(2017, 5, 1)) -> Analysis:
    article = Article(id="a" * 64, text=text, published=published)
    results = list(analyse_articles([article], nlp, config))
    analyses = [r for r in results if isinstance(r, Analysis)]
    assert len(analyses) == 1, results
    return analyses[0]


def assert_sources_replay(analysis: Analysis) -> None:
    text = analysis.article.text
    for event in analysis.events:
        for source in event.sources:
            assert 0 <= source.start < source.end <= len(text)
            assert text[source.start : source.end] == source.sentence
    for mention in analysis.mentions:
        assert 0 <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text


def test_jsonl_of_10000_lines_with_every_97th_corrupt(tmp_path: Path, db_path: Path) -> None:
    rng = random.Random(97)
    path = tmp_path / "big.jsonl"
    corrupt = set(range(97, 10_001, 97))
    with path.open("w", encoding="utf-8") as handle:
        for line in range(1, 10_001):
            if line in corrupt:
                handle.write(f'{{"id": {line}, "text": "cut off in the middle\n')
                continue
            body = " ".join(rng.choice(VOCABULARY) for _ in range(60))
            handle.write(json.dumps({"id": line, "text": f"Report {line}: {body}."}) + "\n")
    result = invoke("ingest", str(path), "--db", str(db_path))
    assert result.exit_code == 1
    assert f"Ingested {10_000 - len(corrupt)} new article(s)" in result.output
    with Store(db_path, read_only=True) as store:
        assert store.count("articles") == 10_000 - len(corrupt) == 9_897
        errors = store.table_rows("ingest_errors")
        origins = {row["origin"] for row in store.query("SELECT origin FROM articles")}
    assert sorted(int(e["item"].removeprefix("line ")) for e in errors) == sorted(corrupt)
    assert all("invalid JSON" in e["reason"] for e in errors)
    assert not {f"{path}#{line}" for line in corrupt} & origins
    # A second run stores nothing twice and loses nothing.
    again = invoke("ingest", str(path), "--db", str(db_path))
    assert "0 new article(s); 9897 already stored" in again.output
    with Store(db_path, read_only=True) as store:
        assert store.count("articles") == 9_897


def test_run_on_sentence_of_20000_tokens(nlp, config) -> None:
    rng = random.Random(20_000)
    clauses = [
        "rebels shelled the village of Saraqeb", "the army bombed Idlib",
        "fighters attacked a checkpoint near Homs", "two civilians were killed in Aleppo",
        "protesters marched in Daraa", "government forces captured Palmyra",
    ]
    words: list[str] = []
    while len(words) < 20_000:
        words += rng.choice(clauses).split() + [rng.choice(["and", "while", "as", ","])]
    text = "On Monday " + " ".join(words) + "."
    roomy = replace(config, max_chars=len(text) + 1)
    assert len(nlp.make_doc(text)) >= 20_000
    analysis = analyse_one(nlp, roomy, text)
    assert analysis.events
    assert_sources_replay(analysis)
    assert all(e.fatalities is None or e.fatalities.best >= 0 for e in analysis.events)


def test_article_over_the_length_cap_is_cut_and_recorded(nlp, config) -> None:
    text = "Rebels shelled the town of Saraqeb on Monday. " * 200
    small = replace(config, max_chars=1_000)
    article = Article(id="b" * 64, text=text, published=date(2017, 5, 1), origin="long.txt")
    results = list(analyse_articles([article], nlp, small))
    warnings = [r for r in results if isinstance(r, IngestError)]
    analyses = [r for r in results if isinstance(r, Analysis)]
    assert len(warnings) == 1 and "only the first 1,000" in warnings[0].reason
    assert len(analyses) == 1
    assert all(s.end <= 1_000 for e in analyses[0].events for s in e.sources)


def test_right_to_left_text_is_kept_and_overrides_are_dropped(nlp, config, tmp_path, db_path):
    # Arabic-script names inside an English report, an RLM mark and a right-to-left override
    # that would make "Saraqeb" display reversed.
    text = (
        "Government aircraft bombed the town of Saraqeb (\u0633\u0631\u0627\u0642\u0628) in "
        "Idlib province on Tuesday, killing six civilians, the \u200f\u0627\u0644\u0645\u0631"
        "\u0635\u062f\u200f monitor said. Residents of \u202eSaraqeb\u202c fled towards the "
        "Turkish border after the raid on the main market."
    )
    path = tmp_path / "rtl.txt"
    path.write_text("date 2017-05-01 Raid on Saraqeb\n\n" + text, encoding="utf-8")
    assert invoke("run", str(path), "--db", str(db_path)).exit_code == 0
    with Store(db_path, read_only=True) as store:
        (stored,) = [r["text"] for r in store.query("SELECT text FROM articles")]
        events = [as_dict(e) for e in Reader(store).mentions()]
    assert "\u0633\u0631\u0627\u0642\u0628" in stored and "\u200f" in stored
    assert "\u202e" not in stored and "\u202c" not in stored
    bombing = [e for e in events if e["sub_event_type"] == "Air/drone strike"]
    assert bombing and bombing[0]["location"] == "Saraqib"
    assert bombing[0]["fatalities_low"] == 6
    analysis = analyse_one(nlp, config, stored)
    assert_sources_replay(analysis)


def test_dates_before_1900_and_in_the_future(tmp_path: Path, db_path: Path) -> None:
    rows = [
        {"id": "old", "date": "1861-04-13", "text": (
            "Confederate artillery shelled Fort Sumter in Charleston harbour on 12 April 1861, "
            "and the garrison surrendered the next day, officers said.")},
        {"id": "ahead", "date": "2099-05-01", "text": (
            "Rebels attacked an army checkpoint near Idlib on Tuesday, killing four soldiers, "
            "a monitoring group said.")},
        {"id": "typo", "date": "2017-05-01", "text": (
            "Militants ambushed a police patrol outside Mosul on 3 March 2031, killing two "
            "officers, the interior ministry said.")},
    ]
    path = tmp_path / "dates.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = invoke("run", str(path), "--db", str(db_path))
    assert result.exit_code == 1  # one input was amended
    assert "2099-05-01 lies in the future" in result.output
    with Store(db_path, read_only=True) as store:
        published = {
            r["origin"].rsplit("#", 1)[1]: r["published"]
            for r in store.query("SELECT origin, published FROM articles")
        }
        notes = store.table_rows("ingest_errors")
        events = [as_dict(e) for e in Reader(store).mentions()]
    assert published == {"old": date(1861, 4, 13), "ahead": None, "typo": date(2017, 5, 1)}
    assert len(notes) == 1 and "stored without a date" in notes[0]["reason"]
    shelling = [e for e in events if e["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling and shelling[0]["event_date"] == date(1861, 4, 12)
    assert shelling[0]["time_precision"] == 1
    # An event an article states cannot postdate the article: the typo'd year is not kept.
    ambush = [e for e in events if "Mosul" in (e["location"] or "")]
    assert ambush and all(e["event_date"] == date(2017, 5, 1) for e in ambush)
    assert all(e["time_precision"] == 3 for e in ambush)
    assert all(e["event_date"] is None or e["event_date"] <= date(2017, 5, 2)
               for e in events if e["event_date"] and e["event_date"].year > 1900)
    for fmt in ("acled-csv", "parquet", "json"):
        out = tmp_path / f"out.{fmt}"
        assert invoke("export", "--db", str(db_path), "--format", fmt,
                      "--out", str(out)).exit_code == 0
    years = {r["year"] for r in csv.DictReader(io.StringIO(
        (tmp_path / "out.acled-csv").read_text(encoding="utf-8")))}
    assert "1861" in years
    first = duckdb.sql(
        f"SELECT min(event_date) FROM read_parquet('{tmp_path / 'out.parquet'}')"
    ).fetchone()[0]
    assert first == date(1861, 4, 12)


@pytest.mark.parametrize(
    "claim",
    [
        "Government shelling in Aleppo on Monday killed 1e308 people, a local council claimed.",
        "Another strike killed 99999999999999999999 civilians in Homs, a local council claimed.",
        "An air strike killed -5 people and NaN children in Hama on Monday, a council claimed.",
        "An air strike on Hama killed inf people and 1.7976931348623157e308 others on Monday.",
    ],
)
def test_absurd_tolls_never_become_numbers(nlp, config, claim: str) -> None:
    analysis = analyse_one(nlp, config, claim)
    assert analysis.events
    assert_sources_replay(analysis)
    for event in analysis.events:
        if event.fatalities is not None:
            assert 0 <= event.fatalities.low <= event.fatalities.high <= 1_000_000


def test_month_name_march_is_not_a_protest(nlp, config) -> None:
    analysis = analyse_one(
        nlp, config, "Rebels attacked an army checkpoint near Idlib on 3 March, killing four "
        "soldiers."
    )
    assert [e.sub_event_type for e in analysis.events] == ["Armed clash"]
