"""Canonical patient identifiers and FHIR Patient mapping (pure: no database)."""

from datetime import date

import pytest
from fhir.resources.R4B.identifier import Identifier as FhirIdentifier
from fhir.resources.R4B.patient import Patient

from intake.fhir import mapping
from intake.identity import domain as identifiers
from intake.identity.domain import Identifier
from shared.errors import Invalid


def test_an_authority_code_is_compared_without_case_and_a_uri_is_kept_as_sent():
    assert identifiers.make(" kol-sl ", "mr", "12345") == Identifier("KOL-SL", "MR", "12345")
    assert identifiers.make("urn:oid:1.2.3", "", "9") == Identifier("urn:oid:1.2.3", "MR", "9")


@pytest.mark.parametrize(
    ("authority", "kind", "value", "says"),
    [
        ("KOL-SL", "MR", "  ", "no value"),
        ("", "MR", "12345", "no assigning authority"),
        ("KOL-SL", "MR", "9" * 65, "too long"),
        ("ABDM", "", "12345", "14 digits"),
        ("", "ABHA-ADDRESS", "not an address", "name@domain"),
        ("", "ABHA", "rina@", "name@domain"),
    ],
)
def test_what_cannot_be_an_identifier_is_refused_without_echoing_it(authority, kind, value, says):
    with pytest.raises(Invalid) as refused:
        identifiers.make(authority, kind, value)
    assert says in refused.value.reason and (value.strip() or "x") not in refused.value.reason


def test_an_abha_number_is_displayed_with_its_hyphens():
    number = identifiers.abha("91444342934402")
    assert identifiers.display(number) == "91-4443-4293-4402"
    mrn = identifiers.make("KOL-SL", "MR", "12345")
    assert identifiers.display(mrn) == "12345"


def fhir(system: str, value: str, code: str | None = None) -> FhirIdentifier:
    kind = {"type": {"coding": [{"code": code}]}} if code else {}
    return FhirIdentifier.model_validate({"system": system, "value": value, **kind})


def test_fhir_identifiers_are_keyed_like_hl7():
    enterprise = fhir("urn:saathi:authority:saathi", "E-1", "PE")
    assert mapping.identifier(enterprise) == Identifier("SAATHI", "PE", "E-1")
    assert mapping.identifier(fhir("urn:saathi:mrn:KOL-SL", "1")) == Identifier("KOL-SL", "MR", "1")
    assert mapping.identifier(fhir("urn:saathi:mrn", "1"), "kol-behala") == Identifier(
        "KOL-BEHALA", "MR", "1"
    )
    other = fhir("https://ids.example.org/", "X", "PI")
    assert mapping.identifier(other) == Identifier("https://ids.example.org", "PI", "X")
    with pytest.raises(Invalid, match="authority"):
        mapping.identifier(fhir("urn:saathi:mrn", "1"))


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("1995-07-24", date(1995, 7, 24)), ("1995-07", date(1995, 7, 1)), ("1995", date(1995, 1, 1))],
)
def test_a_fhir_birth_date_is_the_calendar_date_sent(sent, kept):
    resource = Patient.model_validate(
        {
            "resourceType": "Patient",
            "identifier": [{"system": "urn:saathi:mrn:X", "value": "1"}],
            "birthDate": sent,
        }
    )
    assert mapping.patient_details(resource).birth_date == kept
