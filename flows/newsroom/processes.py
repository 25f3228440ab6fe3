"""Child processes that never outlive the run that started them."""

from __future__ import annotations


def die_with_parent() -> None:
    """Linux: this process is SIGKILLed when its parent dies (run in a child, at its start),
    so no annotation worker or dbt build lingers after a run is stopped or killed, writing
    beside a working copy that the next run rebuilds."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except OSError:
        pass
