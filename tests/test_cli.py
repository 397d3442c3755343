"""The CLI end to end on a real DuckDB file: run, query, export, bad input and exit codes."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from sitreps.cli import cli, sample_paths
from sitreps.store.duckdb import Store


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    result = invoke("run", "--sample", "--db", str(path))
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def seed_export(tmp_path_factory, seed_path) -> dict:
    path = tmp_path_factory.mktemp("seed") / "s.duckdb"
    result = invoke("run", str(seed_path), "--db", str(path))
    assert result.exit_code == 0, result.output
    exported = invoke("export", "--db", str(path), "--format", "json", "--all")
    assert exported.exit_code == 0
    return json.loads(exported.stdout)


def test_cli_export_defaults_to_factual_acled_events(seed_export, seed_path, tmp_path):
    path = tmp_path / "s.duckdb"
    assert invoke("run", str(seed_path), "--db", str(path)).exit_code == 0
    factual = json.loads(invoke("export", "--db", str(path), "--format", "json").stdout)
    assert factual["events"]
    assert all(
        e["modality"] in ("asserted", "reported") and e["event_type"] != "Non-ACLED"
        for e in factual["events"]
    )
    # --all adds the forecasts, hedges and PLOVER-only acts the default leaves out
    assert len(seed_export["events"]) > len(factual["events"])


def test_cli_every_command_has_help():
    for command in cli.commands:
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.output


def test_cli_sample_run_prints_a_summary(sample_db):
    assert len(sample_paths()) >= 8
    with Store(sample_db, read_only=True) as store:
        assert store.count("articles") == len(sample_paths())
        assert store.count("events") > 20
        assert store.count_unprocessed() == 0


def test_cli_rerun_is_a_noop(sample_db):
    with Store(sample_db, read_only=True) as store:
        before = store.count("events")
    result = invoke("run", "--sample", "--db", str(sample_db))
    assert result.exit_code == 0
    assert "0 new article" in result.output
    with Store(sample_db, read_only=True) as store:
        assert store.count("events") == before
        assert store.count("articles") == len(sample_paths())


def test_cli_events_filters(sample_db):
    result = invoke("events", "--db", str(sample_db), "--place", "Aleppo", "--limit", "5")
    assert result.exit_code == 0
    assert "Aleppo" in result.output
    result = invoke("events", "--db", str(sample_db), "--since", "not-a-date")
    assert result.exit_code == 2
    assert "not a date" in result.output


def test_cli_actors_lists_kb_actors(sample_db):
    result = invoke("actors", "--db", str(sample_db))
    assert result.exit_code == 0
    assert "Islamic State" in result.output


@pytest.mark.parametrize("fmt", ["json", "csv", "acled-csv", "geojson", "parquet"])
def test_cli_export_formats(sample_db, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    result = invoke("export", "--db", str(sample_db), "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "json":
        doc = json.loads(data)
        assert set(doc) == {"articles", "events", "actors", "relations", "control_claims",
                            "places"}
        event = doc["events"][0]
        for key in ("id", "event_type", "sub_event_type", "plover_type", "event_date",
                    "time_precision", "actor1", "actor2", "assoc_actor_1", "assoc_actor_2",
                    "location", "admin1", "country", "latitude", "longitude", "geo_precision",
                    "fatalities", "modality", "confidence", "sources"):
            assert key in event
        assert set(event["sources"][0]) == {"article_id", "sentence", "start", "end"}
        assert {"id", "name", "aliases", "kind", "country"} <= set(doc["actors"][0])
    elif fmt in ("csv", "acled-csv"):
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
        assert rows
        if fmt == "acled-csv":
            assert {"event_date", "sub_event_type", "inter1", "geo_precision", "notes"} <= set(
                rows[0]
            )
            assert all("modality=asserted" in r["tags"] or "modality=reported" in r["tags"]
                       for r in rows)
            assert all(r["event_type"] != "Non-ACLED" for r in rows)
    elif fmt == "geojson":
        doc = json.loads(data)
        assert doc["type"] == "FeatureCollection" and doc["features"]
        lon, lat = doc["features"][0]["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
    else:
        count = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}')").fetchone()[0]
        assert count > 0


def test_cli_export_sources_replay_article_text(sample_db):
    doc = json.loads(invoke("export", "--db", str(sample_db)).stdout)
    with Store(sample_db, read_only=True) as store:
        texts = {r["id"]: r["text"] for r in store.query("SELECT id, text FROM articles")}
    for event in doc["events"]:
        for source in event["sources"]:
            text = texts[source["article_id"]]
            assert text[source["start"] : source["end"]] == source["sentence"]


def test_cli_seed_government_takes_aleppo(seed_export):
    events = [
        e for e in seed_export["events"]
        if e["sub_event_type"] == "Government regains territory" and e["location"] == "Aleppo"
    ]
    assert events, [(e["sub_event_type"], e["location"]) for e in seed_export["events"]]
    event = events[0]
    assert event["modality"] == "asserted"
    assert event["event_date"].startswith("2016-12")
    assert "Syria" in event["actor1"]


def test_cli_seed_daesh_expels_the_army_from_palmyra(seed_export):
    events = [e for e in seed_export["events"] if e["location"] in ("Palmyra", "Tadmur")]
    assert any(
        e["actor1"] == "Islamic State" and e["actor2"] and "Syria" in e["actor2"] for e in events
    ), events


def test_cli_seed_civilians_killed_in_aleppo(seed_export):
    assert any(
        e["location"] == "Aleppo" and e["actor2"] and "ivilian" in e["actor2"]
        and e["modality"] == "asserted"
        for e in seed_export["events"]
    )


def test_cli_seed_forecasts_are_not_asserted_events(seed_export):
    forecasts = [
        e for e in seed_export["events"] if "hard to retake" in e["sources"][0]["sentence"]
    ]
    assert forecasts
    assert all(e["modality"] != "asserted" for e in forecasts), forecasts
    # The same sentence as "will find it hard to hang on" reports a real expulsion, though.
    assert not any(e["trigger"] in ("hang", "find") for e in seed_export["events"])


def test_cli_seed_relations(seed_export):
    pairs = {(r["subject"], r["predicate"], r["object"]) for r in seed_export["relations"]}
    backs = {(s, o) for s, p, o in pairs if p == "backs"}
    assert any("Russia" in s and "Syria" in o for s, o in backs), pairs
    assert any("Iran" in s and "Syria" in o for s, o in backs), pairs
    assert any("Iran" in s and o == "Hezbollah" for s, o in backs), pairs


def test_cli_bad_inputs_are_recorded_and_the_batch_goes_on(tmp_path, db_path):
    good = tmp_path / "good.txt"
    good.write_text(
        "date 2017-04-07 Strike on an airbase\n\nUS warships fired 59 cruise missiles at the "
        "Shayrat airbase in Homs province on Friday, killing several soldiers.\n",
        encoding="utf-8",
    )
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "bad.csv").write_text("title,body\nA,B\n", encoding="utf-8")
    (tmp_path / "feed.rss").write_text("this is not xml <<<", encoding="utf-8")
    # Something stored earlier must survive a failing batch.
    assert invoke("run", str(good), "--db", str(db_path)).exit_code == 0
    result = invoke(
        "run", str(tmp_path / "empty.txt"), str(tmp_path / "binary.bin"),
        str(tmp_path / "bad.csv"), str(tmp_path / "feed.rss"), "http://127.0.0.1:9/nothing",
        "--db", str(db_path),
    )
    assert result.exit_code == 1
    with Store(db_path, read_only=True) as store:
        assert store.count("articles") == 1
        assert store.count("events") >= 1
        reasons = [r["reason"] for r in store.table_rows("ingest_errors")]
    assert len(reasons) == 5, reasons
    assert "skipped" in result.output


def test_cli_locked_or_missing_db_exits_3(tmp_path):
    result = invoke("events", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 3
    assert "sitreps run" in result.output


def test_cli_geocode_prints_coordinates():
    result = invoke("geocode", "Shelling hit Maarat al-Numan and Deir Ezzor on Monday.")
    assert result.exit_code == 0
    assert "Idlib" in result.output  # the admin1 of Maarat al-Numan
    assert "gn:170794" in result.output  # Deir ez-Zor's GeoNames id


def test_cli_stages_lists_the_pipeline():
    result = invoke("stages")
    assert result.exit_code == 0
    assert "sitreps.events.v1" in result.output
    assert "place_lookback=3" in result.output


# -- issue 19: messages written for a sitreps user -------------------------------------------

TOWNS = ["Saraqeb", "Kafr Nabl", "Ariha", "Binnish", "Sarmin", "Atarib"]


def report_text(i: int) -> str:
    """An English report of its own (no two are near-duplicates)."""
    town = TOWNS[i]
    return (
        f"Artillery hit {town} in Idlib province on Thursday, killing {i + 2} civilians, a "
        f"local rescue team said. Residents of {town} said shells fell on a bakery near the "
        f"main road, and that {i + 5} people were wounded."
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_cli_ingest_source_and_url_columns(tmp_path, db_path, suffix):
    rows = [{"body": report_text(i), "outlet": f"Outlet {i}", "link": f"https://n.invalid/{i}"}
            for i in range(2)]
    path = tmp_path / f"feed{suffix}"
    if suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=["outlet", "link", "body"])
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = invoke("ingest", str(path), "--db", str(db_path), "--text-col", "body",
                    "--source-col", "outlet", "--url-col", "link")
    assert result.exit_code == 0, result.output
    with Store(db_path, read_only=True) as store:
        stored = {(r["source"], r["url"]) for r in store.query("SELECT source, url FROM articles")}
    assert stored == {("Outlet 0", "https://n.invalid/0"), ("Outlet 1", "https://n.invalid/1")}


def test_cli_skipped_reason_says_skipped_once(tmp_path, db_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a short name keeps the message on one line
    french = Path("rapport.txt")
    french.write_text(
        "Des obus sont tombés sur Ariha jeudi, tuant trois civils selon les secouristes. Les "
        "habitants disent que le marché a été touché près de la route principale.",
        encoding="utf-8",
    )
    result = invoke("ingest", str(french), "--db", str(db_path))
    assert result.exit_code == 1
    [line] = [line for line in result.output.splitlines() if "rapport.txt" in line]
    assert line.startswith("skipped rapport.txt: language is 'fr'")
    assert line.count("skipped") == 1


def test_cli_ingest_counts_add_up_on_a_second_run(tmp_path, db_path):
    texts = [report_text(i) for i in range(len(TOWNS))]
    texts.append(texts[1])  # the same text again
    texts.append(texts[2] + " Updated.")  # a near-duplicate
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
    first = invoke("ingest", str(path), "--db", str(db_path))
    assert first.exit_code == 0, first.output
    assert ("Ingested 6 new article(s); 0 already stored, 1 repeated within this input, "
            "1 near-duplicate(s) linked, 0 input(s) skipped.") in " ".join(first.output.split())
    again = invoke("ingest", str(path), "--db", str(db_path))
    assert again.exit_code == 0, again.output
    assert ("Ingested 0 new article(s); 6 already stored, 1 repeated within this input, "
            "0 near-duplicate(s) linked, 1 near-duplicate(s) linked before, "
            "0 input(s) skipped.") in " ".join(again.output.split())
    with Store(db_path, read_only=True) as store:
        assert store.count("articles") == 6
        assert store.count("article_duplicates") == 1


def test_cli_run_with_a_missing_input_prints_no_summary(sample_db, tmp_path):
    result = invoke("run", str(tmp_path / "absent.txt"), "--db", str(sample_db))
    assert result.exit_code == 1
    said = " ".join(result.output.split())  # rich wraps long paths at 80 columns here
    assert "no such file or directory" in said and "is unchanged" in said
    assert "Database:" not in said and "Latest factual events" not in said


def test_cli_export_shows_a_place_known_by_name_only_without_a_point(tmp_path):
    # Issue 18: a village no gazetteer holds is the event's place by name and country, and no
    # export or map invents coordinates for it.
    article = tmp_path / "village.txt"
    article.write_text(
        "Government jets bombed the village of Qaryat Zibdin on Monday, killing four "
        "civilians, residents in Aleppo said.\n",
        encoding="utf-8",
    )
    config = tmp_path / "sitreps.toml"
    config.write_text('[stages."sitreps.places.v1"]\nunlisted_names = true\n', encoding="utf-8")
    db = tmp_path / "v.duckdb"
    assert invoke("run", str(article), "--db", str(db), "--config", str(config)).exit_code == 0
    events = json.loads(invoke("export", "--db", str(db), "--format", "json").stdout)["events"]
    village = [e for e in events if e["location"] == "Qaryat Zibdin"]
    assert village
    assert all(e["latitude"] is None and e["longitude"] is None for e in village)
    assert all(e["country"] and e["geo_precision"] == 3 for e in village)
    out = tmp_path / "v.geojson"
    exported = invoke("export", "--db", str(db), "--format", "geojson", "--out", str(out))
    assert exported.exit_code == 0
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    assert not [f for f in features if f["properties"]["location"] == "Qaryat Zibdin"]


def test_cli_runs_as_python_module():
    result = subprocess.run(
        [sys.executable, "-m", "sitreps", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: sitreps" in result.stdout
    assert "export" in result.stdout
