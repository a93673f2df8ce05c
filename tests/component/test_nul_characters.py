"""Text with a NUL character is refused with 422 and a reason, in a path, a query or a body,
and changes nothing (PostgreSQL cannot store it: it used to end as a 500)."""

from helpers import factories


async def test_a_nul_in_a_query_or_a_body_is_refused_and_changes_nothing(intake):
    in_query = await intake.client.get("/episodes", params={"branch": "kol\x00salt"})
    in_body = await intake.client.post(
        "/admissions", json=factories.admission(given_name="Ri\x00ta")
    )
    as_escape = await intake.client.post(
        "/admissions",
        content=b'{"given_name": "Ri\\u0000ta"}',
        headers={"content-type": "application/json"},
    )

    for refused in (in_query, in_body, as_escape):
        assert refused.status_code == 422
        assert "NUL" in refused.json()["detail"]
    assert (await intake.client.get("/episodes")).json() == []


async def test_ordinary_text_still_passes(intake):
    admitted = await intake.client.post(
        "/admissions", json=factories.admission(given_name="Rita 100%")
    )
    assert admitted.status_code == 201, admitted.text
