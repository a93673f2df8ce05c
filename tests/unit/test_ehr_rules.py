"""The out-of-order table: every EHR action against every episode state has one outcome."""

import pytest

from intake.ehr.domain import decide
from shared.errors import Conflict

EXPECTED = {
    ("admit", None): "create_admitted",
    ("admit", "discharged"): "nothing",
    ("transfer", None): "create_admitted",
    ("transfer", "admitted"): "transfer",
    ("transfer", "discharged"): Conflict,
    ("discharge", None): "create_discharged",
    ("discharge", "discharged"): "nothing",
    ("discharge", "cancelled"): Conflict,
    ("cancel_admission", None): "create_cancelled",
    ("cancel_admission", "discharged"): "cancel_admission",
    ("cancel_admission", "cancelled"): "nothing",
    ("cancel_discharge", None): Conflict,
    ("cancel_discharge", "admitted"): "nothing",
    ("cancel_discharge", "discharged"): "cancel_discharge",
    ("update", "admitted"): "nothing",
}


@pytest.mark.parametrize(("action", "status"), sorted(EXPECTED, key=str))
def test_outcome(action, status):
    expected = EXPECTED[(action, status)]
    if expected is Conflict:
        with pytest.raises(Conflict):
            decide(action, status)
    else:
        assert decide(action, status) == expected


@pytest.mark.parametrize(
    "action", ["admit", "transfer", "discharge", "cancel_admission", "cancel_discharge", "update"]
)
@pytest.mark.parametrize("status", [None, "admitted", "discharged", "cancelled"])
def test_every_pair_is_decided(action, status):
    try:
        assert decide(action, status)
    except Conflict as error:
        assert error.reason  # a refusal always says what to do
