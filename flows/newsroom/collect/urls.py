"""When two URLs are one page: the key a feed item is compared on before anything is fetched.

courlan (trafilatura's URL library) lower-cases scheme and host, drops default ports, sorts
the query and removes tracking parameters (utm_*, fbclid, gclid, ...); the fragment, which
never reaches the server, goes too.
"""

from __future__ import annotations

from urllib.parse import urldefrag, urljoin, urlsplit

from courlan import normalize_url as _courlan_normalize


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form of an http(s) URL (relative ones resolved against base), or None
    for anything else (mailto:, javascript:, an unparseable string)."""
    url = (url or "").strip()
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return None
        if any(ch.isspace() for ch in parts.netloc):
            return None
        return urldefrag(_courlan_normalize(url))[0]
    except ValueError:  # a malformed host or port
        return None


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()
