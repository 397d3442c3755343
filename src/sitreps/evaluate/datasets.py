"""Run sitreps over each gold set and score it with the shared metrics.

One ``score_<dataset>`` function per gold set takes the gold items and the analyses sitreps made of
them and returns metrics and details; :func:`evaluate_dataset` reads, runs and scores in one call,
so the CLI, the CI gate and ``EVALUATION.md`` all share this single scorer.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sitreps.config import Config, load_config
from sitreps.evaluate import mappings as maps
from sitreps.evaluate import metrics as m
from sitreps.evaluate.readers import (
    EventLocationItem,
    FakesItem,
    GeoDocument,
    PloverActor,
    PloverItem,
    SnippetItem,
    WikiDocument,
    read_case2021,
    read_event_location,
    read_fakes,
    read_plover,
    read_toponym_corpus,
    read_wikievents,
)
from sitreps.extract.events import STAGE as EVENTS_STAGE
from sitreps.extract.incidents import STAGE as INCIDENTS_STAGE
from sitreps.geo.distance import haversine_km
from sitreps.ingest.dateline import find_dateline
from sitreps.ingest.text import article_id, make_article
from sitreps.knowledge.event_lexicon import NON_ACLED
from sitreps.records import (
    FACTUAL_MODALITIES,
    Actor,
    Analysis,
    Article,
    Event,
    IngestError,
    Mention,
    Place,
)

Progress = Callable[[int], None]


class UnknownDataset(ValueError):
    """The dataset name is not one of ``DATASETS``; run ``sitreps eval --help`` for the list."""


@dataclass(frozen=True, slots=True)
class EvalResult:
    """The score of sitreps on one gold set: ``metrics`` rates are in 0..1 (``*_km`` in km)."""

    dataset: str
    n: int
    metrics: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Dataset:
    """A gold set: where it lives under the data root, how to read it and how to score it."""

    name: str
    relative_path: str
    reader: Callable[[Path, list[str] | None], Sequence[Any]]
    scorer: Callable[[Sequence[Any], Sequence[Analysis | None]], tuple[dict, dict]]
    to_article: Callable[[Any], Article | IngestError]
    lower_is_better: frozenset[str] = frozenset()
    # Gold that marks every event *mention* (each trigger, each verb's place) is scored on the
    # mentions, before the incidents stage folds an article's restatements into one event.
    mention_level: bool = False
    # Scores of a learned component with and without it: each variant reruns the set with some
    # stage options changed and reports the named metrics again as ``<metric>_<suffix>``.
    variants: tuple[Variant, ...] = ()


@dataclass(frozen=True, slots=True)
class Variant:
    """A rerun of a gold set with other stage options, to show a component's share."""

    suffix: str
    stage: str
    options: Mapping[str, Any]
    metrics: tuple[str, ...]

    def apply(self, config: Config) -> Config:
        """A copy of ``config`` with this variant's options laid over the stage's own."""
        options = {**config.options_for(self.stage), **self.options}
        return config.copy(stage_options={**config.stage_options, self.stage: options})


# The event-location linker alone by rules and alone by the learned model; the default
# ("combined") is the headline figure (see sitreps.extract.locate_learned).
_LINKER_VARIANTS = tuple(
    Variant(linker, EVENTS_STAGE, {"location_linker": linker}, ("accuracy", "location"))
    for linker in ("rules", "learned")
)


# --- running sitreps ---------------------------------------------------------------------------


def _direct_article(text: str, published: Any = None, origin: str | None = None) -> Article:
    """An article whose text is kept byte for byte, so gold character offsets still index it.

    ``make_article`` normalises whitespace, which would shift every gold span after the first
    double space; span-scored sets (toponyms, event locations, WikiEvents) build the record here.
    """
    return Article(
        id=article_id(text), text=text, published=published, language="en", origin=origin
    )


def run_sitreps(
    articles: Sequence[Article | IngestError],
    nlp: Any,
    config: Config,
    progress: Progress | None = None,
) -> list[Analysis | None]:
    """Analyse articles and return one analysis per input, ``None`` where sitreps gave none."""
    from sitreps.pipeline import analyse_articles

    wanted = [a for a in articles if isinstance(a, Article)]
    by_id: dict[str, Analysis] = {}
    for result in analyse_articles(wanted, nlp, config):
        if isinstance(result, Analysis):
            by_id[result.article.id] = result
            if progress:
                progress(1)
        elif result.item and result.kind == "extraction" and progress:
            progress(1)
    if progress:
        progress(len(articles) - len(wanted))
    return [by_id.get(a.id) if isinstance(a, Article) else None for a in articles]


def main_event(
    analysis: Analysis | None, *, acled_only: bool = False, headline_first: bool = False
) -> Event | None:
    """The article's main event: factual first, then the deadliest, the most confident, the first.

    ``acled_only`` leaves out PLOVER-only acts (threats, demands, agreements in principle) that
    ACLED does not code, for gold sets in ACLED's vocabulary. ``headline_first`` ranks a
    factual event its first sentence tells before the others: a news article's headline tells
    its main event, where a deadlier clash told further down is background or another story
    (FA-KES articles open with their title; CASE and PLOVER items are snippets, not articles).
    """
    if analysis is None:
        return None
    events = [
        e for e in analysis.events if not (acled_only and e.event_type == NON_ACLED)
    ]
    if not events:
        return None
    ranked = sorted(
        enumerate(events),
        key=lambda pair: (
            pair[1].modality not in FACTUAL_MODALITIES,
            headline_first and not _told_first(pair[1]),
            -_sentence_toll(pair[1], events),
            -pair[1].confidence,
            pair[0],
        ),
    )
    return ranked[0][1]


def _told_first(event: Event) -> bool:
    """True for an event one of whose sources is the text's first sentence."""
    return any(source.start == 0 for source in event.sources)


def _sentence_toll(event: Event, events: Sequence[Event]) -> int:
    """An event's toll; a PLOVER-only act, which carries none, ranks by its sentence's toll.

    "Lebanon complained to the UN over air raids that killed 20": the complaint governs the
    sentence, so it stays the main act although the toll belongs to the raids.
    """
    if event.fatalities is not None:
        return event.fatalities.best
    if event.event_type != NON_ACLED or not event.sources:
        return 0
    span = _source_span(event)
    return max(
        (e.fatalities.best for e in events if e.fatalities and _source_span(e) == span),
        default=0,
    )


def _source_span(event: Event) -> tuple[int, int] | None:
    """The character span of the sentence an event came from."""
    return (event.sources[0].start, event.sources[0].end) if event.sources else None


def trigger_spans(event: Event, text: str) -> list[tuple[int, int]]:
    """Where the event's trigger word occurs in its source sentence.

    ``Event`` keeps the trigger's text, not its offset, so each occurrence in the sentence is a
    candidate; a sentence rarely repeats a trigger word.
    """
    span = _source_span(event)
    if span is None or not event.trigger:
        return []
    found, start = [], text.find(event.trigger, span[0], span[1])
    while start != -1:
        found.append((start, start + len(event.trigger)))
        start = text.find(event.trigger, start + 1, span[1])
    return found


def _nearest_mention(
    analysis: Analysis, event: Event, entity_id: str | None, label: str, text: str
) -> Mention | None:
    """The mention of ``entity_id`` in the event's sentence closest to its trigger."""
    span = _source_span(event)
    if entity_id is None or span is None:
        return None
    candidates = [
        mention
        for mention in analysis.mentions
        if mention.label == label
        and mention.entity_id == entity_id
        and span[0] <= mention.start
        and mention.end <= span[1]
    ]
    if not candidates:
        return None
    anchor = next(iter(trigger_spans(event, text)), span)[0]
    return min(candidates, key=lambda mention: abs(mention.start - anchor))


def _place(analysis: Analysis, place_id: str | None) -> Place | None:
    """The resolved place record with this id."""
    return next((p for p in analysis.places if p.id == place_id), None) if place_id else None


def _actor(analysis: Analysis, actor_id: str | None) -> Actor | None:
    """The actor record with this id."""
    return next((a for a in analysis.actors if a.id == actor_id), None) if actor_id else None


# --- FA-KES --------------------------------------------------------------------------------------


def fakes_article(item: FakesItem) -> Article | IngestError:
    """An article per FA-KES row, dated by the dateline it opens with.

    FA-KES has no publication-date column and its gold date is what gets scored, so the only
    date sitreps gets is the one printed at the top of the article, as a news feed would give.
    """
    return make_article(
        item.text, title=item.title, published=find_dateline(item.text), origin=f"fakes:{item.id}"
    )


def _civilian_toll(analysis: Analysis | None) -> int:
    """The largest toll of civilian (or unspecified) victims of the article's factual events.

    Only what a user sees by default counts: a background total ("280,000 killed since 2011"),
    a denied or a hypothetical toll is kept with ``--all`` but is no toll of the article's news.
    """
    if analysis is None:
        return 0
    tolls = [
        e.fatalities.best
        for e in analysis.events
        if e.fatalities and e.fatalities.victims in (None, "civilians")
        and e.modality in FACTUAL_MODALITIES
    ]
    return max(tolls, default=0)


def _predicted_place_names(
    analysis: Analysis | None, event: Event | None
) -> tuple[str | None, ...]:
    """Names and admin1 of the main event's place, else of the article's most named place."""
    if analysis is None:
        return ()
    place = _place(analysis, event.place_id) if event else None
    if place is None:
        counts = Counter(e.place_id for e in analysis.events if e.place_id)
        if counts:
            place = _place(analysis, counts.most_common(1)[0][0])
    if place is None:
        return ()
    return (place.name, place.admin1, place.admin2)


def score_fakes(
    items: Sequence[FakesItem], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """Per-article accuracy of the main event's location, actor, cause, toll and date."""
    hits: Counter[str] = Counter()
    predicted_actor, predicted_cause = [], []
    for item, analysis in zip(items, analyses, strict=True):
        event = main_event(analysis, acled_only=True, headline_first=True)
        actor = _actor(analysis, event.actor1) if analysis and event else None
        predicted_actor.append(maps.fakes_actor(actor))
        predicted_cause.append(maps.cause_of_death(event))
        hits["location"] += maps.fakes_location_matches(
            item.location, _predicted_place_names(analysis, event)
        )
        hits["actor"] += predicted_actor[-1] == item.actor
        hits["cause"] += predicted_cause[-1] == item.cause
        if item.civilians is not None:
            toll = _civilian_toll(analysis)
            hits["civilians_exact"] += toll == item.civilians
            hits["civilians_20pct"] += m.within_pct(item.civilians, toll)
        when = event.event_date if event else None
        if item.date and when:
            hits["date_exact"] += when == item.date
            hits["date_3d"] += abs((when - item.date).days) <= 3
    n = len(items)
    metrics = {
        key: m.ratio(hits[key], n)
        for key in (
            "location",
            "actor",
            "cause",
            "civilians_exact",
            "civilians_20pct",
            "date_exact",
            "date_3d",
        )
    }
    metrics.update(trust_metrics(items, analyses))
    gold_actor = [item.actor for item in items]
    gold_cause = [item.cause for item in items]
    details = {
        "no_analysis": sum(a is None for a in analyses),
        "no_event": sum(main_event(a, acled_only=True) is None for a in analyses),
        "actor_confusions": m.confusions(gold_actor, predicted_actor, top=5),
        "cause_confusions": m.confusions(gold_cause, predicted_cause, top=5),
        "baseline": _fakes_baseline(items),
    }
    return metrics, details


# Syria and the countries around it: an event of a Syrian-war story placed elsewhere is almost
# always a misread namesake, a speaker's seat or an attacker's homeland.
SYRIA_AND_NEIGHBOURS = frozenset({"SY", "IQ", "TR", "LB", "JO", "IL", "PS"})
_YEAR_IN_TEXT = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")


def trust_metrics(
    items: Sequence[FakesItem], analyses: Sequence[Analysis | None]
) -> dict[str, float]:
    """How far the factual events of one-incident articles can be trusted (issue 13).

    - ``events_per_article``: median number of factual events an article yields;
    - ``overcount_share``: share of articles whose summed factual tolls exceed
      max(2 x gold, gold + 10), gold = civilians + non-civilians killed;
    - ``toll_ratio``: all factual deaths over all gold deaths;
    - ``abroad_share``: share of placed factual events outside Syria and its neighbours;
    - ``year_tolls``: factual events whose toll is a year written in their sentence.
    """
    per_article: list[int] = []
    over = placed = abroad = year_tolls = 0
    deaths = gold_deaths = 0
    for item, analysis in zip(items, analyses, strict=True):
        # The events an export gives by default: factual, in ACLED's vocabulary.
        events = [
            e for e in (analysis.events if analysis else ())
            if e.modality in FACTUAL_MODALITIES and e.event_type != NON_ACLED
        ]
        places = {p.id: p for p in analysis.places} if analysis else {}
        per_article.append(len(events))
        toll = sum(e.fatalities.best for e in events if e.fatalities)
        over += toll > max(2 * item.deaths, item.deaths + 10)
        deaths += toll
        gold_deaths += item.deaths
        for event in events:
            place = places.get(event.place_id or "")
            if place is not None and place.country:
                placed += 1
                abroad += place.country not in SYRIA_AND_NEIGHBOURS
            if event.fatalities and any(
                int(year) == event.fatalities.best
                for source in event.sources
                for year in _YEAR_IN_TEXT.findall(source.sentence)
            ):
                year_tolls += 1
    return {
        "events_per_article": m.median(per_article) if per_article else 0.0,
        "overcount_share": m.ratio(over, len(items)),
        "toll_ratio": round(deaths / gold_deaths, 3) if gold_deaths else 0.0,
        "abroad_share": m.ratio(abroad, placed),
        "year_tolls": float(year_tolls),
    }


def _fakes_baseline(items: Sequence[FakesItem]) -> dict[str, float]:
    """Majority answers: the commonest location, actor, cause and civilian toll."""
    if not items:
        return {}
    result = {}
    for key in ("location", "actor", "cause", "civilians"):
        values = [getattr(item, key) for item in items]
        top = m.majority_label(values)
        name = "civilians_exact" if key == "civilians" else key
        result[name] = m.ratio(sum(v == top for v in values), len(values))
    # The naive date is the dateline itself: an event extractor should at least match it.
    datelines = [(find_dateline(item.text), item.date) for item in items]
    result["date_exact"] = m.ratio(sum(d == g for d, g in datelines if d and g), len(items))
    result["date_3d"] = m.ratio(
        sum(abs((d - g).days) <= 3 for d, g in datelines if d and g), len(items)
    )
    return result


# --- CASE 2021 -----------------------------------------------------------------------------------


def snippet_article(item: SnippetItem) -> Article | IngestError:
    """An article per snippet (snippets carry no date)."""
    return make_article(item.text, origin=f"case2021:{item.id}")


def _classification(
    gold: list[str], predicted: list[str], exclude: Iterable[str]
) -> tuple[dict, dict]:
    """Accuracy, macro-F1, confusions and the majority-class baseline for one label set."""
    skip = list(exclude)
    # The naive row answers the commonest real class: "no event" would score a macro-F1 of 0.
    real = [g for g in gold if g not in skip] or gold
    majority = m.majority_label(real) if real else ""
    naive = [majority] * len(gold)
    metrics = {
        "accuracy": m.accuracy(gold, predicted),
        "macro_f1": m.macro_f1(gold, predicted, exclude=skip),
        "weighted_f1": m.weighted_f1(gold, predicted, exclude=skip),
    }
    per_class = m.per_class_prf(gold, predicted)
    details = {
        "confusions": m.confusions(gold, predicted, top=10),
        "per_class_f1": {
            str(k): round(v.f1, 3) for k, v in sorted(per_class.items(), key=str) if k not in skip
        },
        "baseline": {
            "label": majority,
            "accuracy": m.accuracy(gold, naive),
            "macro_f1": m.macro_f1(gold, naive, exclude=skip),
        },
    }
    return metrics, details


def score_case2021(
    items: Sequence[SnippetItem], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """ACLED sub-event typing of snippets; non-ACLED gold types expect no event at all."""
    gold = [maps.case2021_label(item.label) for item in items]
    predicted = [
        e.sub_event_type if (e := main_event(a, acled_only=True)) else maps.NO_EVENT
        for a in analyses
    ]
    metrics, details = _classification(gold, predicted, exclude=[maps.NO_EVENT])
    details["no_event_predicted"] = predicted.count(maps.NO_EVENT)
    details["no_event_gold"] = gold.count(maps.NO_EVENT)
    return metrics, details


# --- PLOVER --------------------------------------------------------------------------------------


def plover_article(item: PloverItem) -> Article | IngestError:
    """An article per PLOVER sentence, dated by the record."""
    return make_article(item.text, published=item.date, origin=f"plover:{item.id}")


def _actor_matches(actor: Actor | None, gold: tuple[PloverActor, ...]) -> bool:
    """Whether a predicted actor agrees with any gold actor on country (ISO-3) and sector.

    Codes that are not countries (IGO, ...) are compared by sector only.
    """
    if actor is None:
        return False
    country = maps.iso3(actor.country)
    for wanted in gold:
        code = (wanted.code or "").upper()
        country_ok = (
            not (len(code) == 3 and code.isalpha() and maps.iso3_known(code)) or code == country
        )
        if country_ok and maps.sector_matches(actor.inter_code, wanted.sector):
            return True
    return False


def score_plover(
    items: Sequence[PloverItem], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """PLOVER type accuracy and macro-F1, and source/target actor agreement."""
    gold = [item.event for item in items]
    events = [main_event(a) for a in analyses]
    predicted = [e.plover_type if e else maps.NO_EVENT for e in events]
    metrics, details = _classification(gold, predicted, exclude=[maps.NO_EVENT])
    source_hits = target_hits = sources = targets = 0
    for item, analysis, event in zip(items, analyses, events, strict=True):
        if item.sources:
            sources += 1
            source_hits += bool(analysis and event) and _actor_matches(
                _actor(analysis, event.actor1), item.sources
            )
        if item.targets:
            targets += 1
            target_hits += bool(analysis and event) and _actor_matches(
                _actor(analysis, event.actor2), item.targets
            )
    metrics["source_match"] = m.ratio(source_hits, sources)
    metrics["target_match"] = m.ratio(target_hits, targets)
    details.update(with_source=sources, with_target=targets)
    return metrics, details


# --- event location ------------------------------------------------------------------------------


def event_location_article(item: EventLocationItem) -> Article:
    """The sentence kept verbatim so gold offsets still index it."""
    return _direct_article(item.text, origin=f"event_location:{item.id}")


def event_for_span(analysis: Analysis | None, span: tuple[int, int]) -> tuple[Event | None, bool]:
    """The event whose trigger is at ``span``; else one from that sentence it was folded into.

    Returns the event and whether its trigger itself matched.
    """
    if analysis is None:
        return None, False
    text = analysis.article.text
    for event in analysis.events:
        if any(m.overlaps(span, t) for t in trigger_spans(event, text)):
            return event, True
    for event in analysis.events:
        source = _source_span(event)
        if source and source[0] <= span[0] < source[1]:
            return event, False
    return None, False


def score_event_location(
    items: Sequence[EventLocationItem], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """Share of gold event verbs whose predicted place mention overlaps a gold location span.

    A gold verb with no location is right when sitreps gives its event no place in the sentence;
    a verb sitreps coded no event for counts as wrong (``coverage`` reports how many it coded).
    """
    correct = covered = folded = located = located_correct = 0
    for item, analysis in zip(items, analyses, strict=True):
        event, direct = event_for_span(analysis, (item.verb.start, item.verb.end))
        if event is None or analysis is None:
            continue
        covered += 1
        folded += not direct
        mention = _nearest_mention(analysis, event, event.place_id, "PLACE", analysis.article.text)
        gold = [(s.start, s.end) for s in item.locations]
        if gold:
            located += 1
            hit = mention is not None and any(
                m.overlaps((mention.start, mention.end), g) for g in gold
            )
            located_correct += hit
            correct += hit
        else:
            correct += mention is None
    n = len(items)
    with_location = sum(bool(item.locations) for item in items)
    metrics = {
        "accuracy": m.ratio(correct, n),
        "coverage": m.ratio(covered, n),
        "accuracy_covered": m.ratio(correct, covered),
        "located_accuracy": m.ratio(located_correct, with_location),
    }
    details = {
        "folded_triggers": folded,
        "with_location": with_location,
        "located_and_covered": located,
    }
    return metrics, details


# --- toponyms (LGL, GeoWebNews) ------------------------------------------------------------------


def geo_article(document: GeoDocument) -> Article:
    """The document kept verbatim so gold toponym offsets still index it."""
    return _direct_article(document.text, published=document.published, origin=f"geo:{document.id}")


def score_toponyms(
    documents: Sequence[GeoDocument], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """Toponym recognition (strict and overlap P/R/F1) and resolution error on matched toponyms.

    ``precision``/``recall``/``f1`` use overlap matching (one-to-one, most shared characters);
    the ``strict_*`` metrics need identical offsets. Resolution is scored on overlap-matched gold
    toponyms with coordinates that sitreps resolved to a place with coordinates.
    """
    strict_parts, overlap_parts, errors = [], [], []
    unresolved = 0
    scorable = 0  # gold toponyms with coordinates: the denominator of acc_161km_all
    for document, analysis in zip(documents, analyses, strict=True):
        mentions = [x for x in analysis.mentions if x.label == "PLACE"] if analysis else []
        predicted = [(x.start, x.end) for x in mentions]
        gold = [(t.start, t.end) for t in document.toponyms]
        scorable += sum(t.latitude is not None and t.longitude is not None
                        for t in document.toponyms)
        strict_parts.append(m.span_prf(gold, predicted, strict=True))
        pairs = m.match_spans(gold, predicted, strict=False)
        overlap_parts.append(m.PRF(len(pairs), len(predicted) - len(pairs), len(gold) - len(pairs)))
        for gi, pi in pairs:
            toponym = document.toponyms[gi]
            if toponym.latitude is None or toponym.longitude is None or analysis is None:
                continue
            place = _place(analysis, mentions[pi].entity_id)
            if place is None or place.latitude is None or place.longitude is None:
                unresolved += 1
                continue
            errors.append(
                haversine_km(toponym.latitude, toponym.longitude, place.latitude, place.longitude)
            )
    strict, overlap = m.add_prf(strict_parts), m.add_prf(overlap_parts)
    metrics = {
        "precision": overlap.precision,
        "recall": overlap.recall,
        "f1": overlap.f1,
        "strict_precision": strict.precision,
        "strict_recall": strict.recall,
        "strict_f1": strict.f1,
        "acc_161km": m.within_km(errors),
        # Over every gold toponym: unrecognised or unresolved ones count as misses, as
        # published geoparsers that score every toponym are compared.
        "acc_161km_all": m.ratio(sum(e <= 161.0 for e in errors), scorable),
        "median_km": m.median(errors),
        "auc": m.error_auc(errors),
    }
    details = {
        "gold_toponyms": overlap.tp + overlap.fn,
        "predicted": overlap.tp + overlap.fp,
        "resolved_pairs": len(errors),
        "matched_unresolved": unresolved,
        "matching": "overlap, one-to-one (strict_* = identical offsets)",
    }
    return metrics, details


# --- WikiEvents ----------------------------------------------------------------------------------


def wiki_article(document: WikiDocument) -> Article:
    """The rebuilt document kept verbatim so gold offsets still index it."""
    return _direct_article(document.text, origin=f"wikievents:{document.id}")


def _predicted_arguments(analysis: Analysis, event: Event) -> list[tuple[str, tuple[int, int]]]:
    """The (role, span) arguments sitreps gives an event: actor1, actor2 and place mentions."""
    text = analysis.article.text
    found = []
    for role, entity, label in (
        ("attacker", event.actor1, "ACTOR"),
        ("victim", event.actor2, "ACTOR"),
        ("place", event.place_id, "PLACE"),
    ):
        mention = _nearest_mention(analysis, event, entity, label, text)
        if mention is not None:
            found.append((role, (mention.start, mention.end)))
    return found


def score_wikievents(
    documents: Sequence[WikiDocument], analyses: Sequence[Analysis | None]
) -> tuple[dict, dict]:
    """Trigger identification F1 (conflict/attack/death) and role-mapped argument F1.

    A predicted trigger is right when it overlaps a gold trigger of those types; a predicted
    argument is right when its event's trigger matched and a gold argument of the same mapped
    role (attacker, victim, place) of that gold event overlaps it.
    """
    trigger_parts, argument_parts = [], []
    for document, analysis in zip(documents, analyses, strict=True):
        gold_events = [e for e in document.events if maps.wiki_family(e.event_type)]
        gold_spans = [(e.trigger.start, e.trigger.end) for e in gold_events]
        gold_args = sum(1 for e in gold_events for a in e.arguments if a.role in maps.WIKI_ROLES)
        predicted_events = [
            e
            for e in (analysis.events if analysis else ())
            if e.event_type in maps.VIOLENT_EVENT_TYPES
        ]
        spans = []
        for event in predicted_events:
            candidates = trigger_spans(event, analysis.article.text) if analysis else []
            hit = next((c for c in candidates if any(m.overlaps(c, g) for g in gold_spans)), None)
            spans.append(hit or (candidates[0] if candidates else (-1, -1)))
        pairs = m.match_spans(gold_spans, spans, strict=False)
        trigger_parts.append(
            m.PRF(len(pairs), len(spans) - len(pairs), len(gold_spans) - len(pairs))
        )
        tp = predicted_args = 0
        matched = {pi: gi for gi, pi in pairs}
        for pi, event in enumerate(predicted_events):
            arguments = _predicted_arguments(analysis, event) if analysis else []
            predicted_args += len(arguments)
            if pi not in matched:
                continue
            gold_event = gold_events[matched[pi]]
            used: set[int] = set()
            for role, span in arguments:
                for ai, argument in enumerate(gold_event.arguments):
                    if (
                        ai not in used
                        and maps.WIKI_ROLES.get(argument.role) == role
                        and m.overlaps(span, (argument.start, argument.end))
                    ):
                        used.add(ai)
                        tp += 1
                        break
        argument_parts.append(m.PRF(tp, predicted_args - tp, gold_args - tp))
    triggers, arguments = m.add_prf(trigger_parts), m.add_prf(argument_parts)
    metrics = {
        "trigger_precision": triggers.precision,
        "trigger_recall": triggers.recall,
        "trigger_f1": triggers.f1,
        "argument_precision": arguments.precision,
        "argument_recall": arguments.recall,
        "argument_f1": arguments.f1,
    }
    details = {
        "gold_triggers": triggers.tp + triggers.fn,
        "gold_arguments": arguments.tp + arguments.fn,
        "gold_types": "Conflict.*, Life.Die.*",
        "roles": "Attacker/Killer->actor1, Victim/Target->actor2, Place->place",
    }
    return metrics, details


# --- the registry and the one entry point --------------------------------------------------------

_GEO_LOWER = frozenset({"median_km", "auc"})

DATASETS: dict[str, Dataset] = {
    "fakes": Dataset(
        "fakes",
        "fakes/fakes.csv",
        read_fakes,
        score_fakes,
        fakes_article,
        frozenset({"events_per_article", "overcount_share", "toll_ratio", "abroad_share",
                   "year_tolls"}),
        variants=_LINKER_VARIANTS,
    ),
    "case2021": Dataset(
        "case2021", "case2021_task2/snippets.tsv", read_case2021, score_case2021, snippet_article
    ),
    "plover": Dataset(
        "plover", "plover_gsr/records.json", read_plover, score_plover, plover_article
    ),
    "event_location": Dataset(
        "event_location",
        "event_location/gold.jsonl",
        read_event_location,
        score_event_location,
        event_location_article,
        mention_level=True,
        variants=_LINKER_VARIANTS,
    ),
    "geowebnews": Dataset(
        "geowebnews",
        "geowebnews/GWN.xml",
        read_toponym_corpus,
        score_toponyms,
        geo_article,
        _GEO_LOWER,
    ),
    "lgl": Dataset(
        "lgl", "lgl/lgl.xml", read_toponym_corpus, score_toponyms, geo_article, _GEO_LOWER
    ),
    "wikievents": Dataset(
        "wikievents",
        "wikievents/docs.jsonl",
        read_wikievents,
        score_wikievents,
        wiki_article,
        mention_level=True,
    ),
}


def get_dataset(name: str) -> Dataset:
    """The dataset registered under ``name``."""
    try:
        return DATASETS[name]
    except KeyError as error:
        raise UnknownDataset(
            f"Unknown dataset {name!r}; choose one of {sorted(DATASETS)}."
        ) from error


def load_nlp(config: Config) -> Any:
    """The shared spaCy pipeline, built once per process."""
    from sitreps.nlp import build_nlp, get_nlp

    try:
        return get_nlp(config)
    except TypeError:
        # A config holding a plain dict is unhashable for get_nlp's cache: build it directly.
        return build_nlp(config)


def evaluate_dataset(
    name: str,
    path: str | Path,
    *,
    limit: int | None = None,
    nlp: Any = None,
    config: Config | None = None,
    progress: Progress | None = None,
    on_start: Callable[[int], None] | None = None,
) -> EvalResult:
    """Read one gold set, run sitreps over it and score the result.

    Args:
        name: a key of ``DATASETS`` (``fakes``, ``case2021``, ``plover``, ``event_location``,
            ``geowebnews``, ``lgl``, ``wikievents``).
        path: the gold file.
        limit: score only the first ``limit`` items (CI uses this to stay fast).
        nlp: a loaded pipeline to reuse; built from ``config`` when omitted.
        config: sitreps config; the packaged defaults when omitted.
        progress: called with the number of items just analysed.
        on_start: called once with the number of items about to be analysed.

    Returns:
        An :class:`EvalResult`; raises ``GoldFormatError`` for a malformed gold file.

    >>> get_dataset("lgl").relative_path
    'lgl/lgl.xml'
    """
    dataset = get_dataset(name)
    skipped: list[str] = []
    items = list(dataset.reader(Path(path), skipped))
    if limit is not None:
        items = items[:limit]
    if on_start:
        on_start(len(items))
    config = config or load_config()
    nlp = nlp if nlp is not None else load_nlp(config)
    if dataset.mention_level:
        config = replace(
            config, stages=tuple(s for s in config.stages if s != INCIDENTS_STAGE)
        )
    articles = [dataset.to_article(item) for item in items]
    analyses = run_sitreps(articles, nlp, config, progress)
    metrics, details = dataset.scorer(items, analyses)
    for variant in dataset.variants:
        varied, _ = dataset.scorer(items, run_sitreps(articles, nlp, variant.apply(config)))
        metrics.update(
            {f"{key}_{variant.suffix}": varied[key] for key in variant.metrics if key in varied}
        )
    details["refused_articles"] = sum(isinstance(a, IngestError) for a in articles)
    # Malformed gold items are left out and named, never allowed to abort the whole set.
    details["skipped_gold_items"] = len(skipped)
    if skipped:
        details["skipped_gold_reasons"] = skipped[:5]
    return EvalResult(name, len(items), {k: float(v) for k, v in metrics.items()}, details)
