"""A versioned on-disk cache for artefacts built from the knowledge files (issue 16).

Building the gazetteer index and the known-entity ruler takes seconds; every analysing command
and every Dask worker used to pay that before its first sentence. They are built once into
``$SITREPS_CACHE`` (default ``~/.cache/sitreps``) under a name that carries a hash of every
input that shapes them (knowledge files, the modules that build them, library and model
versions), so a changed input is never served from an older file. Each file's content is
checked against a CRC stored beside it, so a truncated or damaged file is rebuilt, never trusted.

Writes are atomic (temporary file, then ``os.replace``), so a reader never sees half a file and
two processes building at once both end with a valid cache.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path

CACHE_ENV = "SITREPS_CACHE"

# Header of a blob file: magic, CRC32 of the payload, payload length.
_MAGIC = b"SITREPS1"
_HEADER = struct.Struct("<8sIQ")


def cache_dir(override: str | Path | None = None) -> Path:
    """Where artefacts live: ``override``, else ``$SITREPS_CACHE``, else ``~/.cache/sitreps``.

    >>> cache_dir("/tmp/x")
    PosixPath('/tmp/x')
    """
    return Path(override or os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "sitreps")


def source_key(parts: Iterable[bytes | str]) -> str:
    """A short hash of everything an artefact is built from; it goes into the file name.

    >>> source_key([b"a", "b"]) == source_key([b"a", "b"]) != source_key([b"ab"])
    True
    """
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        # Length-prefixed, so ("ab", "c") and ("a", "bc") hash differently.
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:16]


def file_crc(path: Path) -> int:
    """CRC32 of a file, read in chunks (a 60 MB index takes ~40 ms)."""
    crc = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def write_blob(path: Path, payload: bytes) -> bool:
    """Write ``payload`` with a checksummed header, atomically; ``False`` on a read-only disk."""
    header = _HEADER.pack(_MAGIC, zlib.crc32(payload), len(payload))
    return publish(path, lambda tmp: tmp.write_bytes(header + payload))


def read_blob(path: Path) -> bytes | None:
    """The payload :func:`write_blob` wrote, or ``None`` when missing, truncated or damaged."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER.size:
        return None
    magic, crc, length = _HEADER.unpack_from(data)
    payload = data[_HEADER.size :]
    if magic != _MAGIC or length != len(payload) or zlib.crc32(payload) != crc:
        return None
    return payload


def publish(path: Path, write: Callable[[Path], object]) -> bool:
    """Let ``write`` fill a temporary file beside ``path``, then move it into place.

    Returns ``False`` (and leaves no file) when the directory cannot be written: a read-only
    home still gets working, uncached artefacts.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
    except OSError:
        return False
    tmp = Path(name)
    try:
        tmp.unlink()  # some writers (SQLite) want to create the file themselves
        write(tmp)
        os.replace(tmp, path)
        return True
    except OSError:
        return False
    finally:
        tmp.unlink(missing_ok=True)


def prune(directory: Path, pattern: str, keep: Iterable[Path]) -> None:
    """Delete files matching ``pattern`` but ``keep``: older versions are never read again."""
    kept = set(keep)
    for stale in directory.glob(pattern):
        if stale not in kept:
            stale.unlink(missing_ok=True)
