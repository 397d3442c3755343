"""The one pure function that every engine maps: articles in, analysed records out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace

from spacy.language import Language

from sitreps.config import Config
from sitreps.knowledge.package import load_knowledge
from sitreps.records import Analysis, Article, IngestError
from sitreps.registry import Stage, StageFunc, apply_stage, check_pipeline

BuiltStages = tuple[tuple[Stage, StageFunc], ...]


def _prepare(article: Article, max_chars: int) -> tuple[Article, IngestError | None]:
    """Bound an article's length so one huge text cannot stall or exhaust a worker."""
    if len(article.text) <= max_chars:
        return article, None
    warning = IngestError(
        origin=article.origin or article.id,
        item=article.id,
        reason=(
            f"article is {len(article.text):,} characters long: only the first {max_chars:,} "
            "were analysed"
        ),
        kind="truncated",
    )
    return replace(article, text=article.text[:max_chars]), warning


def build_stages(stages: tuple[Stage, ...], config: Config) -> BuiltStages:
    """Build each stage once with its options and the run's knowledge package.

    Raises :class:`~sitreps.registry.StageOptionError` for an unknown or mistyped option and
    :class:`~sitreps.knowledge.package.KnowledgeError` for a bad knowledge file, before any
    article is read.
    """
    knowledge = load_knowledge(config.knowledge_files)
    return tuple(
        (stage, stage.build(config.options_for(stage.name), knowledge)) for stage in stages
    )


def run_stages(
    analysis: Analysis, stages: tuple[Stage, ...] | BuiltStages, config: Config
) -> Analysis:
    """Apply the stages in order to one parsed article (built here if given unbuilt)."""
    built = stages if stages and isinstance(stages[0], tuple) else build_stages(stages, config)
    for stage, func in built:
        analysis = apply_stage(stage, func, analysis)
    return analysis


def analyse_articles(
    articles: Iterable[Article], nlp: Language, config: Config
) -> Iterator[Analysis | IngestError]:
    """Parse articles in batches and run the configured stages on each.

    Streams: it holds one batch of docs at a time. A stage that fails on one article yields an
    :class:`IngestError` for that article and the batch goes on. Yielded analyses keep no ``doc``
    (docs are large and tied to the process's vocabulary).
    """
    stages = build_stages(check_pipeline(config.stages), config)
    warnings: dict[str, IngestError] = {}

    def texts() -> Iterator[tuple[str, Article]]:
        for article in articles:
            prepared, warning = _prepare(article, config.max_chars)
            if warning is not None:
                warnings[article.id] = warning
            yield prepared.text, article

    for doc, article in nlp.pipe(texts(), as_tuples=True, batch_size=config.batch_size):
        warning = warnings.pop(article.id, None)
        if warning is not None:
            yield warning
        try:
            analysis = run_stages(Analysis(article=article, doc=doc), stages, config)
        except Exception as error:  # a bad article must never kill the batch
            yield IngestError(
                origin=article.origin or article.id,
                item=article.id,
                reason=f"extraction failed: {type(error).__name__}: {error}",
                kind="extraction",
            )
            continue
        yield replace(analysis, doc=None)
