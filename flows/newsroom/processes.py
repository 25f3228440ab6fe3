"""Child processes that never outlive the run that started them."""

from __future__ import annotations

import signal
import subprocess
import threading

_interrupted = threading.Event()


def die_with_parent() -> None:
    """Linux: this process is SIGKILLed when its parent dies (run in a child, at its start),
    so no annotation worker or dbt build lingers after a run is stopped or killed, writing
    beside a working copy that the next run rebuilds."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except OSError:
        pass


def stop(child: subprocess.Popen, timeout: float = 20) -> None:
    """Terminate a child and reap it; kill it if it has not gone after `timeout` seconds."""
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def stop_on_interrupt() -> None:
    """Ctrl-C (SIGINT) stops the run even where a library turns the KeyboardInterrupt into an
    error of its own: DuckDB ends the query it interrupts with `Query interrupted`, an
    Exception, which a per-article fallback catches, and the run went on to publish (the
    SIGINT test, 2026-12-07). The handler remembers the signal; `raise_if_interrupted`
    raises it again where the run catches errors. Main thread only (a signal's rule)."""
    signal.signal(signal.SIGINT, _on_interrupt)


def _on_interrupt(signum, frame) -> None:
    _interrupted.set()
    raise KeyboardInterrupt


def raise_if_interrupted() -> None:
    """KeyboardInterrupt if Ctrl-C came since `stop_on_interrupt` (whatever became of the
    first one)."""
    if _interrupted.is_set():
        raise KeyboardInterrupt
