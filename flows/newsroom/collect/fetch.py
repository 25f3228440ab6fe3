"""The HTTP client of the collect stage (httpx, asynchronous): robots.txt obeyed (protego),
per-host politeness, a global concurrency limit, retries with exponential backoff on
timeouts and 5xx only, redirects capped, bodies capped after decompression, conditional GET.

Every request ends in a Fetch with a status or a reason code; nothing raises. Retries are a
loop here rather than a retrying transport (httpx-retries) so that a retry waits its turn
in the host's politeness queue like any request.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import httpx
from protego import Protego

from ..records import PAGE_TYPES, Fetch
from .sources import FetchPolicy
from .urls import host_of

# reasons a later run may do better on; a page that failed so is fetched again (up to 3 runs)
TRANSIENT = {"timeout", "connect_error", "server_error", "robots_unavailable", "network_error"}


@dataclass
class _Host:
    slots: asyncio.Semaphore
    delay: float
    next_at: float = 0.0
    robots: asyncio.Future | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class Fetcher:
    """One per collect pass (an event loop): hosts' queues and robots.txt live for the pass."""

    def __init__(self, policy: FetchPolicy, transport: httpx.AsyncBaseTransport | None = None):
        self.policy = policy
        self.client = httpx.AsyncClient(
            headers={"User-Agent": policy.user_agent},
            follow_redirects=True,
            max_redirects=policy.max_redirects,
            timeout=httpx.Timeout(policy.timeout_seconds),
            limits=httpx.Limits(max_connections=policy.concurrency),
            transport=transport,
            trust_env=False,  # no proxy from the environment: the config says where requests go
        )
        self.slots = asyncio.Semaphore(policy.concurrency)
        self.hosts: dict[str, _Host] = {}
        self.robots_fetches: list[Fetch] = []

    async def aclose(self) -> None:
        await self.client.aclose()

    def _host(self, url: str, policy: FetchPolicy) -> _Host:
        key = host_of(url)
        if key not in self.hosts:
            self.hosts[key] = _Host(asyncio.Semaphore(policy.per_host_connections), policy.delay_seconds)
        return self.hosts[key]

    async def get(
        self, url: str, kind: str, outlet: str, policy: FetchPolicy | None = None, headers: dict | None = None
    ) -> Fetch:
        """GET url politely; `headers` for a conditional GET (If-None-Match, If-Modified-Since)."""
        policy = policy or self.policy
        if policy.obey_robots and kind != "robots":
            refusal = await self._robots_refusal(url, outlet, policy)
            if refusal is not None:
                return Fetch(url, kind, outlet, error=refusal[0], detail=refusal[1], fetched_at=_now())
        fetch = Fetch(url, kind, outlet, fetched_at=_now())
        started = time.perf_counter()
        for attempt in range(policy.retries + 1):
            fetch.attempts = attempt + 1
            await self._polite(url, policy, fetch, headers or {})
            if fetch.error not in ("timeout", "server_error", "connect_error") or attempt == policy.retries:
                break
            await asyncio.sleep(policy.backoff_seconds * 2**attempt)
        fetch.milliseconds = round((time.perf_counter() - started) * 1000)
        if fetch.ok and kind == "page":
            _check_page_type(fetch)
        return fetch

    async def _polite(self, url: str, policy: FetchPolicy, fetch: Fetch, headers: dict) -> None:
        """One attempt, in turn: at most per_host_connections requests to a host, each
        delay_seconds after the previous one ended, and `concurrency` over all hosts."""
        host = self._host(url, policy)
        async with host.slots, self.slots:
            async with host.lock:
                wait = host.next_at - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                host.next_at = time.monotonic() + host.delay
            try:
                await self._attempt(url, policy, fetch, headers)
            finally:
                host.next_at = max(host.next_at, time.monotonic() + host.delay)

    async def _attempt(self, url: str, policy: FetchPolicy, fetch: Fetch, headers: dict) -> None:
        fetch.error, fetch.detail = None, ""
        try:
            async with self.client.stream("GET", url, headers=headers, timeout=policy.timeout_seconds) as response:
                fetch.status = response.status_code
                fetch.final_url = str(response.url)
                fetch.headers = list(response.headers.multi_items())
                await _read_body(response, policy.max_bytes, fetch)
        except httpx.TooManyRedirects as exc:
            fetch.error, fetch.detail = "too_many_redirects", f"more than {policy.max_redirects} redirects: {exc}"
        except httpx.TimeoutException as exc:
            fetch.error, fetch.detail = "timeout", f"{type(exc).__name__} after {policy.timeout_seconds} s"
        except httpx.ConnectError as exc:
            fetch.error, fetch.detail = "connect_error", str(exc)[:300]
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            fetch.error, fetch.detail = "network_error", f"{type(exc).__name__}: {exc}"[:300]
        if fetch.error is None and fetch.status >= 500:
            fetch.error, fetch.detail = "server_error", f"HTTP {fetch.status}"
        elif fetch.error is None and fetch.status >= 400:
            fetch.error, fetch.detail = "http_error", f"HTTP {fetch.status}"

    async def _robots_refusal(self, url: str, outlet: str, policy: FetchPolicy) -> tuple[str, str] | None:
        """(reason, detail) when robots.txt does not let this user agent fetch url."""
        host = self._host(url, policy)
        if host.robots is None:
            host.robots = asyncio.ensure_future(self._robots(url, outlet, policy))
        rules = await host.robots
        if isinstance(rules, str):
            return "robots_unavailable", rules
        if rules is not None and not rules.can_fetch(url, policy.user_agent):
            return "robots_disallowed", f"{host_of(url)}/robots.txt disallows it for {policy.user_agent!r}"
        return None

    async def _robots(self, url: str, outlet: str, policy: FetchPolicy):
        """The host's rules (None: no robots.txt, all allowed), or why they could not be read.
        As RFC 9309 says, a robots.txt that cannot be reached (5xx, no answer) means
        "disallow everything" for now; a 4xx means there are no rules."""
        fetch = await self.get(host_of(url) + "/robots.txt", "robots", outlet, policy)
        self.robots_fetches.append(fetch)
        if fetch.ok:
            rules = Protego.parse(fetch.body.decode("utf-8", errors="replace"))
            delay = rules.crawl_delay(policy.user_agent)
            if delay:
                self._host(url, policy).delay = max(self._host(url, policy).delay, float(delay))
            return rules
        if fetch.status is not None and 400 <= fetch.status < 500:
            return None
        return f"robots.txt could not be read ({fetch.error}: {fetch.detail}): nothing fetched from this host"


async def _read_body(response: httpx.Response, max_bytes: int, fetch: Fetch) -> None:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes and "content-encoding" not in response.headers:
        fetch.error, fetch.detail = "too_large", f"Content-Length {declared} exceeds the limit of {max_bytes} bytes"
        return
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decompressed: the cap bounds a gzip bomb too
        size += len(chunk)
        if size > max_bytes:
            fetch.error, fetch.detail = "too_large", f"body exceeds the limit of {max_bytes} bytes"
            return
        chunks.append(chunk)
    fetch.body = b"".join(chunks)
    fetch.nbytes = size


def _check_page_type(fetch: Fetch) -> None:
    media = (fetch.header("content-type") or "text/html").split(";")[0].strip().lower()
    if media not in PAGE_TYPES:
        fetch.error, fetch.detail = "not_html", f"content type {media}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
