"""The build's time: `SOURCE_DATE_EPOCH` parsed once, with one policy, and passed down.

Reproducible builds set `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) so every
timestamp a build writes — zip entries, Anki note times, the stats file's date, PDF
creation dates — is that instant rather than "now".  It used to be read by four
functions with four policies (one rejected `abc`, two silently ignored it, one
accepted `-5`); now a command reads it once with `BuildTime.from_environ()` and a
malformed value stops the run with one clear message.  PDFs: reportlab reads the
variable itself, so the PDF renderers validate it through this same function first.
"""

from __future__ import annotations

import datetime as _dt
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

from studygen.errors import StudygenError

ENV = "SOURCE_DATE_EPOCH"
_MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z: later instants have no ISO date
_ZIP_EPOCH = 315532800  # 1980-01-01T00:00:00Z, the earliest time a zip entry can hold
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class BuildTime:
    """`epoch` is SOURCE_DATE_EPOCH's value, or None when it is not set (then fixed stamps are used)."""

    epoch: int | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> BuildTime:
        raw = (os.environ if environ is None else environ).get(ENV, "").strip()
        if not raw:
            return cls(None)
        if not (raw.isascii() and raw.isdigit()) or int(raw) > _MAX_EPOCH:
            raise StudygenError(
                f"{ENV}={raw!r} is not a whole number of seconds since 1970-01-01 UTC; "
                f"unset it, or set it to e.g. the last commit's time: {ENV}=$(git log -1 --format=%ct)"
            )
        return cls(int(raw))

    def seconds(self, default: int) -> int:
        """The epoch in seconds, or `default` when SOURCE_DATE_EPOCH is not set."""
        return default if self.epoch is None else self.epoch

    def zip_date_time(self) -> tuple[int, int, int, int, int, int]:
        """A zip entry's date_time: the epoch (no earlier than 1980, even seconds), else 1980-01-01."""
        if self.epoch is None:
            return FIXED_ZIP_TIME
        t = time.gmtime(max(self.epoch, _ZIP_EPOCH))
        return (t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec - t.tm_sec % 2)

    def date(self) -> str:
        """The epoch's UTC date (ISO), else today's (UTC): the date a grading run is recorded under."""
        if self.epoch is None:
            return _dt.datetime.now(_dt.UTC).date().isoformat()
        return _dt.datetime.fromtimestamp(self.epoch, _dt.UTC).date().isoformat()
