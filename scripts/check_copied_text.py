"""List repository lines that repeat third-party text word for word.

Usage:

    python scripts/check_copied_text.py [--shared ../shared] [--words 9] [PATH ...]

The gold sets, training data and corpora under ``../shared`` are other people's text: tests,
fixtures, comments and docs must be written in our own words (README, "Data"). This reads every
file under ``--shared`` (zip members too), and prints ``RUN<TAB>path:line`` for each line of the
given files (default: every tracked text file of the repository) that shares a run of at least
``--words`` consecutive words with it, RUN being the longest such run. It also joins each line
with the next two, so a quote wrapped over lines is caught (printed with ``+``). Exit status 1
when anything is printed.

Place and group names are facts and may be repeated; a run this long is almost never a name.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

_WORD = re.compile(r"\w+")
_TEXT_SUFFIXES = {".py", ".md", ".toml", ".json", ".jsonl", ".csv", ".txt", ".xml", ".html",
                  ".js", ".css", ".cfg", ".yml", ".yaml"}


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _key(run: list[str]) -> bytes:
    # A stable digest: Python's hash() of a str changes with every process.
    return hashlib.blake2b(" ".join(run).encode(), digest_size=8).digest()


def shared_texts(root: Path) -> Iterator[str]:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                for name in archive.namelist():
                    yield archive.read(name).decode("utf-8", "ignore")
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        # JSON-escaped article text: undo the escapes that would glue words together
        yield text.replace("\\n", " ").replace('\\"', '"')


def index(root: Path, size: int) -> set[bytes]:
    runs: set[bytes] = set()
    for text in shared_texts(root):
        found = words(text)
        runs.update(_key(found[i:i + size]) for i in range(len(found) - size + 1))
    return runs


def longest_run(found: list[str], runs: set[bytes], size: int) -> int:
    """The longest run of ``found`` (at least ``size`` words) whose every window is shared."""
    best = 0
    start = 0
    while start + size <= len(found):
        if _key(found[start:start + size]) not in runs:
            start += 1
            continue
        end = start + size
        while end < len(found) and _key(found[end - size + 1:end + 1]) in runs:
            end += 1
        best = max(best, end - start)
        start = end - size + 1
    return best


def repository_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    return [Path(p) for p in listed if Path(p).suffix in _TEXT_SUFFIXES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--words", type=int, default=9)
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        parser.error(f"no folder {args.shared}: pass --shared")
    runs = index(args.shared, args.words)
    hits = 0
    for path in args.paths or repository_files():
        lines = path.read_text(encoding="utf-8", errors="ignore").splitlines()
        for number, line in enumerate(lines, 1):
            run = longest_run(words(line), runs, args.words)
            wrapped = 0 if run else longest_run(
                words(" ".join(lines[number - 1:number + 2])), runs, args.words
            )
            if run or wrapped:
                hits += 1
                print(f"{run or wrapped}{'' if run else '+'}\t{path}:{number}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
