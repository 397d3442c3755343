"""The dashboard's files made by scripts (offline place names, README pictures): what the
scripts write is what is checked in (issue 14)."""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
WEB = ROOT / "src" / "sitreps" / "web"


@pytest.fixture(scope="module")
def make_map_labels():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_map_labels
    finally:
        sys.path.pop(0)
    return make_map_labels


def test_web_labels_file_is_what_the_script_writes(make_map_labels):
    shipped = json.loads((WEB / "labels.json").read_text("utf-8"))
    assert shipped["countries"] == make_map_labels.countries()
    assert shipped["provinces"] == make_map_labels.provinces()
    assert shipped["cities"] == make_map_labels.cities()


def test_web_labels_sit_inside_their_countries(make_map_labels):
    countries = {c[0]: c[1:3] for c in make_map_labels.countries()}
    # Antimeridian countries are placed on their land, not at a longitude past 180.
    assert countries["Russia"][0] == pytest.approx(100, abs=15)
    assert countries["Fiji"][0] == pytest.approx(178, abs=2)
    assert countries["Syria"] == pytest.approx([38.5, 35.0], abs=1)
    provinces = {(p[0], p[1]): p[2:4] for p in make_map_labels.provinces()}
    assert provinces[("Idlib", "SY")] == pytest.approx([36.6, 35.9], abs=0.5)
    assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in countries.values())


@pytest.mark.parametrize("name,size", [("dashboard-1400x1000.png", (1400, 1000)),
                                       ("dashboard-1920x1080.png", (1920, 1080))])
def test_web_screenshots_in_docs_are_of_both_window_sizes(name, size):
    data = (DOCS / name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == size
