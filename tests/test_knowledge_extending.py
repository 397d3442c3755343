"""README "Extending sitreps": its worked example (a new sub-event type, as data) really works."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitreps.config import load_config
from sitreps.knowledge.package import load_knowledge
from sitreps.pipeline import build_stages, run_stages
from sitreps.records import Analysis, Article
from sitreps.registry import check_pipeline

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")


def readme_block(first_line: str) -> str:
    """The README code block whose first line is ``first_line``."""
    section = README.split("## Extending sitreps", 1)[1].split("\n## ", 1)[0]
    for block in section.split("```")[1::2]:
        body = block.split("\n", 1)[1]
        if body.startswith(first_line):
            return body
    raise AssertionError(f"no README block starts with {first_line!r}")


@pytest.fixture(scope="module")
def run_pipeline(nlp, tmp_path_factory):
    """Run the configured stages with the README's knowledge file on one sentence."""
    path = tmp_path_factory.mktemp("extending") / "sahel.toml"
    path.write_text(readme_block("# sahel.toml"), encoding="utf-8")
    config = load_config().copy(knowledge_files=(str(path),))
    stages = build_stages(check_pipeline(config.stages), config)

    def run(text: str) -> Analysis:
        article = Article(id="x", text=text)
        return run_stages(Analysis(article=article, doc=nlp(text)), stages, config)

    return run


def test_knowledge_extending_readme_example_adds_a_sub_event_type(run_pipeline):
    test = readme_block("analysis = run_pipeline(")
    exec(test, {"run_pipeline": run_pipeline})  # the README's own assertions


def test_knowledge_extending_new_type_is_in_the_ontology(tmp_path):
    path = tmp_path / "sahel.toml"
    path.write_text(readme_block("# sahel.toml"), encoding="utf-8")
    knowledge = load_knowledge((str(path),))
    assert "Prisoner exchange" in knowledge.sub_types_of("Strategic developments")
    assert knowledge.sense("prisoner_exchange").event_type == "Strategic developments"
    assert knowledge.actors[0]["id"] == "katiba-macina"


def test_knowledge_extending_without_the_file_no_such_event(run_pipeline, nlp, config):
    text = "Katiba Macina and the Malian army carried out a prisoner swap in Mopti."
    stages = build_stages(check_pipeline(config.stages), config)
    analysis = run_stages(Analysis(article=Article(id="x", text=text), doc=nlp(text)), stages,
                          config)
    assert all(e.sub_event_type != "Prisoner exchange" for e in analysis.events)
