"""Web pages and feed URLs: a careful fetch (timeouts, redirect and size caps) plus trafilatura.

URLs go to ``urllib`` only, never to a shell or to a library that fetches on its own, so the caps
here are the only way bytes come in from the network.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import urlsplit

from sitreps.ingest.feeds import looks_like_feed, parse_feed
from sitreps.ingest.text import decode_bytes, make_article, make_error, parse_date
from sitreps.records import Article, IngestError

USER_AGENT = "sitreps/0.1"
MAX_REDIRECTS = 5
# ``timeout`` bounds each socket operation; a server that trickles bytes is cut off after this
# many timeouts' worth of wall time in total.
TOTAL_TIME_FACTOR = 4
_CHUNK = 65536
_NOT_PAGES = (
    "image/",
    "audio/",
    "video/",
    "font/",
    "application/pdf",
    "application/zip",
    "application/octet-stream",
)


@dataclass(frozen=True, slots=True)
class Fetched:
    """A fetched HTTP response body with the URL it finally came from."""

    url: str
    body: bytes
    content_type: str


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follow at most ``MAX_REDIRECTS`` redirects, and only to http(s)."""

    max_redirections = MAX_REDIRECTS
    max_repeats = 2

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        if urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(
                newurl, code, f"redirect to non-HTTP URL {newurl}", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class AddressRefused(OSError):
    """A URL's host resolves to a loopback, private, link-local, multicast or otherwise
    non-public address, and the caller did not allow those (a server fetching for a client)."""


def refused_kind(address: str) -> str | None:
    """Why an IP address is off limits to a server-side fetch, or ``None`` when it is public.

    >>> refused_kind("127.0.0.2"), refused_kind("::ffff:10.1.2.3"), refused_kind("8.8.8.8")
    ('loopback', 'private', None)
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    # Shared (carrier NAT), documentation and benchmarking ranges are not global either.
    return None if ip.is_global else "non-public"


def _public_connection(
    address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
    source_address: Any = None,
) -> socket.socket:
    """Connect to ``address`` only through the public IPs its name resolves to.

    The check and the connection use the same resolved address, so a name that resolves
    differently the second time (DNS rebinding) cannot slip a private address through.
    """
    host, port = address
    refused: list[str] = []
    last: OSError | None = None
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        why = refused_kind(str(sockaddr[0]))
        if why is not None:
            refused.append(f"{sockaddr[0]} ({why})")
            continue
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:  # type: ignore[attr-defined]
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            sock.close()
            last = error
    if last is not None:
        raise last
    raise AddressRefused(
        f"{host} resolves to {', '.join(refused) or 'no address'}: the server does not fetch "
        "loopback, private, link-local or multicast addresses (start it with "
        "--allow-private-urls to allow them)"
    )


class _PublicHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection that refuses non-public addresses, at every connect (redirects too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    """The HTTPS twin of ``_PublicHTTPConnection``; TLS still checks the host name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _public_connection


class _PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPConnection, req)


class _PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_PublicHTTPSConnection, req, context=self._context)  # type: ignore[attr-defined]


def _opener(allow_private: bool = True) -> urllib.request.OpenerDirector:
    """Build an opener that speaks only HTTP(S) and caps redirects.

    Without ``allow_private`` every connection (the first and each redirect) goes only to public
    addresses, and environment proxies are not used: a proxy would connect on our behalf to
    addresses this process cannot check.
    """
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler() if allow_private else urllib.request.ProxyHandler({}),
        urllib.request.HTTPHandler() if allow_private else _PublicHTTPHandler(),
        urllib.request.HTTPSHandler() if allow_private else _PublicHTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        _LimitedRedirects(),
    ):
        opener.add_handler(handler)
    return opener


def fetch(
    url: str, *, timeout: float = 15.0, max_bytes: int = 20_000_000, allow_private: bool = True
) -> Fetched | IngestError:
    """Fetch an http(s) URL, or return an ``IngestError`` saying why it could not be read.

    Args:
        url: an ``http://`` or ``https://`` URL.
        timeout: seconds allowed for connecting and for each read.
        max_bytes: larger bodies are refused, checked before and while reading.
        allow_private: fetch loopback, private, link-local and multicast addresses too. The CLI
            fetches what its user names; a server fetching for clients passes ``False``
            (issue 15: SSRF), checked after DNS resolution and on every redirect.
    """
    if urlsplit(url).scheme not in ("http", "https"):
        return make_error(url, "not an http(s) URL")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    deadline = time.monotonic() + timeout * TOTAL_TIME_FACTOR
    try:
        with _opener(allow_private).open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                return make_error(url, f"response too large ({length} bytes > limit {max_bytes})")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    return make_error(url, f"response too large (more than {max_bytes} bytes)")
                if time.monotonic() > deadline:
                    return make_error(
                        url,
                        f"timed out: body still arriving after {timeout:g}s x {TOTAL_TIME_FACTOR}",
                    )
                chunks.append(chunk)
            return Fetched(
                response.geturl(), b"".join(chunks), response.headers.get("Content-Type", "")
            )
    except urllib.error.HTTPError as err:
        if 300 <= err.code < 400:
            return make_error(
                url, f"redirect loop or more than {MAX_REDIRECTS} redirects (last HTTP {err.code})"
            )
        return make_error(url, f"HTTP error {err.code} {err.reason}")
    except AddressRefused as err:
        return make_error(url, f"refused: {err}")
    except urllib.error.URLError as err:
        if isinstance(err.reason, AddressRefused):
            return make_error(url, f"refused: {err.reason}")
        if isinstance(err.reason, TimeoutError):
            return make_error(url, f"timed out after {timeout:g}s")
        return make_error(url, f"could not connect: {err.reason}")
    except TimeoutError:
        return make_error(url, f"timed out after {timeout:g}s")
    except (OSError, ValueError) as err:
        # http.client raises plain OSError subclasses (reset, bad status line) and ValueError
        # for malformed URLs; either is a bad source, not a bug in the caller.
        return make_error(url, f"could not fetch: {err}")


def extract_html(data: bytes | str, origin: str, url: str | None = None) -> Article | IngestError:
    """Extract the main text, title and date of a web page with trafilatura.

    >>> page = ("<html><head><title>Clashes in Deraa</title></head><body><article><p>"
    ...         + "Clashes broke out between rebels and army units in Deraa on Sunday. " * 4
    ...         + "</p></article></body></html>")
    >>> extract_html(page, "page.html").title
    'Clashes in Deraa'
    """
    import trafilatura

    document = trafilatura.bare_extraction(
        data,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Searching the whole page for any date finds "last updated" or comment dates; only
        # the page's own metadata is trusted.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = getattr(document, "text", None) if document is not None else None
    if not text or not text.strip():
        return make_error(origin, "no article text found")
    page_url = url or getattr(document, "url", None)
    return make_article(
        text,
        title=getattr(document, "title", None),
        published=parse_date(getattr(document, "date", None)),
        url=page_url,
        source=getattr(document, "sitename", None)
        or (urlsplit(page_url).hostname if page_url else None),
        origin=origin,
        lede=getattr(document, "description", None),
    )


def read_url(
    url: str, *, timeout: float = 15.0, max_bytes: int = 20_000_000, follow_feeds: bool = True,
    allow_private: bool = True,
) -> Iterator[Article | IngestError]:
    """Yield the article at a URL, or one article per entry when the URL is an RSS/Atom feed.

    Args:
        url: an http(s) URL of a page or a feed.
        timeout, max_bytes: passed to ``fetch``.
        follow_feeds: parse feeds; ``False`` when fetching an entry's link, so a feed whose
            entries link to feeds cannot recurse.
        allow_private: passed to ``fetch``, for the page and for every feed entry's link.
    """
    fetched = fetch(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private)
    if isinstance(fetched, IngestError):
        yield fetched
        return
    if not fetched.body.strip():
        yield make_error(url, "empty response")
        return
    if follow_feeds and looks_like_feed(fetched.body, fetched.content_type):

        def fetch_entry(link: str) -> Iterator[Article | IngestError]:
            return read_url(link, timeout=timeout, max_bytes=max_bytes, follow_feeds=False,
                            allow_private=allow_private)

        yield from parse_feed(fetched.body, url, fetch_entry=fetch_entry)
        return
    ctype = fetched.content_type.split(";")[0].strip().lower()
    if ctype.startswith(_NOT_PAGES):
        yield make_error(url, f"not a web page or feed (content type {ctype})")
        return
    if ctype == "text/plain":
        text = decode_bytes(fetched.body)
        if text is None:
            yield make_error(url, "binary file, not text")
            return
        yield make_article(text, url=fetched.url, source=urlsplit(fetched.url).hostname, origin=url)
        return
    yield extract_html(fetched.body, url, fetched.url)
