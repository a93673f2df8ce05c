"""Why an HL7 message was not accepted, in the terms an ACK needs (MSA-1 and ERR)."""

from typing import Literal

AckClass = Literal["AE", "AR"]


class Hl7Problem(Exception):
    """A message intake will not apply: AE for content a person must fix, AR for a message
    it cannot take at all. `code` is from HL7 table 0357; `location` is `SEG^1^field`."""

    def __init__(self, ack: AckClass, code: int, text: str, location: str = "") -> None:
        super().__init__(text)
        self.ack: AckClass = ack
        self.code = code
        self.text = text
        self.location = location
