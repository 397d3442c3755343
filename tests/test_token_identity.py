"""spaCy makes a new ``Token`` object at every access: tokens compare by value, not ``is``."""

from __future__ import annotations

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "sitreps"


def _identity_on_heads(tree: ast.AST) -> list[int]:
    """Lines comparing something with ``.head`` by ``is`` / ``is not`` (never true for tokens)."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        if any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) and any(
            isinstance(side, ast.Attribute) and side.attr == "head" for side in sides
        ):
            lines.append(node.lineno)
    return lines


def test_token_identity_check_finds_head_comparisons():
    assert _identity_on_heads(ast.parse("if node.head is node:\n    pass")) == [1]
    assert _identity_on_heads(ast.parse("if node.head.i == node.i:\n    pass")) == []


def test_token_identity_no_head_compared_by_identity(nlp):
    doc = nlp("Rebels attacked the town.")
    root = next(t for t in doc if t.dep_ == "ROOT")
    assert root.head is not root and root.head == root  # why the rule below exists
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in sorted(SOURCE.rglob("*.py"))
        if (lines := _identity_on_heads(ast.parse(path.read_text())))
    }
    assert found == {}
