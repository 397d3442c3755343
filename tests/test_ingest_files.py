"""Tests for sitreps.ingest file readers, on real files written into tmp_path or tests/data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import shared_dir

from sitreps.ingest import ColumnMapping, read_sources
from sitreps.records import Article, IngestError

DATA = Path(__file__).parent / "data" / "ingest"

BODY = (
    "Government forces shelled the rebel-held town of Saraqeb on Monday, killing at least "
    "seven civilians, a war monitor said. Rescue workers searched the rubble for survivors."
)
OTHER = (
    "Turkish troops and allied fighters entered the centre of Afrin after a two-month "
    "offensive against Kurdish militia, officials in Ankara said on Sunday."
)
FRENCH = (
    "Les forces gouvernementales ont bombardé la ville de Saraqeb lundi, tuant au moins sept "
    "civils, selon un observatoire. Les secouristes cherchaient des survivants."
)
ARABIC = "قصفت القوات الحكومية مدينة سراقب يوم الاثنين مما أسفر عن مقتل سبعة مدنيين على الأقل"


def read(*sources: Path | str, **kwargs: object) -> list[Article | IngestError]:
    """Read sources into a list, for assertions."""
    return list(read_sources([str(s) for s in sources], **kwargs))  # type: ignore[arg-type]


def only(records: list[Article | IngestError]) -> Article | IngestError:
    """Return the single record of a read."""
    assert len(records) == 1, records
    return records[0]


def test_ingest_seed_header_sets_date_title_and_body() -> None:
    article = only(read(DATA / "seed_style.txt"))
    assert isinstance(article, Article)
    assert article.published == date(2018, 3, 15)
    assert article.title == (
        "The siege of the enclave enters its fourth week with no sign of a truce"
    )
    assert article.text.startswith("Government aircraft struck")
    assert "fourth week" not in article.text
    assert article.language == "en"
    assert article.origin == str(DATA / "seed_style.txt")


def test_ingest_txt_title_line_and_date_header(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Saraqeb shelled again\nDate: 2016-12-17\n\n{BODY}\n", encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, Article)
    assert article.title == "Saraqeb shelled again"
    assert article.published == date(2016, 12, 17)
    assert article.text.startswith("Saraqeb shelled again\n")


def test_ingest_txt_leading_weekday_date(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(f"Wed 05 Apr 2017 {BODY}", encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, Article)
    assert article.published == date(2017, 4, 5)
    assert article.title is None  # one line ending in a full stop is body, not title


def test_ingest_txt_offsets_index_article_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("date 2016-12-17 Standfirst\r\n\r\n  The  army\tentered Aleppo. " + BODY)
    article = only(read(path))
    assert isinstance(article, Article)
    start = article.text.index("entered Aleppo")
    assert article.text[start : start + 14] == "entered Aleppo"
    assert "\r" not in article.text and "  " not in article.text


def test_ingest_jsonl_reads_fields_and_bad_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"id": "17", "title": "Saraqeb", "text": BODY, "date": "4/5/17"}),
        "{not json",
        json.dumps({"id": "18", "body": BODY}),
        "",
        json.dumps({"id": "19", "title": "Afrin", "text": OTHER, "date": "garbage"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    records = read(path)
    assert [type(r).__name__ for r in records] == [
        "Article",
        "IngestError",
        "IngestError",
        "Article",
    ]
    first, corrupt, missing, last = records
    assert isinstance(first, Article) and first.published == date(2017, 4, 5)
    assert first.title == "Saraqeb" and first.origin == f"{path}#17"
    assert isinstance(corrupt, IngestError) and corrupt.item == "line 2"
    assert "invalid JSON" in corrupt.reason
    assert isinstance(missing, IngestError) and missing.item == "line 3"
    assert "'text'" in missing.reason and "--text-col" in missing.reason
    assert isinstance(last, Article) and last.published is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2017-04-05", date(2017, 4, 5)),
        ("2017-04-05T10:00:00Z", date(2017, 4, 5)),
        ("4/5/17", date(2017, 4, 5)),
        ("12/31/99", date(1999, 12, 31)),
        ("5 April 2017", date(2017, 4, 5)),
        ("Wed 05 Apr 2017 Syria attack", date(2017, 4, 5)),
        ("2/30/17", None),
        ("next week", None),
    ],
)
def test_ingest_jsonl_date_forms(tmp_path: Path, raw: str, expected: date | None) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": BODY, "date": raw}) + "\n", encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, Article)
    assert article.published == expected


def test_ingest_jsonl_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    row = {"doc_id": 7, "doc_text": BODY, "when": "2017-04-05", "link": "http://x.invalid/7"}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    mapping = ColumnMapping(text_col="doc_text", date_col="when", id_col="doc_id", url_col="link")
    article = only(read(path, mapping=mapping))
    assert isinstance(article, Article)
    assert article.published == date(2017, 4, 5)
    assert article.url == "http://x.invalid/7"
    assert article.origin == f"{path}#7"


def test_ingest_jsonl_streams_large_file(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for n in range(10_000):
            handle.write(json.dumps({"id": n, "text": f"{BODY} Report number {n}."}) + "\n")
    records = read_sources([str(path)])
    first = next(records)
    assert isinstance(first, Article)
    assert sum(1 for _ in records) == 9_999


def test_ingest_csv_embedded_newlines_and_bad_rows(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "id,title,date,text\n"
        f'1,Saraqeb,2017-04-05,"{BODY}\n\nSecond paragraph of the report, with a comma."\n'
        "2,Short row,2017-04-05\n"
        f'3,Afrin,18 March 2018,"{OTHER}",extra\n'
        f"4,Afrin,18 March 2018,{OTHER.replace(',', '')}\n",
        encoding="utf-8",
    )
    records = read(path)
    assert [type(r).__name__ for r in records] == [
        "Article",
        "IngestError",
        "IngestError",
        "Article",
    ]
    first, short, extra, last = records
    assert isinstance(first, Article) and "\n\nSecond paragraph" in first.text
    assert isinstance(short, IngestError) and short.item == "row 2" and "3 cells" in short.reason
    assert isinstance(extra, IngestError) and extra.item == "row 3"
    assert isinstance(last, Article) and last.published == date(2018, 3, 18)


def test_ingest_tsv(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text(f"title\ttext\nSaraqeb\t{BODY}\n", encoding="utf-8")
    article = only(read(path))
    assert isinstance(article, Article) and article.title == "Saraqeb"


def test_ingest_csv_missing_text_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(f"headline,body\nSaraqeb,{BODY.replace(',', '')}\nAfrin,x\n")
    error = only(read(path))
    assert isinstance(error, IngestError)
    assert "'text'" in error.reason and "headline, body" in error.reason
    assert "--text-col" in error.reason
    article, short = read(path, mapping=ColumnMapping(text_col="body", title_col="headline"))
    assert isinstance(article, Article) and article.title == "Saraqeb"
    assert isinstance(short, IngestError) and short.item == "row 2"  # "x" is too short


def test_ingest_html_file() -> None:
    article = only(read(DATA / "article.html"))
    assert isinstance(article, Article)
    assert article.title == "Shelling hits market in Maarat al-Numan"
    assert article.published == date(2019, 7, 22)
    assert "vegetable market" in article.text
    assert "All rights reserved" not in article.text


def test_ingest_html_without_article_text(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text(
        "<html><head><title>x</title><script>var a = 1;</script></head><body></body></html>"
    )
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason == "no article text found"


def test_ingest_feed_file() -> None:
    records = read(DATA / "feed.rss")
    assert len(records) == 2 and all(isinstance(r, Article) for r in records)
    convoy, talks = records
    assert isinstance(convoy, Article) and isinstance(talks, Article)
    assert convoy.title == "Convoy attacked near Deir Ezzor"
    assert convoy.url == "http://example.invalid/convoy"
    assert convoy.published == date(2017, 4, 4)
    assert convoy.text.startswith("Gunmen attacked") and "<p>" not in convoy.text
    assert convoy.source == "Example Wire: Middle East"
    assert talks.published == date(2017, 4, 5)


def test_ingest_feed_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    path.write_text("this is plainly not a feed { at all", encoding="utf-8")
    error = only(read(path))
    assert isinstance(error, IngestError)
    assert error.reason.startswith("not a valid RSS/Atom feed")


def test_ingest_directory_recursive_sorted_and_glob(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(OTHER)
    (tmp_path / "1.txt").write_text(BODY)
    (tmp_path / ".hidden.txt").write_text(BODY)
    texts = [r.text for r in read(tmp_path) if isinstance(r, Article)]
    assert texts == [BODY, OTHER]
    globbed = [r.text for r in read(tmp_path / "**" / "*.txt") if isinstance(r, Article)]
    assert globbed == [BODY, OTHER]


def test_ingest_missing_path_and_empty_glob(tmp_path: Path) -> None:
    missing, no_match = read(tmp_path / "nope.txt", tmp_path / "*.nothing")
    assert isinstance(missing, IngestError) and "no such file" in missing.reason
    assert isinstance(no_match, IngestError) and "no files match" in no_match.reason


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.csv", "a.html", "a.xml", "a.dat"])
def test_ingest_empty_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason == "empty file"


def test_ingest_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("  \n\n \t\n")
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason == "empty file"


@pytest.mark.parametrize("name", ["a.txt", "a.jsonl", "a.csv", "a.bin"])
def test_ingest_binary_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason == "binary file, not text"


def test_ingest_control_bytes_without_nul_are_binary(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + BODY.encode())
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason == "binary file, not text"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8-sig", b""), ("utf-16", b""), ("cp1252", b""), ("latin-1", b"")],
)
def test_ingest_encodings_decode(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = "Café owners in Aleppo’s old city said " + BODY
    if encoding == "latin-1":
        text = text.replace("’", "'")
    path = tmp_path / "a.txt"
    path.write_bytes(prefix + text.encode(encoding))
    article = only(read(path))
    assert isinstance(article, Article)
    assert article.text.startswith("Café owners in Aleppo")


def test_ingest_utf16_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes((json.dumps({"text": "Café " + BODY}) + "\n").encode("utf-16"))
    article = only(read(path))
    assert isinstance(article, Article) and article.text.startswith("Café")


def test_ingest_cp1256_arabic_decodes_then_skips_language(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    error = only(read(path))
    assert isinstance(error, IngestError)
    assert error.reason == "skipped: language is 'ar', not English"


def test_ingest_invalid_utf8_falls_back(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(BODY.encode() + b" The mayor \xe9lu said \x93calm\x94 returned.")
    article = only(read(path))
    assert isinstance(article, Article)
    assert "\u201ccalm\u201d" in article.text


def test_ingest_non_english_skipped(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    rows = [{"text": FRENCH}, {"text": ARABIC}, {"text": BODY}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    french, arabic, english = read(path)
    assert isinstance(french, IngestError)
    assert french.reason == "skipped: language is 'fr', not English" and french.item == "line 1"
    assert isinstance(arabic, IngestError) and "'ar'" in arabic.reason
    assert isinstance(english, Article)


def test_ingest_too_short(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("Breaking: 12 dead.")
    error = only(read(path))
    assert isinstance(error, IngestError) and error.reason.startswith("too short")


def test_ingest_file_too_large(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text(BODY * 10)
    error = only(read(path, max_bytes=100))
    assert isinstance(error, IngestError)
    assert error.reason == f"file too large ({path.stat().st_size} bytes > limit 100)"


def test_ingest_50mb_single_line(tmp_path: Path) -> None:
    chunk = b"word " * 200_000  # 1 MB, no newline
    for name in ("huge.txt", "huge.jsonl", "huge.csv"):
        path = tmp_path / name
        with path.open("wb") as handle:
            for _ in range(50):
                handle.write(chunk)
        records = read(path)
        assert len(records) == 1 and isinstance(records[0], IngestError), name
        assert "too large" in records[0].reason


def test_ingest_jsonl_line_over_cap_skipped_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    huge = json.dumps({"text": "word " * 50_000})
    path.write_text(huge + "\n" + json.dumps({"text": BODY}) + "\n", encoding="utf-8")
    too_big, article = read(path, max_bytes=10_000)
    assert isinstance(too_big, IngestError) and too_big.item == "line 1"
    assert "line too large" in too_big.reason
    assert isinstance(article, Article)


def test_ingest_unknown_extension_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "report.story"
    path.write_text(BODY)
    article = only(read(path))
    assert isinstance(article, Article) and article.text == BODY


def test_ingest_benchmark_corpus_reads() -> None:
    corpus = shared_dir() / "corpus" / "fakes_articles.jsonl"
    if not corpus.exists():
        pytest.skip(f"shared corpus not found at {corpus} (set SITREPS_SHARED)")
    records = list(read_sources([str(corpus)]))
    articles = [r for r in records if isinstance(r, Article)]
    assert len(articles) >= 0.95 * len(records)
    assert sum(a.published is not None for a in articles) == len(articles)
    assert all(a.title for a in articles)


def test_ingest_accepts_path_objects(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY)
    (article,) = list(read_sources([tmp_path / "a.txt"]))
    assert isinstance(article, Article) and article.text == BODY


def test_ingest_csv_field_cap_is_per_file_not_the_largest_seen(tmp_path: Path) -> None:
    roomy = tmp_path / "roomy.csv"
    roomy.write_text("text\n" + "word " * 4_000 + "\n", encoding="utf-8")
    tight = tmp_path / "tight.csv"
    tight.write_text("text\n" + "word " * 4_000 + "\n", encoding="utf-8")
    assert isinstance(read(roomy, max_bytes=100_000)[0], Article)
    (refused,) = read(tight, max_bytes=1_000)  # the earlier, larger cap must not carry over
    assert isinstance(refused, IngestError) and "too large" in refused.reason


def test_ingest_csv_source_and_url_columns(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text(
        "outlet,link,body,source,url\n"
        f'Idlib Observer,https://news.invalid/a,"{BODY}",wrong outlet,https://wrong.invalid/\n',
        encoding="utf-8",
    )
    mapping = ColumnMapping(text_col="body", source_col="outlet", url_col="link")
    article = only(read(path, mapping=mapping))
    assert isinstance(article, Article)
    assert (article.source, article.url) == ("Idlib Observer", "https://news.invalid/a")
    # The default mapping reads the columns named "source" and "url".
    article = only(read(path, mapping=ColumnMapping(text_col="body")))
    assert isinstance(article, Article)
    assert (article.source, article.url) == ("wrong outlet", "https://wrong.invalid/")
