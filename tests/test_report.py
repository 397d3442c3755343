"""`sitreps report`: Markdown and HTML sitreps with footnoted sources; HTML escapes articles."""

from __future__ import annotations

import re
from datetime import date

from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.merge import run_merge
from sitreps.records import (
    Actor,
    Analysis,
    Article,
    ControlClaim,
    Event,
    Fatalities,
    Place,
    Relation,
    Source,
)
from sitreps.report import build_report, render_markdown
from sitreps.store.duckdb import Store

HOSTILE = (
    'Rebels <script>alert("x")</script> shelled Qaryat, killing 4 people '
    '<img src=x onerror="alert(1)">.'
)


def build_db(db_path) -> None:
    place = Place(id="gn:1", name="Qaryat", country="SY", admin1="Homs", latitude=34.5,
                  longitude=38.2, geo_precision=1)
    actors = (Actor(id="reb", name="Rebels", kind="rebel group", inter_code=2),
              Actor(id="tur", name="Turkey", kind="state forces", inter_code=8))
    source = Source("h1", HOSTILE, 0, len(HOSTILE))
    event = Event(
        id="h1-0", event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack", plover_type="ASSAULT",
        trigger="shelled", event_date=date(2016, 12, 11), time_precision=1, actor1="reb",
        place_id="gn:1", geo_precision=1, fatalities=Fatalities(4, 4, "4"), confidence=0.7,
        sources=(source,),
    )
    analysis = Analysis(
        article=Article(id="h1", text=HOSTILE, published=date(2016, 12, 12),
                        title="<b>Bold</b> title", url="javascript:alert(2)"),
        actors=actors, places=(place,), events=(event,),
        relations=(Relation("tur", "backs", "reb", date(2016, 12, 11), (source,)),),
        control_claims=(ControlClaim("gn:1", "reb", "holds", date(2016, 12, 11), (source,),
                                     "sitreps.control.v1:held"),),
    )
    with Store(db_path) as store:
        store.add_article(analysis.article)
        store.save_analyses([analysis])
        run_merge(store)


def test_report_markdown_footnotes_every_statement(db_path):
    build_db(db_path)
    with Store(db_path, read_only=True) as store:
        report = build_report(store, "Qaryat", date(2016, 12, 1), date(2016, 12, 31))
    titles = [s.title for s in report.sections]
    assert titles[:2] == ["Headline developments", "Control changes"]
    assert all(st.refs for s in report.sections for st in s.statements)
    text = render_markdown(report)
    assert "Turkey backs Rebels." in text and "at least 4 killed" in text
    assert re.search(r"\[\^1\]: ", text)


def test_report_cli_writes_markdown_and_escaped_html(db_path, tmp_path):
    build_db(db_path)
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    for out in (md, page):
        result = CliRunner().invoke(cli, ["report", "--place", "Qaryat", "--out", str(out),
                                          "--db", str(db_path)], catch_exceptions=False)
        assert result.exit_code == 0
    assert "Rebels holds Qaryat" not in md.read_text() and "Rebels held Qaryat" in md.read_text()
    html = page.read_text()
    assert "<script" not in html.lower() and "<img" not in html.lower()
    assert "&lt;script&gt;" in html and "onerror=&quot;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and 'href="javascript' not in html
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src &#x27;none&#x27;" in html
    assert not re.search(r'(src|href)="https?:', html)
