"""Property tests: the extraction pipeline never raises on any text, offsets stay inside the
text, and tolls are never negative. Bounded so that it runs in CI on every commit."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitreps.ingest import make_article
from sitreps.pipeline import analyse_articles
from sitreps.records import Analysis, Article, IngestError

WORDS = st.sampled_from(
    ["Rebels", "shelled", "Aleppo", "killing", "12", "civilians", "Daesh", "may", "not",
     "retake", "the", "army", "in", "Idlib", "province", "on", "Monday", "dozens", "of",
     "were", "killed", "by", "an", "air", "strike", ".", ",", "’s", "-", "Homs", "1e308",
     "تقرير", "Ма́риуполь", "\u202e", "\x00", "\t", "\n\n", "(", ")"]
)
TEXTS = st.one_of(
    st.text(min_size=1, max_size=400),
    st.lists(WORDS, min_size=1, max_size=80).map(" ".join),
)


def check(analysis: Analysis) -> None:
    text = analysis.article.text
    for mention in analysis.mentions:
        assert 0 <= mention.start <= mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
    for event in analysis.events:
        if event.fatalities is not None:
            assert 0 <= event.fatalities.low <= event.fatalities.high <= 1_000_000
        for source in event.sources:
            assert 0 <= source.start <= source.end <= len(text)
            assert text[source.start : source.end] == source.sentence
    for item in (*analysis.relations, *analysis.control_claims):
        for source in item.sources:
            assert text[source.start : source.end] == source.sentence


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_reliability_fuzz_pipeline_never_raises(nlp, config, text):
    article = Article(id="fuzz", text=text, published=date(2020, 1, 1))
    for item in analyse_articles([article], nlp, config):
        assert not isinstance(item, IngestError), item.reason
        check(item)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_reliability_fuzz_make_article_never_raises(text):
    result = make_article(text)
    assert isinstance(result, (Article, IngestError))
