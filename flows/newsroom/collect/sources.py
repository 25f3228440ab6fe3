"""The outlets to collect from, and how politely: one TOML file (warehouse/sources.toml by
default, NEWSROOM_SOURCES), validated as a whole so that every bad entry is named at once.

    [fetch]                      # optional; the defaults below
    user_agent = "newsroom/0.1 (news-analytics warehouse)"
    timeout_seconds = 10
    retries = 2                  # after a timeout or a 5xx only, with exponential backoff
    concurrency = 8              # requests in flight over all hosts
    per_host_connections = 1
    delay_seconds = 1.0          # between two requests to one host (robots.txt Crawl-delay wins if longer)
    max_bytes = 5_000_000        # a response body, after decompression
    max_redirects = 5
    max_new_pages = 500          # new pages fetched per outlet and run; the rest wait for the next run

    [[outlet]]
    name = "Example News"
    language = "en"              # what its pages are expected to be in (detection decides)
    feeds = ["https://example.com/rss.xml"]
    sitemaps = ["https://example.com/news-sitemap.xml"]
    delay_seconds = 2            # any [fetch] politeness setting, for this outlet alone
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit


class SourcesError(ValueError):
    """sources.toml cannot be used; the message lists every problem, one a line."""


@dataclass(frozen=True)
class FetchPolicy:
    user_agent: str = "newsroom/0.1 (news-analytics warehouse)"
    timeout_seconds: float = 10.0
    retries: int = 2
    backoff_seconds: float = 0.5
    concurrency: int = 8
    per_host_connections: int = 1
    delay_seconds: float = 1.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    max_new_pages: int = 500
    max_sitemap_depth: int = 2  # a sitemap index, its sitemaps, theirs
    obey_robots: bool = True


# what an outlet may override: politeness, not the client's identity
OUTLET_POLICY = ("delay_seconds", "per_host_connections", "max_new_pages", "timeout_seconds")


@dataclass(frozen=True)
class Outlet:
    name: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    language: str | None = None
    policy: FetchPolicy = field(default_factory=FetchPolicy)


@dataclass(frozen=True)
class Sources:
    policy: FetchPolicy = field(default_factory=FetchPolicy)
    outlets: tuple[Outlet, ...] = ()


_POLICY_TYPES = {f.name: f.type for f in fields(FetchPolicy)}


def load_sources(path: Path) -> Sources:
    """The file's outlets, or no outlets when the file does not exist (collection is then a
    no-op). Raises SourcesError naming every bad entry."""
    if not path.exists():
        return Sources()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    except OSError as exc:  # unreadable (permissions, a folder): as unusable as bad TOML
        raise SourcesError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    return parse_sources(data, str(path))


def parse_sources(data: dict, where: str = "sources") -> Sources:
    problems: list[str] = []
    unknown = set(data) - {"fetch", "outlet"}
    problems += [f"{where}: unknown table or key [{key}]" for key in sorted(unknown)]
    policy = _policy(data.get("fetch", {}), FetchPolicy(), f"{where} [fetch]", problems)
    outlets = []
    entries = data.get("outlet", [])
    if not isinstance(entries, list):
        problems.append(f"{where}: outlets are [[outlet]] tables")
        entries = []
    names: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        outlet = _outlet(entry, policy, f"{where} outlet {n}", problems)
        if outlet is not None:
            if outlet.name in names:
                problems.append(f"{where} outlet {n}: name {outlet.name!r} is used twice")
            names.add(outlet.name)
            outlets.append(outlet)
    if problems:
        raise SourcesError("\n".join(problems))
    return Sources(policy, tuple(outlets))


def _policy(table, base: FetchPolicy, where: str, problems: list[str], allowed=None) -> FetchPolicy:
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table")
        return base
    changes = {}
    for key, value in table.items():
        if key not in _POLICY_TYPES or (allowed is not None and key not in allowed):
            problems.append(f"{where}: unknown setting {key!r}")
            continue
        problem = _policy_value(key, value)
        if problem:
            problems.append(f"{where}: {key} {problem}")
        else:
            changes[key] = float(value) if _POLICY_TYPES[key] == "float" else value
    return replace(base, **changes)


def _policy_value(key: str, value) -> str | None:
    kind = _POLICY_TYPES[key]
    if kind == "str":
        return None if isinstance(value, str) and value.strip() else "must be a non-empty string"
    if kind == "bool":
        return None if isinstance(value, bool) else "must be true or false"
    if isinstance(value, bool) or not isinstance(value, int | float) or (kind == "int" and not isinstance(value, int)):
        return f"must be a {'whole ' if kind == 'int' else ''}number, not {value!r}"
    zero_ok = key in ("retries", "delay_seconds", "backoff_seconds", "max_redirects", "max_sitemap_depth")
    if value < 0 or (value == 0 and not zero_ok):
        return f"must be {'0 or more' if zero_ok else 'positive'}, not {value!r}"
    return None


def _outlet(entry, policy: FetchPolicy, where: str, problems: list[str]) -> Outlet | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a table")
        return None
    before = len(problems)
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: needs a name")
        name = None
    where = f"{where} ({name})" if name else where
    known = {"name", "language", "feeds", "sitemaps", *OUTLET_POLICY}
    problems += [f"{where}: unknown key {key!r}" for key in sorted(set(entry) - known)]
    feeds = _urls(entry.get("feeds", []), f"{where} feeds", problems)
    sitemaps = _urls(entry.get("sitemaps", []), f"{where} sitemaps", problems)
    if not feeds and not sitemaps and len(problems) == before:
        problems.append(f"{where}: lists no feeds and no sitemaps")
    language = entry.get("language")
    if language is not None and not (isinstance(language, str) and language.isalpha() and len(language) == 2):
        problems.append(f"{where}: language must be a two-letter ISO 639-1 code such as 'en', not {language!r}")
    own = {k: v for k, v in entry.items() if k in OUTLET_POLICY}
    outlet_policy = _policy(own, policy, where, problems, allowed=OUTLET_POLICY)
    if len(problems) > before:
        return None
    return Outlet(name.strip(), feeds, sitemaps, language.lower() if language else None, outlet_policy)


def _urls(value, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: must be a list of URLs")
        return ()
    bad = [v for v in value if urlsplit(v.strip()).scheme not in ("http", "https") or not urlsplit(v.strip()).netloc]
    problems += [f"{where}: {v!r} is not an http(s) URL" for v in bad]
    return tuple(v.strip() for v in value if v not in bad)
