"""What a person watching a run sees: a line as each stage starts, and a bar per stage on an
interactive terminal (files read, articles annotated); plain lines when stderr is a file or a
pipe (a served deployment's log, CI), at most one every few seconds.

Written to stderr directly rather than printed: the flow logs prints (`log_prints`), and a
bar redrawn many times a second does not belong in the Prefect log. Stage lines also go to
the run's logger, so the Prefect UI shows them.
"""

from __future__ import annotations

import shutil
import sys
import time


class _Lines:
    """A tqdm-shaped counter that writes a plain line now and then."""

    def __init__(self, desc: str, total: int | None, unit: str, stream, every: float = 5.0):
        self.desc, self.total, self.unit, self.stream, self.every = desc, total, unit, stream, every
        self.n, self.started, self.last, self.shown = 0, time.monotonic(), 0.0, 0

    def update(self, n: int = 1) -> None:
        self.n += n
        if time.monotonic() - self.last >= self.every:
            self._line()

    def _line(self) -> None:
        self.last, self.shown = time.monotonic(), self.n
        of = f"/{self.total}" if self.total else ""
        rate = self.n / max(self.last - self.started, 1e-9)
        self.stream.write(f"newsroom: {self.desc} {self.n}{of} {self.unit}s ({rate:.1f}/s)\n")
        self.stream.flush()

    def close(self) -> None:
        if self.n != self.shown:
            self._line()


class Progress:
    def __init__(self, stream=None, logger=None):
        self.stream = stream or sys.stderr
        self.logger = logger
        self.interactive = self.stream.isatty()

    def stage(self, line: str) -> None:
        self.stream.write(f"newsroom: {line}\n")
        self.stream.flush()
        if self.logger is not None:
            self.logger.info(line)

    def bar(self, desc: str, unit: str, total: int | None = None):
        if not self.interactive:
            return _Lines(desc, total, unit, self.stream)
        from tqdm import tqdm

        # a new pseudo-terminal reports 0 x 0, where tqdm draws nothing at all
        size = shutil.get_terminal_size((100, 24))
        return tqdm(
            total=total, desc=desc, unit=f" {unit}", file=self.stream, ncols=size.columns, nrows=size.lines, leave=True
        )
