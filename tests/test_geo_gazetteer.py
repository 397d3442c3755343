"""Tests for sitreps.geo.gazetteer: normalisation, lookups, the disk cache."""

import math
from pathlib import Path

import pytest

from sitreps.geo.gazetteer import (
    ADMIN1_OWN_NAME_PRIOR,
    ADMIN1_PRIOR,
    CAPITAL_BONUS,
    Gazetteer,
    _Row,
    country_for_demonym,
    get_gazetteer,
    normalise_toponym,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ma'arrat an Nu'man", "Maarat al-Numan"),
        ("Ma‘arrat an Nu‘mān", "Maarat al-Numan"),
        ("Jisr ash Shughur", "Jisr al-Shughur"),
        ("Dayr az Zawr", "Deir ez-Zor"),
        ("Deir Ezzor", "Deir ez-Zor"),
        ("Tall Abyaḑ", "Tell Abyad"),
        ("Khān Shaykhūn", "Khan Sheikhoun"),
        ("Ar Raqqah", "Raqqa"),
        ("Dūmā", "Douma"),
        ("the Gaza Strip", "Gaza Strip"),
    ],
)
def test_geo_normalise_spelling_variants_share_a_key(a, b):
    assert normalise_toponym(a) == normalise_toponym(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Homs", "Hama"), ("Aleppo", "Idlib"), ("Tal Abyad", "Abyad")]
)
def test_geo_normalise_keeps_different_places_apart(a, b):
    assert normalise_toponym(a) != normalise_toponym(b)


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Kobani", "gn:172256"),
        ("Maarat al-Numan", "gn:167611"),
        ("Ma'arrat an Nu'man", "gn:167611"),
        ("Jisr ash Shughur", "gn:169023"),
        ("Deir Ezzor", "gn:170794"),
        ("Dayr az Zawr", "gn:170794"),
        ("Eastern Ghouta", "alias:eastern-ghouta"),
        ("Hmeimim airbase", "alias:hmeimim-airbase"),
        ("Bosnia", "country:BA"),  # issue 18: the short name news uses
    ],
)
def test_geo_candidates_find_news_spellings(name, place_id):
    assert place_id in [p.id for p in get_gazetteer().candidates(name)]


def test_geo_candidates_fuzzy_fallback_finds_typos():
    assert get_gazetteer().candidates("Aleppoo")[0].id == "gn:170063"
    assert get_gazetteer().candidates("Benghazzi")[0].country == "LY"


def test_geo_candidates_gibberish_is_empty():
    assert get_gazetteer().candidates("Xqzwv Blorpistan") == []


def test_geo_country_by_code_and_name():
    gaz = get_gazetteer()
    assert gaz.country("SY").id == "country:SY"
    assert gaz.country("SYR").id == "country:SY"
    assert gaz.country("Syria").geo_precision == 3
    assert gaz.country("DRC").id == "country:CD"
    assert gaz.country("Atlantis") is None


def test_geo_admin1_has_population_weighted_centroid():
    idlib = get_gazetteer().place("admin1:SY.12")
    assert idlib.name == "Idlib" and idlib.geo_precision == 3
    assert 35.0 < idlib.latitude < 36.5 and 36.0 < idlib.longitude < 37.2


def test_geo_country_for_demonym():
    assert country_for_demonym("Syrian") == "SY"
    assert country_for_demonym("Libyans") == "LY"
    assert country_for_demonym("Martian") is None


@pytest.mark.slow
def test_geo_cache_reload_works(tmp_path, monkeypatch):
    stale = tmp_path / "gazetteer-0.0.1-0123456789abcdef.sqlite"
    stale.write_bytes(b"an index an older sitreps wrote")
    stale.with_suffix(".crc").write_text("0")
    first = Gazetteer.load(cache_dir=tmp_path)
    assert not stale.exists()  # indexes of other versions are never read again
    assert not stale.with_suffix(".crc").exists()
    (index_file,) = tmp_path.glob("gazetteer-*.sqlite")

    def no_rebuild(*args, **kwargs):
        raise AssertionError("a valid cache must not be rebuilt")

    with monkeypatch.context() as patch:
        patch.setattr(Gazetteer, "build", no_rebuild)
        second = Gazetteer.load(cache_dir=tmp_path)
    assert second.store is not None
    assert second.candidates("Aleppo") == first.candidates("Aleppo")
    assert second.candidate_ids("Jisr ash Shugur") == first.candidate_ids("Jisr ash Shugur")
    assert len(second.rows) == len(first.rows)
    assert second.area_pairs == first.area_pairs
    # A corrupt cache file is rebuilt, not fatal (the rebuild takes ~15 s, so it shares this test).
    index_file.write_bytes(b"not a gazetteer")
    assert Gazetteer.load(cache_dir=tmp_path).country("LY").id == "country:LY"


def _tiny_gazetteer(curated: dict) -> Gazetteer:
    """A hand-built gazetteer of three places, standing in for the 15-second GeoNames build."""
    gaz = Gazetteer(
        rows={
            "gn:1": _Row("Aleppo", "SY", "Aleppo", 36.2, 37.16, "P", 2_000_000, 1),
            "gn:2": _Row("Aleppo", "US", "Pennsylvania", 40.5, -80.0, "P", 1_900, 1),
            "admin1:SY.09": _Row("Aleppo", "SY", "Aleppo", 36.2, 37.2, "A.ADM1", 0, 3),
            "country:SY": _Row("Syria", "SY", None, 35.0, 38.0, "A.PCLI", 18_000_000, 3, True),
        },
        pattern_names={"gn:1": ("Aleppo",), "country:SY": ("Syria",)},
        index={
            "alepo": ("gn:1", "admin1:SY.09", "gn:2"),
            "syria": ("country:SY",),
            normalise_toponym(curated.get("extra", "syrie")): ("country:SY",),
        },
        fuzzy_keys=["alepo", "syria"],
        country_ids={"SY": "country:SY", "SYR": "country:SY"},
        demonyms={"syrian": "SY"},
        capitals=["gn:1"],
    )
    return gaz


@pytest.fixture
def tiny_build(monkeypatch):
    """Count the builds, and make each a tiny one (the cache logic is what is under test)."""
    calls = []

    def build(curated):
        calls.append(curated)
        return _tiny_gazetteer(curated)

    monkeypatch.setattr(Gazetteer, "build", staticmethod(build))
    return calls


def _same_lookups(a: Gazetteer, b: Gazetteer) -> None:
    for name in ("Aleppo", "Alepo", "Allepo", "Syria", "Syrie", "Damascus"):
        assert a.candidates(name) == b.candidates(name)
    assert a.country("SYR") == b.country("SYR")
    assert a.country_for_demonym("Syrians") == b.country_for_demonym("Syrians") == "SY"
    assert [a.prior(i) for i in sorted(a.rows)] == [b.prior(i) for i in sorted(b.rows)]
    assert a.area_pairs == b.area_pairs == {("SY", "Aleppo")}


def test_geo_cache_is_written_once_and_read_on_demand(tmp_path, tiny_build):
    built = Gazetteer.load(cache_dir=tmp_path)
    cached = Gazetteer.load(cache_dir=tmp_path)
    assert len(tiny_build) == 1
    assert built.store is None and cached.store is not None
    _same_lookups(built, cached)
    assert dict(cached.rows.items()) == {k: tuple(v) for k, v in built.rows.items()}
    assert "gn:2" in cached.rows and "gn:3" not in cached.rows
    assert cached.rows.get("gn:3") is None and len(cached.rows) == 4


def test_geo_cache_follows_the_cache_env_var(tmp_path, tiny_build, monkeypatch):
    monkeypatch.setenv("SITREPS_CACHE", str(tmp_path / "env"))
    Gazetteer.load()
    assert list((tmp_path / "env").glob("gazetteer-*.sqlite"))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda index, crc: index.unlink(), id="missing-index"),
        pytest.param(lambda index, crc: crc.unlink(), id="missing-checksum"),
        pytest.param(
            lambda index, crc: index.write_bytes(index.read_bytes()[:4096]), id="truncated"
        ),
        pytest.param(
            lambda index, crc: index.write_bytes(index.read_bytes().replace(b"Aleppo", b"Alepp0")),
            id="bytes-changed",
        ),
        pytest.param(lambda index, crc: crc.write_text("not a number"), id="bad-checksum"),
    ],
)
def test_geo_cache_damaged_is_rebuilt_never_trusted(tmp_path, tiny_build, damage):
    first = Gazetteer.load(cache_dir=tmp_path)
    (index,) = tmp_path.glob("gazetteer-*.sqlite")
    damage(index, index.with_suffix(".crc"))
    again = Gazetteer.load(cache_dir=tmp_path)
    assert len(tiny_build) == 2
    _same_lookups(first, again)
    # The rebuild replaced the damaged file: the next load reads it.
    assert Gazetteer.load(cache_dir=tmp_path).store is not None
    assert len(tiny_build) == 2


def test_geo_cache_changed_places_file_rebuilds(tmp_path, tiny_build, monkeypatch):
    from sitreps.geo import gazetteer as module

    Gazetteer.load(cache_dir=tmp_path)
    monkeypatch.setattr(module, "_places_json_bytes", lambda: b'{"extra": "suriya"}')
    changed = Gazetteer.load(cache_dir=tmp_path)
    assert len(tiny_build) == 2 and tiny_build[-1] == {"extra": "suriya"}
    assert changed.candidate_ids("Suriya") == ("country:SY",)
    (index,) = tmp_path.glob("gazetteer-*.sqlite")  # the old index is pruned
    assert Gazetteer.load(cache_dir=tmp_path).candidate_ids("Suriya") == ("country:SY",)


def test_geo_cache_changed_code_rebuilds(tmp_path, tiny_build, monkeypatch):
    from sitreps.geo import gazetteer as module

    Gazetteer.load(cache_dir=tmp_path)
    source = tmp_path / "gazetteer.py"
    source.write_bytes(Path(module.__file__).read_bytes() + b"\n# a changed build rule\n")
    monkeypatch.setattr(module, "__file__", str(source))
    Gazetteer.load(cache_dir=tmp_path)
    assert len(tiny_build) == 2


def test_geo_cache_read_only_directory_still_gives_a_gazetteer(tmp_path, tiny_build):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache directory should be")
    gaz = Gazetteer.load(cache_dir=blocker / "cache")
    assert gaz.store is None and gaz.candidate_ids("Aleppo")[0] == "gn:1"


def test_geo_cached_gazetteer_pickles_and_works_across_threads(tmp_path, tiny_build):
    import pickle
    from concurrent.futures import ThreadPoolExecutor

    Gazetteer.load(cache_dir=tmp_path)
    cached = Gazetteer.load(cache_dir=tmp_path)
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda name: cached.candidate_ids(name), ["Aleppo", "Syria"] * 20))
    assert found[:2] == [("gn:1", "admin1:SY.09", "gn:2"), ("country:SY",)]
    clone = pickle.loads(pickle.dumps(cached))
    assert clone.candidates("Aleppo") == cached.candidates("Aleppo")


@pytest.mark.parametrize(
    ("code", "lat", "lon"),
    [("US", 39.76, -98.5), ("CN", 35.0, 105.0), ("CA", 60.10867, -113.64258), ("SY", 35.0, 38.0)],
)
def test_geo_country_uses_geonames_point_not_town_centroid(code, lat, lon):
    place = get_gazetteer().country(code)
    assert (place.latitude, place.longitude) == (lat, lon)


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("Africa", "alias:africa"),
        ("Asia", "alias:asia"),
        ("Middle East", "alias:middle-east"),
        ("Latin America", "alias:latin-america"),
        ("the Gulf", "alias:persian-gulf"),
        ("Sahel", "alias:sahel"),
        ("EU", "alias:european-union"),
    ],
)
def test_geo_regions_outrank_towns_named_after_them(name, place_id):
    gaz = get_gazetteer()
    best = gaz.candidates(name)[0]
    assert best.id == place_id and best.geo_precision == 3 and best.country is None


def test_geo_us_states_have_geonames_points_and_abbreviations():
    gaz = get_gazetteer()
    texas = gaz.place("admin1:US.TX")
    assert (texas.latitude, texas.longitude) == (31.25044, -99.25061)
    assert gaz.candidates("Calif.")[0].id == "admin1:US.CA"
    assert gaz.candidates("Ontario", fuzzy=False)[0].country in ("US", "CA")
    assert "admin1:CA.08" in gaz.candidate_ids("Ontario", fuzzy=False)


def test_geo_place_adjectives_cover_demonyms_and_regions():
    gaz = get_gazetteer()
    assert gaz.is_place_adjective("Russians") and gaz.is_place_adjective("European")
    assert gaz.is_place_adjective("Latin American")
    assert not gaz.is_place_adjective("Muslim")


def test_geo_gazetteer_national_capitals_get_a_prior_bonus():
    gaz = get_gazetteer()
    washington = gaz.place("gn:4140963")
    assert "gn:4140963" in gaz.capitals
    assert gaz.prior(washington.id) == pytest.approx(
        8.0 * math.log10(washington.population + 1) + CAPITAL_BONUS
    )


def test_geo_gazetteer_admin1_prior_depends_on_a_town_of_its_name():
    gaz = get_gazetteer()
    assert gaz.prior("admin1:SY.12") == ADMIN1_PRIOR  # Idlib, like its capital
    assert gaz.prior("admin1:US.TX") == ADMIN1_OWN_NAME_PRIOR


def test_geo_gazetteer_us_counties_name_their_states():
    assert get_gazetteer().county_states("Lamar County") == (
        "Alabama",
        "Georgia",
        "Mississippi",
        "Texas",
    )


@pytest.mark.parametrize(
    ("place_id", "admin1", "admin2"),
    [
        ("gn:578072", "Belgorod", "Belgorodskiy Rayon"),  # Russia: no curated provinces
        ("gn:745044", "Istanbul", None),
        ("gn:706483", "Kharkiv Oblast", None),  # curated oblast names win over GeoNames'
        ("gn:4068590", "Alabama", "Madison County"),  # Huntsville: the county is ACLED's admin2
        ("gn:2357048", "Centre", "Kadiogo Province"),  # Ouagadougou
    ],
)
def test_geo_gazetteer_towns_carry_admin_names_of_every_country(place_id, admin1, admin2):
    place = get_gazetteer().place(place_id)
    assert (place.admin1, place.admin2) == (admin1, admin2)


def test_geo_gazetteer_admin_names_of_nearly_every_town():
    rows = [row for row in get_gazetteer().rows.values() if row[5] == "P"]
    named = sum(row[2] is not None for row in rows)
    assert named / len(rows) > 0.99


def test_geo_gazetteer_only_named_areas_take_document_votes():
    from sitreps.geo.resolve import Toponym, admin_votes

    votes = admin_votes([Toponym("Belgorod"), Toponym("Texas")], get_gazetteer())
    assert ("RU", "Belgorod") not in votes.total  # no admin1 place to name, so no vote
    assert ("US", "Texas") in votes.total


def test_geo_gazetteer_provinces_named_only_by_geonames_are_places():
    gaz = get_gazetteer()
    (province,) = gaz.candidates("Cabo Delgado")
    assert (province.country, province.feature_class, province.geo_precision) == ("MZ", "A.ADM1", 3)
    assert province.id in gaz.generated_set
    # Curated names still win where they exist, and directions are no provinces.
    assert "admin1:SY.12" not in gaz.generated_set
    names = {gaz.rows[pid][0] for pid in gaz.generated_admin1}
    assert not names & {"Centre", "West Coast", "Nord", "Western", "Upper East"}
