"""Intake settings (env prefix INTAKE_), with which EHR senders may send HL7 and how their
locations map to Saathi branches."""

from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network, ip_address

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

DEFAULT_BRANCHES = ["kol-salt-lake", "kol-park-street", "kol-behala"]


class Hl7Sender(BaseModel):
    """One allowed sender, keyed by its MSH-4 sending facility (MSH-3 when MSH-4 is empty).

    The branch of a message is `facilities[PV1-3.4]` when the sender names facilities, else
    `branch`. Visit numbers are unique per `visit_authority` (PV1-19.4 when sent, else this,
    else the sender's own id). A patient identifier without an assigning authority (CX-4) was
    assigned by `identifier_authority`, else the sender's one `branch`, else the sender itself.
    With `addresses`, the sender is accepted only from those networks.
    """

    model_config = ConfigDict(extra="forbid")

    branch: str | None = None
    facilities: dict[str, str] = Field(default_factory=dict)
    visit_authority: str | None = None
    identifier_authority: str | None = None
    timezone: str = "Asia/Kolkata"
    addresses: list[IPv4Network | IPv6Network] = Field(
        default_factory=list, description="networks the sender may connect from (empty: any)"
    )

    def default_identifier_authority(self, sender_id: str) -> str:
        """Who assigned a PID-3/MRG-1 identifier that names no authority (CX-4)."""
        return self.identifier_authority or self.branch or sender_id

    def allows(self, peer: str | None) -> bool:
        """Whether a connection from `peer` may carry this sender's messages."""
        if not self.addresses:
            return True
        if peer is None:
            return False
        try:
            address = ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.addresses)


DEFAULT_SENDERS: dict[str, Hl7Sender] = {
    "SALTLAKE": Hl7Sender(branch="kol-salt-lake"),
    "PARKST": Hl7Sender(branch="kol-park-street"),
    "BEHALA": Hl7Sender(branch="kol-behala"),
    # The group's shared hospital information system: one visit numbering for all branches.
    "SAATHI-HIS": Hl7Sender(
        facilities={"SLK": "kol-salt-lake", "PKS": "kol-park-street", "BHL": "kol-behala"}
    ),
}


class IntakeSettings(ServiceSettings):
    """Settings of the intake service."""

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///./var/intake.db"
    http_port: int = 8101
    branches: list[str] = DEFAULT_BRANCHES
    default_language: str = "bn"
    mllp_host: str = "127.0.0.1"
    mllp_enabled: bool = True
    mllp_port: int = Field(default=2575, description="HL7 v2 MLLP listener port (0: any free one)")
    mllp_max_message_bytes: int = 1_048_576
    # TLS for MLLP: a certificate and key make the listener speak TLS only; a client CA also
    # asks every sender for a certificate signed by it (mutual TLS).
    mllp_tls_cert_path: str | None = None
    mllp_tls_key_path: str | None = None
    mllp_tls_client_ca_path: str | None = None
    consent_carry_over_days: int = Field(
        default=0,
        ge=0,
        description="A readmission within this many days of the last discharge starts with "
        "that stay's given consent (0: every stay is asked afresh)",
    )
    hl7_senders: dict[str, Hl7Sender] = Field(default_factory=lambda: dict(DEFAULT_SENDERS))

    @property
    def consent_carry_over(self) -> timedelta:
        """The consent carry-over window for readmissions."""
        return timedelta(days=self.consent_carry_over_days)
