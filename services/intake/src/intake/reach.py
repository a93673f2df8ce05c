"""Which patients and episodes a caller reaches, in intake's own tables (mentors and
supervisors reach none: the identity vault is for branch staff), and the role groups that
intake's routes allow."""

from typing import Annotated

from sqlalchemy import ColumnElement
from sqlmodel import col

from intake.ehr.models import Episode
from shared.access import Access, allow, reach_over, visible

REACH = reach_over(Episode)

Feed = Annotated[Access, allow("ehr_feed", "coordinator")]
"""Who changes episodes: an EHR feed, or a coordinator entering what the EHR would send."""
Readers = Annotated[Access, allow("ehr_feed", "coordinator", "clinician")]
"""Who reads episodes and finds patients by identifier."""
Staff = Annotated[Access, allow("coordinator", "clinician")]
"""Branch staff who read identities and record consent with the patient."""


def episodes_of(access: Access) -> ColumnElement[bool]:
    """The episodes a caller reaches."""
    return visible(access, REACH, branch=col(Episode.branch))
