"""Which EHR senders may send HL7 and how their locations map to Saathi branches."""

from ipaddress import IPv4Network, IPv6Network, ip_address

from pydantic import BaseModel, ConfigDict, Field


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
