"""Tests for sitreps.geo.gazetteer: normalisation, lookups, the disk cache."""

import math

import pytest

from sitreps.geo.gazetteer import (
    ADMIN1_OWN_NAME_PRIOR,
    ADMIN1_PRIOR,
    CAPITAL_BONUS,
    Gazetteer,
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
    stale = tmp_path / "gazetteer-0.0.1-f1-0123456789abcdef.marshal"
    stale.write_bytes(b"an index an older sitreps wrote")
    first = Gazetteer.load(cache_dir=tmp_path)
    (cache_file,) = tmp_path.iterdir()  # the stale index is gone

    def no_rebuild(*args, **kwargs):
        raise AssertionError("a valid cache must not be rebuilt")

    with monkeypatch.context() as patch:
        patch.setattr(Gazetteer, "build", no_rebuild)
        second = Gazetteer.load(cache_dir=tmp_path)
    assert second.candidates("Aleppo") == first.candidates("Aleppo")
    assert len(second.rows) == len(first.rows)
    # A corrupt cache file is rebuilt, not fatal (the rebuild takes ~15 s, so it shares this test).
    cache_file.write_bytes(b"not a gazetteer")
    assert Gazetteer.load(cache_dir=tmp_path).country("LY").id == "country:LY"


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
