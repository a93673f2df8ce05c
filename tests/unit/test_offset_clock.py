"""The drill clock: moved on by the seconds in a file, re-read when the file changes."""

import os
from datetime import timedelta
from pathlib import Path

from shared.clock import OffsetClock, SystemClock, clock_from
from shared.contracts.envelope import utcnow


def test_the_clock_moves_by_the_files_seconds_and_follows_changes(tmp_path: Path):
    path = tmp_path / "offset"
    clock = OffsetClock(path)
    assert abs(clock.now() - utcnow()) < timedelta(seconds=1)  # no file: no offset
    path.write_text("600")
    assert timedelta(seconds=599) < clock.now() - utcnow() < timedelta(seconds=601)
    path.write_text("1200")
    os.utime(path, (1, 1))  # a change within the same mtime tick is still seen
    assert timedelta(seconds=1199) < clock.now() - utcnow() < timedelta(seconds=1201)


def test_no_file_named_means_the_system_clock(tmp_path: Path):
    assert isinstance(clock_from(None), SystemClock)
    assert isinstance(clock_from(str(tmp_path / "offset")), OffsetClock)
