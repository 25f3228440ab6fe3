"""One collect pass over every outlet: feeds and sitemaps read (conditional GET), their new
items fetched politely, every response handed to the archive, and what happened returned
as records (feed states, fetches) for the storage layer to keep. No warehouse access here:
the pass is given what is already known and a sink for the responses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

import httpx

from ..records import Collection, FeedState, Fetch
from .feeds import FeedItem, parse_feed
from .fetch import Fetcher
from .sitemaps import parse_sitemap
from .sources import Outlet, Sources


@dataclass
class Known:
    """What the warehouse already has: pages not to fetch again, and each feed's last state."""

    urls: set[str] = field(default_factory=set)
    feeds: dict[str, FeedState] = field(default_factory=dict)


Sink = Callable[[Fetch], None]  # archives a response (load/archive.py); the body may be dropped after


def collect(
    sources: Sources, known: Known, sink: Sink, transport: httpx.AsyncBaseTransport | None = None
) -> Collection:
    return asyncio.run(_collect(sources, known, sink, transport))


async def _collect(sources: Sources, known: Known, sink: Sink, transport) -> Collection:
    fetcher = Fetcher(sources.policy, transport)
    passing = _Pass(fetcher, known, sink)
    try:
        await asyncio.gather(*(passing.outlet(outlet) for outlet in sources.outlets))
    finally:
        await fetcher.aclose()
    for fetch in fetcher.robots_fetches:
        passing.keep(fetch)
    return Collection(feeds=passing.feeds, fetches=passing.fetches)


class _Pass:
    def __init__(self, fetcher: Fetcher, known: Known, sink: Sink):
        self.fetcher, self.known, self.sink = fetcher, known, sink
        self.feeds: list[FeedState] = []
        self.fetches: list[Fetch] = []
        self.claimed: set[str] = set()  # pages taken by an outlet in this pass

    def keep(self, fetch: Fetch) -> None:
        """Archive a response (any status: a 404 page is evidence too) and keep its record."""
        if fetch.status is not None and fetch.body:
            self.sink(fetch)
        fetch.body = b""
        self.fetches.append(fetch)

    async def outlet(self, outlet: Outlet) -> None:
        listed: list[tuple[FeedState, list[FeedItem]]] = []
        for url in outlet.feeds:
            listed.append(await self._feed(outlet, url))
        for url in outlet.sitemaps:
            listed.append(await self._sitemap(outlet, url))
        new = self._new_pages(outlet, listed)
        pages = await asyncio.gather(*(self.fetcher.get(url, "page", outlet.name, outlet.policy) for url in new))
        for page in pages:
            self.keep(page)

    def _new_pages(self, outlet: Outlet, listed) -> list[str]:
        """The outlet's items not known and not claimed in this pass, newest first, at most
        max_new_pages (the rest stay listed for the next run); each feed counts its new ones."""
        fresh: dict[str, FeedItem] = {}
        for state, items in listed:
            new = [i for i in items if i.url not in self.known.urls and i.url not in self.claimed]
            state.new_items = len(new)
            for item in new:
                fresh.setdefault(item.url, item)
        ordered = sorted(fresh.values(), key=lambda i: (i.published is None, -(i.published or _EPOCH).timestamp()))
        chosen = [i.url for i in ordered[: outlet.policy.max_new_pages]]
        self.claimed.update(chosen)
        return chosen

    def _state(self, outlet: Outlet, url: str, kind: str) -> FeedState:
        before = self.known.feeds.get(url)
        state = replace(before, outlet=outlet.name, kind=kind) if before else FeedState(url, outlet.name, kind)
        self.feeds.append(state)
        return state

    async def _feed(self, outlet: Outlet, url: str) -> tuple[FeedState, list[FeedItem]]:
        state = self._state(outlet, url, "feed")
        fetch = await self.fetcher.get(url, "feed", outlet.name, outlet.policy, _validators(state))
        items: list[FeedItem] = []
        if fetch.ok:
            # in a thread: feedparser takes ~4 s over 10,000 items, which would stall every fetch
            parsed = await asyncio.to_thread(
                parse_feed, fetch.body, fetch.final_url or url, fetch.header("content-type")
            )
            items = parsed.items
            if parsed.error:
                fetch.error, fetch.detail = parsed.error, parsed.detail
        self.keep(fetch)
        _record(state, fetch, len(items))
        return state, items

    async def _sitemap(self, outlet: Outlet, url: str) -> tuple[FeedState, list[FeedItem]]:
        state = self._state(outlet, url, "sitemap")
        items, first = await self._sitemap_tree(outlet, url, depth=0, headers=_validators(state))
        _record(state, first, len(items))
        return state, items

    async def _sitemap_tree(self, outlet: Outlet, url: str, depth: int, headers=None):
        """(pages of the sitemap and of its sub-sitemaps down to max_sitemap_depth, its own fetch)."""
        fetch = await self.fetcher.get(url, "sitemap", outlet.name, outlet.policy, headers)
        items: list[FeedItem] = []
        subs: list[str] = []
        if fetch.ok:
            parsed = await asyncio.to_thread(parse_sitemap, fetch.body, fetch.final_url or url, outlet.policy.max_bytes)
            items, subs = parsed.items, parsed.sitemaps
            if parsed.error:
                fetch.error, fetch.detail = parsed.error, parsed.detail
        self.keep(fetch)
        if depth < outlet.policy.max_sitemap_depth:
            for sub in subs:
                items += (await self._sitemap_tree(outlet, sub, depth + 1))[0]
        return items, fetch


def _validators(state: FeedState) -> dict:
    headers = {}
    if state.etag:
        headers["If-None-Match"] = state.etag
    if state.last_modified:
        headers["If-Modified-Since"] = state.last_modified
    return headers


def _record(state: FeedState, fetch: Fetch, items: int) -> None:
    """The feed's state after this fetch: a 304 or a readable feed is a success."""
    state.last_fetched_at = fetch.fetched_at
    state.last_status = fetch.status
    if fetch.ok or fetch.status == 304:
        state.consecutive_failures, state.last_error = 0, None
        state.last_success_at = fetch.fetched_at
        if fetch.ok:
            state.items_seen = items
            state.etag = fetch.header("etag")
            state.last_modified = fetch.header("last-modified")
        return
    state.consecutive_failures += 1
    state.last_error = f"{fetch.error or 'http_error'}: {fetch.detail or f'HTTP {fetch.status}'}"[:500]
    state.new_items = 0


_EPOCH = datetime(1970, 1, 1)
