"""One incident, one event: restatements inside an article fold into one event (issue 13).

Articles here were written for these tests.
"""

from __future__ import annotations

from datetime import date

from sitreps.extract.incidents import _place_rank, kinds_match, places_agree, same_incident
from sitreps.geo.resolve import unlisted_place
from sitreps.ingest import make_article
from sitreps.pipeline import analyse_articles
from sitreps.records import FACTUAL_MODALITIES, Analysis, Event, Fatalities, Place, Source

PUBLISHED = date(2019, 5, 8)  # a Wednesday


def analyse(nlp, config, text: str, published: date = PUBLISHED) -> Analysis:
    article = make_article(text, title="test", published=published)
    [analysis] = list(analyse_articles([article], nlp, config))
    assert isinstance(analysis, Analysis), analysis
    return analysis


def factual(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if e.modality in FACTUAL_MODALITIES]


def test_restatements_of_one_bombing_are_one_event_with_one_toll(nlp, config):
    analysis = analyse(
        nlp, config,
        "Two suicide bombers killed 17 people at a police station in Qamishli on Tuesday. "
        "The bombers blew themselves up at the gate of the station, a police officer said. "
        "The attackers also threw a grenade at the guards. "
        "Seventeen people were killed in the attack, the local health office said.",
    )
    [event] = factual(analysis)
    assert event.sub_event_type == "Suicide bomb"
    assert event.fatalities.best == 17  # stated twice, counted once
    assert len(event.sources) >= 3
    assert event.event_date == date(2019, 5, 7)


def test_two_incidents_in_different_provinces_days_apart_stay_two(nlp, config):
    analysis = analyse(
        nlp, config,
        "A car bomb killed eight people in Azaz on Monday. "
        "Separately, government shelling killed five civilians in Khan Sheikhoun on Saturday.",
    )
    events = factual(analysis)
    assert sorted(e.fatalities.best for e in events) == [5, 8]


def test_a_ledes_toll_broken_down_by_district_stays_the_toll(nlp, config):
    analysis = analyse(
        nlp, config,
        "Six civilians were killed on Tuesday in rebel rocket attacks on several neighborhoods "
        "in Aleppo city. Two people were killed in a rocket attack on Salah Eddin neighborhood. "
        "Two other people were killed in a similar attack on Midan. "
        "One person was killed in al-Hamadaniyeh.",
    )
    [event] = factual(analysis)
    assert event.fatalities.best == 6  # the parts (2, 2, 1) break the lede's six down


def test_a_toll_restated_more_often_than_a_passing_figure_wins(nlp, config):
    analysis = analyse(
        nlp, config,
        "Regime air strikes killed 12 people in Douma on Tuesday. "
        "Among the 12 dead were five children. "
        "Twelve people were killed in the strikes, rescuers said.",
    )
    [event] = factual(analysis)
    assert event.fatalities.best == 12


def test_tolls_of_one_sentence_are_not_copied_onto_each_weapon(nlp, config):
    analysis = analyse(
        nlp, config, "Bombing and shelling killed 12 civilians in Douma on Monday."
    )
    assert sum(e.fatalities.best for e in factual(analysis) if e.fatalities) == 12


def test_government_air_strikes_toll_actor_and_date(nlp, config):
    analysis = analyse(
        nlp, config,
        "Syrian government air strikes killed at least 12 civilians in Khan Sheikhoun on Tuesday.",
    )
    [event] = factual(analysis)
    actors = {a.id: a for a in analysis.actors}
    assert event.fatalities.best == 12
    assert actors[event.actor1].country == "SY" and actors[event.actor1].inter_code == 1
    assert event.event_date == date(2019, 5, 7)


def test_victims_take_the_country_of_the_place_hit(nlp, config):
    analysis = analyse(nlp, config, "Russian strikes kill 34 civilians in Idlib.")
    [event] = factual(analysis)
    actors = {a.id: a for a in analysis.actors}
    assert actors[event.actor1].country == "RU"
    assert actors[event.actor2].inter_code == 7 and actors[event.actor2].country == "SY"
    assert event.actor1 != event.actor2


def test_unplaced_victims_never_take_the_attackers_nationality(nlp, config):
    analysis = analyse(
        nlp, config,
        "The monitor published its weekly report. "
        "A Russian warplane struck north of the city with four airstrikes, "
        "killing three civilians.",
    )
    [event] = factual(analysis)
    actors = {a.id: a for a in analysis.actors}
    assert actors[event.actor1].country == "RU"
    assert actors[event.actor2].inter_code == 7 and actors[event.actor2].country != "RU"


def test_a_deal_never_carries_the_deaths_of_its_sentence(nlp, config):
    analysis = analyse(
        nlp, config,
        "Over 40 civilians have been killed in Daraa since the truce collapsed on Sunday.",
    )
    deals = [e for e in analysis.events if e.event_type == "Strategic developments"]
    assert all(e.fatalities is None for e in deals)


def test_a_year_is_never_a_toll(nlp, config):
    analysis = analyse(nlp, config, "Three soldiers were killed in Deir ez-Zor in 2019 fighting.")
    assert all(
        e.fatalities is None or e.fatalities.best != 2019 for e in analysis.events
    )


def test_a_country_that_acts_is_not_the_place(nlp, config):
    analysis = analyse(nlp, config, "The hill was seized by Turkey after heavy fighting.")
    places = {p.id: p for p in analysis.places}
    assert all(places[e.place_id].country != "TR" for e in analysis.events if e.place_id)


def _event(**fields) -> Event:
    base = dict(id="e", event_type="Battles", sub_event_type="Armed clash", plover_type="FIGHT",
                trigger="clash", modality="asserted")
    return Event(**{**base, **fields})


def test_kinds_territory_only_with_its_clash():
    capture = _event(sub_event_type="Government regains territory")
    strike = _event(event_type="Explosions/Remote violence", sub_event_type="Air/drone strike")
    assert kinds_match(capture, _event())
    assert not kinds_match(capture, strike)
    attack = _event(event_type="Violence against civilians", sub_event_type="Attack")
    assert kinds_match(strike, attack)


def test_places_far_apart_or_in_other_countries_disagree():
    idlib = Place("admin1:SY:idlib", "Idlib", "SY", "Idlib", latitude=35.9, longitude=36.6,
                  geo_precision=3)
    saraqib = Place("gn:1", "Saraqib", "SY", "Idlib", latitude=35.86, longitude=36.8)
    azaz = Place("gn:2", "Azaz", "SY", "Aleppo", latitude=36.59, longitude=37.04)
    male = Place("gn:3", "Male", "MV", "Kaafu", latitude=4.17, longitude=73.5)
    assert places_agree(idlib, saraqib) and places_agree(None, azaz)
    assert not places_agree(saraqib, azaz)
    assert not places_agree(saraqib, male)


def test_places_a_province_holds_a_village_known_by_name_only():
    # Issue 18: no point, coded at province precision, but inside the province.
    deir = Place("admin1:SY.07", "Deir ez-Zor", "SY", "Deir ez-Zor", geo_precision=3)
    village = unlisted_place("Qaryat Zibdin", "SY", "Deir ez-Zor")
    other = unlisted_place("Tell Marzuq", "SY", "Deir ez-Zor")
    elsewhere = unlisted_place("Qaryat Zibdin", "SY", "Idlib")
    assert places_agree(deir, village) and places_agree(village, deir)
    assert not places_agree(village, other)  # two villages, no point to compare
    assert not places_agree(deir, elsewhere)


def test_opposite_sides_are_two_acts():
    places: dict[str, Place] = {}
    a = _event(actor1="rebels", actor2="army")
    b = _event(actor1="army", actor2="rebels")
    assert not same_incident(a, b, places)
    assert same_incident(a, _event(actor1="rebels"), places)
    # one side named once, as the attacker of the other: a misread victim, not two acts
    assert same_incident(a, _event(actor1="army"), places)


def test_a_country_holds_its_provinces_and_a_toll_update_a_day_later_is_one_incident():
    syria = Place("country:SY", "Syria", "SY", geo_precision=3)
    deir = Place("admin1:SY.07", "Deir ez-Zor", "SY", "Deir ez-Zor", geo_precision=3)
    assert places_agree(syria, deir)
    strike = _event(event_date=date(2019, 5, 1), time_precision=1)
    said = "The toll of the clash rose to 20 on Thursday."
    update = _event(event_date=date(2019, 5, 2), time_precision=1,
                    fatalities=Fatalities(20, 20, "20"),
                    sources=(Source("a", said, 0, len(said)),))
    week_later = _event(event_date=date(2019, 5, 8), time_precision=1)
    assert same_incident(strike, update, {})
    assert not same_incident(strike, week_later, {})
    # a day apart, the later opening on its own day with no night and no update: its own act
    opens = _event(id="o", event_date=date(2019, 5, 2), time_precision=1)
    assert not same_incident(strike, opens, {}, openers=frozenset({"o"}))
    # a day read from when a source spoke may differ from the act's by one
    assert same_incident(strike, _event(event_date=date(2019, 5, 2), time_precision=1), {})
    night = "The clash went on late on Wednesday."
    assert same_incident(_event(event_date=date(2019, 5, 1), time_precision=1,
                                sources=(Source("a", night, 0, len(night)),)),
                         _event(event_date=date(2019, 5, 2), time_precision=1), {})


def test_civilians_are_never_the_attackers(nlp, config):
    analysis = analyse(nlp, config, "4 Civilians Killed in Rebel Rocket Attacks on Hama.")
    actors = {a.id: a for a in analysis.actors}
    for event in factual(analysis):
        assert event.actor1 is None or actors[event.actor1].inter_code != 7


def test_a_gas_field_is_no_chemical_weapon(nlp, config):
    analysis = analyse(
        nlp, config, "Jihadists stormed an oil and gas field near Palmyra, killing 40 guards."
    )
    assert all(e.sub_event_type != "Chemical weapon" for e in analysis.events)
    assert any(e.fatalities and e.fatalities.best == 40 for e in factual(analysis))


def test_capturing_a_person_is_an_arrest_and_capturing_a_village_is_not(nlp, config):
    person = analyse(nlp, config, "Kurdish police captured Abu Khalid al-Iraqi in Qamishli.")
    village = analyse(nlp, config, "The capture of Tel Brak was announced by Kurdish fighters.")
    assert [e.sub_event_type for e in factual(person)] == ["Arrests"]
    assert all(e.sub_event_type != "Arrests" for e in village.events)


def test_a_bomber_who_blew_himself_up_is_a_suicide_bomb(nlp, config):
    analysis = analyse(
        nlp, config, "A man blew himself up outside a bakery in Azaz on Monday, killing nine."
    )
    assert [e.sub_event_type for e in factual(analysis)] == ["Suicide bomb"]


def test_killed_militants_make_a_clash_not_an_attack_on_civilians(nlp, config):
    analysis = analyse(
        nlp, config, "Scores of terrorists were killed in army operations near Hama on Sunday."
    )
    assert [e.sub_event_type for e in factual(analysis)] == ["Armed clash"]


def test_headline_counts_of_the_wounded_are_no_toll(nlp, config):
    for text, dead in (
        ("6 civilians killed 31 others injured in rocket attacks on Homs.", 6),
        ("Four Killed 15 Injured in Mortar Fire on Jableh.", 4),
    ):
        tolls = [e.fatalities.best for e in factual(analyse(nlp, config, text)) if e.fatalities]
        assert tolls == [dead], (text, tolls)


def test_a_share_widget_counter_is_no_toll(nlp, config):
    analysis = analyse(
        nlp, config, "Get short URL 0 318 Jets bombed a market in Ariha on Sunday, killing six."
    )
    assert [e.fatalities.best for e in factual(analysis) if e.fatalities] == [6]
    assert "Get short URL" not in analysis.article.text


def test_a_bomber_talked_about_is_no_attack_but_one_who_strikes_is(nlp, config):
    talked = analyse(nlp, config, "Teachers had reported the teenage suicide bomber to police.")
    struck = analyse(nlp, config, "A suicide bomber hit a bus station in Tartus on Monday.")
    assert all(e.sub_event_type != "Suicide bomb" for e in talked.events)
    assert [e.sub_event_type for e in factual(struck)] == ["Suicide bomb"]


def test_police_raids_are_arrests(nlp, config):
    analysis = analyse(
        nlp, config, "Police officers carried out raids across Birmingham on Friday."
    )
    assert [e.sub_event_type for e in factual(analysis)] == ["Arrests"]


def test_what_a_blast_destroyed_is_no_looting_and_destroyed_vehicles_are_combat(nlp, config):
    blast = analyse(
        nlp, config, "A car bomb exploded in Azaz on Monday. The blast destroyed two shops."
    )
    combat = analyse(
        nlp, config, "Army units destroyed three vehicles of the militants near Morek on Sunday."
    )
    assert all(e.sub_event_type != "Looting/property destruction" for e in blast.events)
    assert [e.sub_event_type for e in factual(combat)] == ["Armed clash"]


def test_a_suicide_bombing_told_as_bombs_takes_the_suicide_type(nlp, config):
    # The headline and a later sentence say "bombs"; one sentence says how they were set off.
    analysis = analyse(
        nlp, config,
        "Bombs kill 25 at army post in Homs. "
        "At least 25 people died on Thursday in a twin suicide bomb attack on an army post in "
        "Homs, the monitor said. "
        "The bombs went off at the post's gate, a witness said.",
    )
    [event] = factual(analysis)
    assert event.sub_event_type == "Suicide bomb"
    assert event.fatalities.best == 25


def test_deaths_in_the_days_after_a_fall_are_no_toll_of_the_fall(nlp, config):
    analysis = analyse(
        nlp, config,
        "Reports in May said scores of troops were executed in the days after the garrison "
        "town fell to IS on 21 May 2015.",
        published=date(2015, 6, 6),
    )
    assert factual(analysis), analysis.events  # the fall of the town is an event
    assert all(e.fatalities is None for e in factual(analysis))


def test_an_event_an_attack_comes_after_is_recalled_not_counted(nlp, config):
    analysis = analyse(
        nlp, config,
        "A car bomb killed nine soldiers in Hama on Tuesday. The attack comes less than two "
        "weeks after militants killed 270 guards during an assault on a gas field in Homs.",
    )
    assert sum(e.fatalities.best for e in factual(analysis) if e.fatalities) == 9


def test_a_capture_last_month_is_no_restatement_of_this_weeks_attack(nlp, config):
    analysis = analyse(
        nlp, config,
        "Kurdish fighters expelled the jihadists from Ras al-Ain last month. This week the "
        "jihadists attacked the town again, sparking fighting in which 17 people were killed.",
        published=date(2019, 5, 14),
    )
    # two incidents, not one: the capture "last month" is recalled, this week's clash is news
    [clash] = factual(analysis)
    assert clash.fatalities.best == 17 and clash.sub_event_type == "Armed clash"
    [capture] = [e for e in analysis.events if e.modality == "background"]
    assert capture.event_date.month == 4 and capture.fatalities is None


def test_a_region_of_no_one_country_places_no_event(nlp, config):
    analysis = analyse(
        nlp, config,
        "Army units struck positions of al-Nusra Front (the Qaeda affiliate in the Levant) on "
        "Friday. An air raid on a mosque killed 41 people, the envoy for the Middle East told "
        "journalists.",
    )
    places = {place.id: place for place in analysis.places}
    assert any(not place.country for place in places.values())  # the regions were resolved
    assert factual(analysis)
    for event in factual(analysis):
        assert event.place_id is None or places[event.place_id].country, event


def test_an_answering_strike_is_a_second_incident(nlp, config):
    analysis = analyse(
        nlp, config,
        "The monitor published its weekly report. Rebels fired rockets at the town of Qardaha "
        "on Monday, killing two people. Government jets answered with air strikes on rebel "
        "positions on Monday, killing 12 fighters.",
    )
    kinds = sorted((e.sub_event_type, e.fatalities.best) for e in factual(analysis))
    assert kinds == [("Air/drone strike", 12), ("Shelling/artillery/missile attack", 2)]


def test_incident_takes_the_province_before_the_whole_country():
    """ACLED codes a province and a country at one precision; the province says more."""

    def placed(place_id: str, position: int) -> Event:
        return Event(
            id=f"e{position}", event_type="Explosions/Remote violence",
            sub_event_type="Air/drone strike", plover_type="ASSAULT", trigger="strikes",
            place_id=place_id, geo_precision=3, confidence=0.6,
        )

    events = [placed("country:SY", 1), placed("country:SY", 2), placed("admin1:SY.07", 3)]
    best = min(events, key=lambda e: _place_rank(e, events))
    assert best.place_id == "admin1:SY.07"


def test_a_massacre_condemned_keeps_the_toll_its_own_clause_dates(nlp, config):
    analysis = analyse(
        nlp, config,
        "The council met on Wednesday. "
        "The council condemns the brutal massacre committed by the air force in Saraqeb today "
        "where 40 civilians were killed and dozens wounded in air raids on the market.",
    )
    [event] = [e for e in factual(analysis) if e.event_type != "Non-ACLED"]
    assert event.sub_event_type == "Air/drone strike"
    assert event.fatalities is not None and event.fatalities.best == 40


def test_a_definite_target_told_again_joins_the_act_that_named_it(nlp, config):
    """"The pilot" is the one whose execution was told, so his killing is that act, not the
    strikes beside it; the strikes keep only their own sentence."""
    analysis = analyse(
        nlp, config,
        "Thirty civilians were killed on Saturday in intensive government air strikes on a "
        "suburban town northeast of Damascus, a day after the reported execution of an air "
        "force pilot by rebels, a monitor said. The rebel group said the pilot was arrested "
        "and later killed by a fighter from another faction.",
        published=date(2016, 7, 2),
    )
    strikes = next(e for e in factual(analysis) if e.sub_event_type == "Air/drone strike")
    assert strikes.fatalities.best == 30
    assert not any("the pilot was arrested" in s.sentence for s in strikes.sources)
    execution = next(e for e in factual(analysis) if "the pilot was arrested" in (
        " ".join(s.sentence for s in e.sources)) and e.sub_event_type != "Arrests")
    assert any("execution" in s.sentence for s in execution.sources)


def test_a_capital_named_like_its_province_gives_way_to_the_village_told(nlp, config):
    """"Massacre in Hama Village" names the province by its capital's name; the village the
    next sentences name in Hama province is the scene."""
    analysis = analyse(
        nlp, config,
        "Gunmen Commit Massacre in Hama Village, 9 Civilians Dead. Gunmen shot dead nine "
        "civilians overnight in the village of Khatab in northern Hama province. Attackers "
        "entered Khatab before dawn and killed the nine, a police official said.",
        published=date(2014, 7, 9),
    )
    [event] = factual(analysis)
    place = next(p for p in analysis.places if p.id == event.place_id)
    assert place.name == "Khatab" and place.admin1 == "Hama"


def test_incidents_toll_update_words_come_from_the_run_s_package(tmp_path):
    # Issue 17: the words of a count going up are the lexicon's rising_words; a user's file adds
    # one ("soared") and the incident takes the update, the built-in package the lede's count.
    from sitreps.extract.incidents import _incident_toll, incident_kinds
    from sitreps.knowledge.package import load_knowledge
    from sitreps.records import Fatalities, Source

    def told(sentence: str, low: int) -> Event:
        source = Source("a", sentence, 0, len(sentence))
        return _event(id=str(low), sources=(source,),
                      fatalities=Fatalities(low, low, f"{low}", "civilians"))

    lede = told("At least 10 civilians were killed in the strike, 10 of them children.", 10)
    update = told("The toll has soared to 25, medics said.", 25)
    other = told("Elsewhere, 5 fighters were killed; earlier, 5 more died.", 5)
    group = [lede, update, other, told("10 were killed, 10 wounded.", 10)]
    assert _incident_toll(group).low == 10
    path = tmp_path / "rising.toml"
    path.write_text('[words]\nrising_words = ["soared"]\n', encoding="utf-8")
    assert _incident_toll(group, incident_kinds(load_knowledge((str(path),)))).low == 25


def test_incidents_toll_update_reads_the_toll_reader_s_qualifiers():
    # Issue 17: "the toll has risen to around 25" is an update whatever qualifier the count
    # carries; the qualifiers are the toll reader's (COUNT_QUALIFIERS), one list for both.
    from sitreps.extract.casualties import COUNT_QUALIFIERS
    from sitreps.extract.incidents import _toll_update
    from sitreps.records import Fatalities, Source

    def told(sentence: str) -> Event:
        source = Source("a", sentence, 0, len(sentence))
        return _event(id="u", sources=(source,), fatalities=Fatalities(25, 25, "25", None))

    assert {"at least", "about", "some", "more than", "over", "nearly", "almost"} <= set(
        COUNT_QUALIFIERS
    )
    for qualifier in ("at least", "around", "no fewer than", "up to", ""):
        assert _toll_update(told(f"The toll has risen to {qualifier} 25, medics said."))
    assert not _toll_update(told("The toll has risen to a record, with 25 dead."))
