"""Gold readers on hand-written fixtures in each format, and their strictness on broken files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitreps.evaluate.readers import (
    GoldFormatError,
    parse_us_date,
    read_case2021,
    read_event_location,
    read_fakes,
    read_plover,
    read_toponym_corpus,
    read_wikievents,
)

DATA = Path(__file__).parent / "data" / "evaluate"


def test_readers_fakes_reads_rows_and_blank_counts():
    items = read_fakes(DATA / "fakes.csv")
    assert [i.id for i in items] == ["101", "102", "103"]
    assert items[0].date == date(2017, 3, 13)
    assert items[0].location == "idlib" and items[0].civilians == 9
    assert items[2].civilians is None


def test_readers_case2021_reads_labels():
    items = read_case2021(DATA / "case2021.tsv")
    assert [i.label for i in items] == ["FORCE_AGAINST_PROTEST", "NATURAL_DISASTER", "DISR_WEAP"]


def test_readers_plover_skips_documentation_and_reads_actors():
    items = read_plover(DATA / "plover.json")
    assert [i.event for i in items] == ["FIGHT", "AGREE"]
    assert items[0].sources[0].code == "SYR" and items[0].targets[0].sector == "REB"
    assert items[1].targets == ()


def test_readers_event_location_rebuilds_token_index_spans():
    items = read_event_location(DATA / "event_location.jsonl")
    assert [i.id for i in items] == ["demo-1", "demo-2", "demo-3", "demo-5"]
    assert items[0].verb.text == "shelled"
    assert [s.text for s in items[0].locations] == ["Kafr Hamra"]
    assert items[1].locations == ()
    assert [s.text for s in items[2].locations] == ["Mosul"]
    # token indices in start/end (6, 7) that still form a non-empty character span
    assert items[3].verb.text == "shot"
    assert [s.text for s in items[3].locations] == ["Kandahar city"]


def test_readers_lgl_reads_gaztags_and_unresolved_toponyms():
    (doc,) = read_toponym_corpus(DATA / "lgl.xml")
    assert doc.published == date(2009, 4, 1)
    springfield, ohio = doc.toponyms
    assert doc.text[springfield.start : springfield.end] == "Springfield"
    assert springfield.latitude == pytest.approx(39.9242)
    assert ohio.latitude is None


def test_readers_geowebnews_keeps_only_toponym_types():
    (doc,) = read_toponym_corpus(DATA / "gwn.xml")
    assert [t.text for t in doc.toponyms] == ["Mombasa", "Nairobi"]
    assert doc.toponyms[0].geonames_id == "186301"


def test_readers_wikievents_rebuilds_text_so_offsets_hold():
    (doc,) = read_wikievents(DATA / "wikievents.jsonl")
    attack, death = doc.events
    assert doc.text[attack.trigger.start : attack.trigger.end] == "attacked"
    assert doc.text[death.trigger.start : death.trigger.end] == "died"
    assert {a.role: a.text for a in attack.arguments} == {
        "Attacker": "Gunmen", "Target": "convoy", "Place": "Kandahar",
    }


@pytest.mark.parametrize(
    ("reader", "name", "expected"),
    [
        (read_fakes, "fakes_missing_column.csv", r"line 1 \(header\): missing column"),
        (read_fakes, "fakes_bad_date.csv", r"line 2 \(unit_id '301'\): date is not m/d/yy"),
        (read_case2021, "case2021_missing_column.tsv", r"missing column\(s\) \['SubType'\]"),
        (read_plover, "plover_bad_source.json", r"record 0 \(DEMO-FIGHT-0009\): 'source' must"),
        (read_plover, "plover_not_list.json", r"top level: expected a JSON list"),
        (read_event_location, "event_location_bad_span.jsonl", r"line 2: span 2-99 is outside"),
        (read_event_location, "event_location_bad_json.jsonl", r"line 2: bad JSON"),
        (read_toponym_corpus, "lgl_bad_xml.xml", r"line \d+, column \d+: bad XML"),
        (read_toponym_corpus, "lgl_bad_offset.xml", r"toponym 1: toponym span \d+-500 is outside"),
        (read_wikievents, "wikievents_bad_entity.jsonl", r"line 1 \(doc demo_doc\): bad event"),
        (read_wikievents, "wikievents_missing_key.jsonl", r"missing 'event_mentions'"),
        (read_fakes, "no_such_file.csv", r"no such file"),
    ],
)
def test_readers_malformed_files_raise_gold_format_error(reader, name, expected):
    with pytest.raises(GoldFormatError, match=expected) as caught:
        reader(DATA / name)
    assert name in str(caught.value)


@pytest.mark.parametrize(
    ("reader", "name", "expected"),
    [
        (read_fakes, "fakes_bad_date.csv", "date is not m/d/yy"),
        (read_plover, "plover_bad_source.json", "'source' must be a list"),
        (read_event_location, "event_location_bad_span.jsonl", "span 2-99 is outside"),
        (read_event_location, "event_location_bad_json.jsonl", "bad JSON"),
        (read_toponym_corpus, "lgl_bad_offset.xml", "is outside the text"),
        (read_wikievents, "wikievents_bad_entity.jsonl", "bad event"),
    ],
)
def test_readers_leave_out_a_malformed_item_and_name_it(reader, name, expected):
    """With a ``skipped`` list, one bad item is counted and the rest of the set is read."""
    skipped: list[str] = []
    reader(DATA / name, skipped)
    assert len(skipped) == 1 and expected in skipped[0] and name in skipped[0]


def test_readers_keep_the_good_items_around_a_bad_one(tmp_path):
    good = (DATA / "event_location.jsonl").read_text(encoding="utf-8").strip().splitlines()
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([good[0], "{not json", *good[1:]]) + "\n", encoding="utf-8")
    skipped: list[str] = []
    items = read_event_location(path, skipped)
    assert len(items) == len(read_event_location(DATA / "event_location.jsonl"))
    assert len(skipped) == 1 and "line 2: bad JSON" in skipped[0]


def test_readers_parse_us_date_two_digit_years():
    assert parse_us_date("12/31/99") == date(1999, 12, 31)
    assert parse_us_date(" ") is None
