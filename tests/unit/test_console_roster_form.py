"""The roster form read back: shifts in order, removed and blank rows skipped, the chain line
parsed, and every mistake named for the person to fix."""

import pytest

from console.rosters.form import RosterFormProblem, chain_text, parse_chain, shifts_from_form


def test_shifts_come_back_in_order_without_removed_or_blank_rows():
    form = {
        "shift-0-name": ["day"],
        "shift-0-days": ["mon", "tue", "nonsense"],
        "shift-0-starts": ["08:00"],
        "shift-0-ends": ["20:00"],
        "shift-0-chain": ["dr-a (clinician), sup-b (supervisor)"],
        "shift-1-name": ["old"],
        "shift-1-days": ["sun"],
        "shift-1-chain": ["dr-x"],
        "shift-1-remove": ["1"],
        "shift-2-name": [""],
        "shift-2-days": ["mon"],
        "shift-2-chain": [""],
    }
    assert shifts_from_form(form) == [
        {
            "name": "day",
            "days": ["mon", "tue"],
            "starts": "08:00",
            "ends": "20:00",
            "chain": [
                {"person_id": "dr-a", "role": "clinician"},
                {"person_id": "sup-b", "role": "supervisor"},
            ],
        }
    ]


def test_the_chain_line_round_trips_and_a_bare_id_is_a_clinician():
    chain = [
        {"person_id": "dr-a", "role": "clinician"},
        {"person_id": "lead", "role": "branch_lead"},
    ]
    assert parse_chain(chain_text(chain), "day") == chain
    assert parse_chain("dr-b", "day") == [{"person_id": "dr-b", "role": "clinician"}]


@pytest.mark.parametrize(
    ("form", "key"),
    [
        (
            {"shift-0-name": ["day"], "shift-0-days": ["mon"], "shift-0-chain": ["dr-a (chef)"]},
            "rosters.bad_chain",
        ),
        (
            {"shift-0-name": ["day"], "shift-0-days": ["mon"], "shift-0-chain": [" , "]},
            "rosters.empty_chain",
        ),
        (
            {"shift-0-name": [""], "shift-0-days": ["mon"], "shift-0-chain": ["dr-a"]},
            "rosters.unnamed_shift",
        ),
        ({"shift-0-name": ["day"], "shift-0-chain": ["dr-a"]}, "rosters.no_days"),
        ({}, "rosters.no_shifts"),
    ],
)
def test_each_mistake_is_named(form, key):
    with pytest.raises(RosterFormProblem) as problem:
        shifts_from_form(form)
    assert problem.value.key == key
