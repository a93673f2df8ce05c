"""Events the pool consumes: intake's links of mentors to their own patient records (a merge
carries a link over) and aftercare's nominated alumni."""

from collections.abc import Mapping
from functools import partial

from matching.matches.domain import Policy
from matching.pool import mentor_links, nominations
from matching.pool.domain import PoolOptions
from shared.consumer import Handler
from shared.contracts.aftercare import PeerCandidateNominated
from shared.contracts.intake import MentorLinked, MentorUnlinked, PatientMerged


def mentor_link_handlers(policy: Policy, on_merge: Handler) -> Mapping[str, Handler]:
    """Mentors linked to (or unlinked from) their own patient record; on a merge, `on_merge`
    and then the mentors who are the merged patient become the surviving one."""
    apply_link = partial(mentor_links.apply_link, policy=policy)
    return {
        PatientMerged.SUBJECT: mentor_links.following_merges(on_merge),
        MentorLinked.SUBJECT: apply_link,
        MentorUnlinked.SUBJECT: apply_link,
    }


def nomination_handlers(pool: PoolOptions) -> Mapping[str, Handler]:
    """Aftercare's nominations: a certified alumnus joins the pool as a trainee."""
    return {
        PeerCandidateNominated.SUBJECT: partial(
            nominations.apply_nomination,
            core=pool.core_certifications,
            crisis_kind=pool.crisis_certification,
        )
    }
