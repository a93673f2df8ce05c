"""Signed acknowledgement links: a link acknowledges the one notification it was made for, for
the person it was sent to, until it expires; anything altered or foreign is refused."""

import base64
from datetime import UTC, datetime, timedelta

import pytest

from notify.channels.links import BadLink, LinkSigner

NOW = datetime(2026, 12, 5, 2, 0, tzinfo=UTC)
SIGNER = LinkSigner(b"a-secret-of-at-least-sixteen-bytes")


def _token(notification_id: str = "nt_01", person_id: str = "clin-0042") -> str:
    return SIGNER.sign(notification_id, person_id, NOW + timedelta(minutes=30))


def _reason(token: str, now: datetime = NOW, signer: LinkSigner = SIGNER) -> str:
    with pytest.raises(BadLink) as refused:
        signer.verify(token, now)
    return refused.value.reason


def test_a_link_names_its_notification_and_person() -> None:
    token = _token()

    assert SIGNER.verify(token, NOW) == ("nt_01", "clin-0042")
    assert SIGNER.verify(token, NOW + timedelta(minutes=29)) == ("nt_01", "clin-0042")


def test_a_link_is_url_safe_and_carries_ids_only() -> None:
    token = _token()

    assert all(c.isalnum() or c in "-_." for c in token)
    assert len(token) < 120


def test_a_link_stops_working_when_it_expires() -> None:
    assert _reason(_token(), NOW + timedelta(minutes=30)) == "expired"
    assert _reason(_token(), NOW + timedelta(days=3)) == "expired"


@pytest.mark.parametrize("part", [1, 2])
@pytest.mark.parametrize("at", [0, 7, -2, -1])
def test_a_changed_character_is_tampering(part: int, at: int) -> None:
    pieces = _token().split(".")
    text = pieces[part]
    swapped = "B" if text[at] == "A" else "A"
    pieces[part] = text[:at] + swapped + text[at:][1:]

    assert _reason(".".join(pieces)) in ("tampered", "malformed")  # never accepted


def test_a_link_cannot_be_turned_to_another_notification() -> None:
    version, _, mac = _token().split(".")
    other = base64.urlsafe_b64encode(b"nt_02\nclin-0042\n1796522400").rstrip(b"=").decode()

    assert _reason(f"{version}.{other}.{mac}") == "tampered"
    assert SIGNER.verify(_token("nt_02"), NOW)[0] == "nt_02"


def test_a_later_expiry_cannot_be_written_in() -> None:
    version, payload, mac = _token().split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    longer = raw.rsplit(b"\n", 1)[0] + b"\n4102444800"  # the year 2100
    forged = base64.urlsafe_b64encode(longer).rstrip(b"=").decode()

    assert _reason(f"{version}.{forged}.{mac}", NOW + timedelta(hours=1)) == "tampered"


def test_another_secret_does_not_accept_the_link() -> None:
    other = LinkSigner(b"another-secret-of-sixteen-bytes+")

    assert _reason(_token(), signer=other) == "tampered"


@pytest.mark.parametrize(
    "token", ["", "v1", "v1..", "v2.abc.def", "v1.a.b.c", "v1.@@@.###", "x" * 40]
)
def test_garbage_is_malformed(token: str) -> None:
    assert _reason(token) == "malformed"


def test_a_short_secret_and_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        LinkSigner(b"short")
    with pytest.raises(ValueError, match="time zone"):
        SIGNER.sign("nt_01", "clin-0042", datetime(2026, 12, 5, 2, 30))
    with pytest.raises(ValueError, match="one line"):
        SIGNER.sign("nt_01\nnt_02", "clin-0042", NOW)
