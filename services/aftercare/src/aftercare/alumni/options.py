"""The settings the path to mentorship needs, handed over by `aftercare.app`."""

from dataclasses import dataclass

from shared.clock import Clock


@dataclass(frozen=True)
class AlumniOptions:
    """When an alumnus may start training, which courses certify them, and the clock."""

    mentor_min_days_since_discharge: int
    mentor_courses: tuple[str, ...]
    clock: Clock
