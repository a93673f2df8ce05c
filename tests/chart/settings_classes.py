"""Each service's settings class, by the name its env prefix is made from."""

from pydantic_settings import BaseSettings

from aftercare.config import AftercareSettings
from console.config import ConsoleSettings
from intake.config import IntakeSettings
from matching.config import MatchingSettings
from notify.config import NotifySettings
from sessions.config import SessionsSettings

SETTINGS: dict[str, type[BaseSettings]] = {
    "intake": IntakeSettings,
    "matching": MatchingSettings,
    "sessions": SessionsSettings,
    "aftercare": AftercareSettings,
    "notify": NotifySettings,
    "console": ConsoleSettings,
}
# Settings the console inherits but never reads (it has no database and consumes no stream).
CONSOLE_UNUSED = {"database_url", "manage_streams", "migrate_on_start", "stream_replicas"}


def read_settings(service: str) -> set[str]:
    """The settings a service reads."""
    fields = set(SETTINGS[service].model_fields)
    return fields - CONSOLE_UNUSED if service == "console" else fields
