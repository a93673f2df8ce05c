"""What each service may publish and subscribe to on NATS: its own events, its own dead
letters, and the JetStream API calls of its own durable consumers. One service cannot forge
another's events, read a stream through anything but its own consumers, or change streams
(ops provisions them). Used for the local stack's server and the production configuration."""

OPS_USER = "ops"
# Each service's durable consumers (NATS wildcards match whole tokens only, so permissions name
# them one by one; a test checks this against the services' consumer specs).
CONSUMERS: dict[str, tuple[str, ...]] = {
    "intake": (),
    "matching": ("matching-intake-events", "matching-nominations"),
    "sessions": (
        "sessions-match-events",
        "sessions-mentor-events",
        "sessions-aftercare-enrolments",
        "sessions-alumni",
        "sessions-intake-events",
        "sessions-notify-events",
    ),
    "aftercare": (
        "aftercare-intake-events",
        "aftercare-match-events",
        "aftercare-group-events",
        "aftercare-meeting-events",
    ),
    "notify": (
        "notify-sessions-events",
        "notify-match-events",
        "notify-aftercare-events",
    ),
}
# Durable consumers of the dead-letter stream itself (notify tells ops of each dead letter):
# they read raw copies, not contracts, and never dead-letter what they read.
DEAD_LETTER_WATCHERS: dict[str, tuple[str, ...]] = {"notify": ("notify-dead-letters",)}
SERVICES = tuple(CONSUMERS)
# The console follows events live to refresh people's screens: it reads core NATS only (no
# durable consumer, no stream API) and publishes nothing.
CONSOLE_USER = "console"
USERS = (*SERVICES, CONSOLE_USER, OPS_USER)  # every NATS user the platform has


def _consumer_api(durable: str) -> list[str]:
    """The JetStream API calls of one durable consumer (create, bind, fetch)."""
    return [
        f"$JS.API.CONSUMER.INFO.*.{durable}",
        f"$JS.API.CONSUMER.CREATE.*.{durable}",
        f"$JS.API.CONSUMER.CREATE.*.{durable}.>",
        f"$JS.API.CONSUMER.DURABLE.CREATE.*.{durable}",
        f"$JS.API.CONSUMER.MSG.NEXT.*.{durable}",
    ]


def service_permissions(service: str) -> dict[str, dict[str, list[str]]]:
    """NATS `permissions` for a service's user."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}")
    own = [f"{service}.>", "$JS.API.INFO", "$JS.API.STREAM.INFO.*", "$JS.ACK.>"]
    for durable in CONSUMERS[service]:
        own += [f"deadletter.{durable}", *_consumer_api(durable)]
    for durable in DEAD_LETTER_WATCHERS.get(service, ()):
        own += _consumer_api(durable)
    return {"publish": {"allow": own}, "subscribe": {"allow": ["_INBOX.>"]}}


def ops_permissions() -> dict[str, dict[str, list[str]]]:
    """The ops user provisions streams, reads and replays dead letters, and watches."""
    return {"publish": {"allow": [">"]}, "subscribe": {"allow": [">"]}}


def console_permissions() -> dict[str, dict[str, list[str]]]:
    """The console subscribes to the services' events and dead letters (to refresh the ops
    screen; it shows only their headers) and publishes nothing."""
    events = [f"{service}.>" for service in SERVICES]
    return {"publish": {"deny": [">"]}, "subscribe": {"allow": [*events, "deadletter.>"]}}


def user_permissions(user: str) -> dict[str, dict[str, list[str]]]:
    """NATS `permissions` of any of the platform's users."""
    if user == OPS_USER:
        return ops_permissions()
    if user == CONSOLE_USER:
        return console_permissions()
    return service_permissions(user)


def _quoted(values: list[str]) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def authorization_block(passwords: dict[str, str]) -> str:
    """A nats-server `authorization` block: one user per service plus ops. A password may be
    an environment reference (`$INTAKE_NATS_PASSWORD`) for a deployment's secrets."""
    lines = ["authorization {", "  users = ["]
    for user, password in passwords.items():
        permissions = user_permissions(user)
        secret = password if password.startswith("$") else f'"{password}"'
        lines.append(f'    {{user: "{user}", password: {secret}, permissions: {{')
        for direction in ("publish", "subscribe"):
            (verdict, subjects), *_ = permissions[direction].items()
            lines.append(f"      {direction}: {{{verdict}: {_quoted(subjects)}}}")
        lines.append("    }}")
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"
