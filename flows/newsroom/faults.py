"""Fault injection for the crash, overlap and isolation tests; off unless NEWSROOM_FAULT is set.

NEWSROOM_FAULT=<stage>:<action>[,<stage>:<action>...], where <action> is
  kill          SIGKILL this process on entering the stage
  killafter=N   SIGKILL it N seconds into the stage
  killbuild=N   (dbt only) SIGKILL the run once dbt's build has finished N nodes: in the
                middle of writing the marts, however fast the machine builds them (a
                killafter= that fired 3 s into the stage came after the publish once dbt
                got faster)
  sleep=N       pause N seconds on entering it
  raise=MARKER  raise InjectedFault for an article whose text holds MARKER (the stage's
                per-article isolation should turn it into that article's rejection; in the
                places stage, into a flag: the article loads without places)
  crash=MARKER  the same, but from a point where a whole batch fails (spaCy's pipe), so
                the stage must find the article by retrying the batch's articles one by one
  stall=MARKER  spin on such an article (a pathological page) until the stage's budget
                check stops it, or for 60 s.
The variable reaches the annotation worker processes with the environment.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
from collections.abc import Callable


class InjectedFault(RuntimeError):
    """Raised by a `raise=` or `crash=` fault point."""


def _faults(stage: str) -> list[str]:
    found = []
    for fault in os.environ.get("NEWSROOM_FAULT", "").split(","):
        where, _, action = fault.strip().partition(":")
        if where == stage and action:
            found.append(action)
    return found


def fault_point(stage: str) -> None:
    """Where a run enters `stage`: the kill, killafter and sleep actions."""
    for action in _faults(stage):
        _act(action)


def _act(action: str) -> None:
    if action == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif action.startswith("killafter="):  # die in the middle of the stage
        threading.Timer(float(action.split("=", 1)[1]), os.kill, (os.getpid(), signal.SIGKILL)).start()
    elif action.startswith("sleep="):
        time.sleep(float(action.split("=", 1)[1]))


def dbt_callbacks() -> list[Callable]:
    """dbtRunner callbacks for the dbt process of a run (model/prewarmed.py): a killbuild=N
    fault SIGKILLs the run, the dbt process's parent, as dbt finishes its Nth node, then the
    dbt process itself."""
    wanted = [int(a.split("=", 1)[1]) for a in _faults("dbt") if a.startswith("killbuild=")]
    if not wanted:
        return []
    finished = itertools.count(1)

    def kill_the_run(event) -> None:
        if event.info.name == "NodeFinished" and next(finished) >= wanted[0]:
            os.kill(os.getppid(), signal.SIGKILL)
            os.kill(os.getpid(), signal.SIGKILL)

    return [kill_the_run]


def article_fault(stage: str, text: str, action: str = "raise") -> None:
    """Raise InjectedFault if NEWSROOM_FAULT asks `stage` to fail on an article holding `text`'s marker."""
    for fault in _faults(stage):
        if fault.startswith(action + "="):
            marker = fault.split("=", 1)[1]
            if marker and marker in text:
                raise InjectedFault(f"injected {action} fault in {stage}")


def article_stall(stage: str, text: str, check: Callable[[], None]) -> None:
    """Spin, calling `check` (a budget check, which raises), if NEWSROOM_FAULT asks `stage`
    to stall on an article holding the marker."""
    for fault in _faults(stage):
        marker = fault.split("=", 1)[1] if fault.startswith("stall=") else ""
        if marker and marker in text:
            until = time.monotonic() + 60
            while time.monotonic() < until:
                check()
                time.sleep(0.005)
