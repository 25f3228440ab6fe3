"""Helpers for the end-to-end tests of real services (the Prefect server and served deployment
that `newsroom serve` starts, the dbt docs site) and headless Chromium to look at them, all
on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("NEWSROOM_CHROMEDRIVER", "/usr/bin/chromedriver")
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def chromium():
    """Headless Debian Chromium driven by its matching chromedriver (both from apt, installed
    by the Makefile); nothing is downloaded."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for path in (CHROMIUM, CHROMEDRIVER):
        if not shutil.which(path):
            raise RuntimeError(f"{path} is missing: `make test` installs chromium and chromium-driver with apt-get")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--window-size=1400,1000",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for_text(driver, texts: list[str], timeout: float = 60) -> str:
    """The page's visible text once every one of `texts` appears in it."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        body = driver.find_element("tag name", "body").text
        if all(t in body for t in texts):
            return body
        time.sleep(0.5)
    raise AssertionError(f"{texts} not all on {driver.current_url} after {timeout:.0f} s; page text:\n{body[:3000]}")


def listening_addresses(root_pids: list[int]) -> set[str]:
    """Local addresses every process in these process trees listens on."""
    return {ip for _, ip, _ in listening_sockets(root_pids)}


def listening_sockets(root_pids: list[int]) -> set[tuple[int, str, int]]:
    """(pid, address, port) of every listening socket in these process trees."""
    import psutil

    processes = []
    for pid in root_pids:
        try:
            root = psutil.Process(pid)
            processes += [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            continue
    pids = {p.pid for p in processes}
    return {
        (c.pid, c.laddr.ip, c.laddr.port)
        for c in psutil.net_connections(kind="inet")
        if c.status == psutil.CONN_LISTEN and c.pid in pids
    }
