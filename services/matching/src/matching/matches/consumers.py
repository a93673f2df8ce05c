"""What matches do on intake's episode and consent events: reconcile the episode."""

from collections.abc import Callable
from functools import partial

from matching.matches import reconcile as reconciling
from matching.matches.domain import Policy
from shared.intake_projection import Reconcile


def reconciler(policy: Policy) -> Callable[[], Reconcile]:
    """The handler reconciling an episode after its state changed, looked up at each event (so
    a fix deployed in the module takes effect on a replay)."""
    return lambda: partial(reconciling.reconcile, policy=policy)
