"""Child processes that never outlive the run that started them."""

from __future__ import annotations

import subprocess


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
