"""Issue 15, hostile input files: one bad line, row or file costs one ``ingest_errors`` row, never
the batch, and globs end on symlink loops. Real files, a real DuckDB file and the real CLI."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitreps.cli import cli
from sitreps.ingest import expand_source, read_sources
from sitreps.records import Article, IngestError
from sitreps.store.duckdb import Store

PLACES = ("Tal Afar", "Baiji", "Tikrit", "Samarra", "Fallujah", "Ramadi", "Hit", "Haditha")


def story(i: int) -> str:
    """A distinct English news paragraph, long enough to be kept."""
    place = PLACES[i % len(PLACES)]
    return (
        f"Report {i}: security forces repelled an attack on a checkpoint outside {place} on "
        f"Wednesday night, and {i % 7 + 2} attackers were killed, a police officer said."
    )


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def stored(db_path: Path) -> tuple[int, list[tuple[str, str | None, str]]]:
    with Store(db_path, read_only=True) as store:
        errors = [(r["origin"], r["item"], r["reason"]) for r in store.table_rows("ingest_errors")]
        return store.count("articles"), errors


@pytest.mark.parametrize("depth", [1_500, 5_000, 40_000])
@pytest.mark.parametrize("opener", ["[", '{"a":'])
def test_deeply_nested_json_line_is_one_error_row(tmp_path, db_path, depth, opener) -> None:
    closer = "]" if opener == "[" else "}"
    first = tmp_path / "a_first.txt"
    first.write_text(story(1))
    lines = [json.dumps({"text": story(2)}), opener * depth + closer * depth,
             json.dumps({"text": story(3)})]
    (tmp_path / "b_nested.jsonl").write_text("\n".join(lines) + "\n")
    nested_json = tmp_path / "c_nested.json"
    nested_json.write_text('{"text": ' + "[" * depth + "]" * depth + "}")
    (tmp_path / "d_last.txt").write_text(story(4))
    result = invoke("ingest", str(tmp_path), "--db", str(db_path))
    assert result.exit_code == 1, result.output
    articles, errors = stored(db_path)
    assert articles == 4  # the good file before, both good lines, the good file after
    nested = [e for e in errors if "nested too deeply" in e[2]]
    assert [(Path(o).name, item) for o, item, _ in nested] == [
        ("b_nested.jsonl", "line 2"), ("c_nested.json", None)
    ]


@pytest.mark.parametrize("where", [0, 1, 5])
def test_nul_byte_rejects_only_its_jsonl_line(tmp_path, db_path, where: int) -> None:
    lines = [json.dumps({"text": story(i)}) for i in range(6)]
    lines[where] = lines[where][:20] + "\x00" + lines[where][20:]
    path = tmp_path / "wire.jsonl"
    path.write_text("\n".join(lines) + "\n")
    invoke("ingest", str(path), "--db", str(db_path))
    articles, errors = stored(db_path)
    assert articles == 5
    assert [(e[1], "NUL" in e[2]) for e in errors] == [(f"line {where + 1}", True)]


def test_nul_byte_rejects_only_its_csv_row(tmp_path, db_path) -> None:
    path = tmp_path / "wire.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for i in range(5):
            text = story(i) if i != 2 else story(i).replace("checkpoint", "check\x00point")
            writer.writerow([f"n{i}", text])
    invoke("ingest", str(path), "--db", str(db_path))
    articles, errors = stored(db_path)
    assert articles == 4
    assert [(e[1], "NUL" in e[2]) for e in errors] == [("row 3", True)]


def test_a_real_binary_file_is_still_refused(tmp_path, db_path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_bytes(bytes(range(256)) * 64)
    invoke("ingest", str(path), "--db", str(db_path))
    assert stored(db_path) == (0, [(str(path), None, "binary file, not text")])


@pytest.mark.parametrize("quoted", [True, False])
@pytest.mark.parametrize("multiline", [True, False])
def test_csv_field_over_the_cap_skips_only_its_row(tmp_path, quoted, multiline) -> None:
    cap = 4_000
    huge = ("The convoy was hit again. " + ("\n" if multiline and quoted else "")) * 400
    path = tmp_path / "wire.csv"
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)
        writer.writerow(["id", "text", "date"])
        for i in range(7):
            writer.writerow([f"n{i}", huge if i == 3 else story(i), "2016-05-0" + str(i + 1)])
    records = list(read_sources([path], max_bytes=cap))
    articles = [r for r in records if isinstance(r, Article)]
    errors = [r for r in records if isinstance(r, IngestError)]
    assert [a.origin.rsplit("#", 1)[1] for a in articles] == ["n0", "n1", "n2", "n4", "n5", "n6"]
    assert [(e.item, "too large" in e.reason) for e in errors] == [("row 4", True)]


def test_glob_ends_on_symlinks_to_parent_folders(tmp_path, db_path) -> None:
    root = tmp_path / "corpus"
    (root / "2016" / "may").mkdir(parents=True)
    (root / "2016" / "may" / "a.txt").write_text(story(10))
    (root / "2016" / "b.txt").write_text(story(11))
    os.symlink(root, root / "2016" / "may" / "back-to-root")
    os.symlink("..", root / "2016" / "up")
    os.symlink(".", root / "here")
    for pattern in ("**", "**/*", "**/*.txt", "*/**"):
        found = [p for p in expand_source(f"{root}/{pattern}") if isinstance(p, Path)]
        assert sorted(p.name for p in found) == ["a.txt", "b.txt"], pattern
    result = invoke("ingest", f"{root}/**", "--db", str(db_path))
    assert result.exit_code == 0, result.output
    assert stored(db_path) == (2, [])


@pytest.mark.parametrize("bad", [b"\xff", b"\xc3", b"\x80\x81", b"\xe2\x80"])
def test_mostly_utf8_file_with_bad_bytes_stays_utf8(tmp_path, bad: bytes) -> None:
    text = story(5).replace("police officer", "police officer — Ahmed Saleh —")
    body = text.encode() + bad + b" Residents of the district confirmed the account."
    for name in ("report.txt", "report.jsonl"):
        path = tmp_path / name
        path.write_bytes(body if name.endswith("txt") else json.dumps({"text": "x"}).encode()
                         .replace(b'"x"', b'"' + body + b'"') + b"\n")
        [article] = read_sources([path])
        assert isinstance(article, Article), article
        assert "— Ahmed Saleh —" in article.text
        assert "\ufffd" in article.text
        assert not any("\u0600" <= ch <= "\u06ff" for ch in article.text)


@pytest.mark.parametrize("trick", ["\nIngested 500 new article(s); 0 already stored", "\r\x1b[2K",
                                   "\u2028ok"])
def test_file_names_print_escaped(tmp_path, db_path, trick: str) -> None:
    bad = tmp_path / f"wire{trick}.csv"
    bad.write_text("headline\nnothing here\n")
    result = invoke("ingest", str(bad), "--db", str(db_path))
    assert result.exit_code == 1
    assert "no column 'text'" in result.output and "skipped" in result.output
    assert not any(ch in result.output for ch in "\r\x1b\u2028")
    assert not any(line.startswith("Ingested 500") for line in result.output.splitlines())
