"""Territorial control: statements become claims; `sitreps control --at` answers with sources."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.control_query import who_controls
from sitreps.extract.control import claim_confidence
from sitreps.pipeline import run_stages
from sitreps.records import Analysis, Article, ControlClaim, Place, Source
from sitreps.registry import check_pipeline
from sitreps.store.duckdb import Store

STATEMENTS = (
    "Raqqa, which is controlled by Islamic State, was bombed on Monday. "
    "The town of Manbij is held by the Kurdish YPG. "
    "Syrian troops besieged Daraya for four years. "
    "Rebels withdrew from Khan Shaykhun on Tuesday. "
    "Much of Deir Ezzor remains under the control of Islamic State. "
    "Hundreds of rebels fled to Idlib on Sunday."
)


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_control_statements_become_claims(nlp, config):
    article = Article(id="ctl", text=STATEMENTS, published=date(2017, 3, 1))
    analysis = run_stages(Analysis(article=article, doc=nlp(STATEMENTS)),
                          check_pipeline(config.stages), config)
    found = {(c.controller, c.change, c.stage.partition(":")[2]) for c in analysis.control_claims}
    assert ("islamic-state", "holds", "held_by") in found
    assert ("syrian-government-forces", "contested", "besieged") in found
    assert ("syrian-rebels", "lost", "withdrew") in found
    assert ("islamic-state", "holds", "under_control") in found
    assert ("syrian-rebels", "holds", "flee_to") in found
    for claim in analysis.control_claims:
        [source] = claim.sources
        assert STATEMENTS[source.start : source.end] == source.sentence
    assert claim_confidence("sitreps.control.v1:flee_to") < claim_confidence("sitreps.control.v1")


def _claims_db(db_path) -> None:
    text = "A says IS took the town. B says the army still holds it. C says rebels hold it."
    place = Place(id="gn:9", name="Testtown", country="SY")
    claims = (
        ControlClaim("gn:9", "gov", "holds", date(2016, 12, 1), (Source("a", text[:24], 0, 24),),
                     "sitreps.control.v1:held"),
        ControlClaim("gn:9", "isis", "gained", date(2016, 12, 11),
                     (Source("a", text[:24], 0, 24),), "sitreps.control.v1"),
        ControlClaim("gn:9", "gov", "holds", date(2016, 12, 15),
                     (Source("b", text[25:56], 25, 56),), "sitreps.control.v1:held"),
        ControlClaim("gn:9", "isis", "lost", date(2017, 3, 2), (Source("c", text[57:], 57, 81),),
                     "sitreps.control.v1"),
    )
    with Store(db_path) as store:
        article = Article(id="a", text=text)
        store.add_article(article)
        store.save_analyses([Analysis(article=article, places=(place,), control_claims=claims)])


def test_control_at_gives_most_recent_claims_and_disagreement(db_path):
    _claims_db(db_path)
    with Store(db_path, read_only=True) as store:
        [early] = who_controls(store, "Testtown", date(2016, 12, 12))
        assert [h.controller_id for h in early.holders] == ["isis"]
        [answer] = who_controls(store, "gn:9", date(2016, 12, 20))
        assert answer.disagreement
        assert {h.controller_id for h in answer.holders} == {"gov", "isis"}
        assert all(h.sources for h in answer.holders)
        [late] = who_controls(store, "Testtown", date(2017, 6, 1))
        assert [h.controller_id for h in late.holders] == ["gov"]
    result = invoke("control", "--place", "Testtown", "--at", "2016-12-20", "--db", str(db_path))
    assert result.exit_code == 0
    assert "Sources disagree" in result.output and "B says the army" in result.output


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, seed_path):
    path = tmp_path_factory.mktemp("seedctl") / "seed.duckdb"
    assert invoke("run", str(seed_path), "--db", str(path)).exit_code == 0
    return path


def test_control_seed_aleppo_palmyra_idlib(seed_db):
    with Store(seed_db, read_only=True) as store:
        [aleppo] = who_controls(store, "Aleppo", date(2016, 12, 20))
        assert aleppo.holders[0].controller_id == "syrian-government-forces"
        assert aleppo.holders[0].change == "gained"
        assert aleppo.holders[0].date.month == 12
        [palmyra] = who_controls(store, "Palmyra", date(2016, 12, 20))
        assert [h.controller_id for h in palmyra.holders] == ["islamic-state"]
        [idlib] = who_controls(store, "Idlib", date(2016, 12, 20))
        assert idlib.holders[0].controller_id == "syrian-rebels"
        assert idlib.holders[0].change == "holds"
        assert idlib.holders[0].confidence < 0.5
    result = invoke("control", "--place", "Palmyra", "--at", "2016-12-20", "--db", str(seed_db))
    assert "Islamic State" in result.output and "expulsion of the army" in result.output


def test_control_claims_carry_their_confidence(nlp, config, db_path):
    """The confidence is a typed field set by the stage and stored, not parsed from a label."""
    from sitreps.control_query import control_statements
    from sitreps.extract.control import PATTERN_CONFIDENCE

    article = Article(id="ctl", text=STATEMENTS, published=date(2017, 3, 1))
    analysis = run_stages(Analysis(article=article, doc=nlp(STATEMENTS)),
                          check_pipeline(config.stages), config)
    for claim in analysis.control_claims:
        pattern = claim.stage.partition(":")[2] or "event"
        assert claim.confidence == PATTERN_CONFIDENCE.get(pattern, 0.5)
    place = Place(id="gn:9", name="Testtown", country="SY")
    sure = ControlClaim("gn:9", "gov", "holds", date(2016, 12, 1), (), "plugin.control.v1", 0.9)
    with Store(db_path) as store:
        store.add_article(article)
        store.save_analyses([Analysis(article=article, places=(place,), control_claims=(sure,))])
        [statement] = control_statements(store)
        assert statement.confidence == 0.9
        # A claim stored before the column existed is ranked from its stage label.
        store.con.execute("UPDATE control_claims SET confidence = NULL, stage = "
                          "'sitreps.control.v1:flee_to'")
        [statement] = control_statements(store)
        assert statement.confidence == PATTERN_CONFIDENCE["flee_to"]
