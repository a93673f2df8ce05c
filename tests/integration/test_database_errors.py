"""Database errors never carry statement parameters: in intake those are names and MRNs."""

import pytest
from sqlalchemy.exc import IntegrityError

from intake.identity.models import PatientIdentifier
from shared.db import make_engine, make_sessionmaker, transaction
from shared.migrations import upgrade


async def test_a_constraint_error_names_no_patient_data(dbs):
    url = await dbs.url("intake")
    await upgrade("intake", url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    try:
        with pytest.raises(IntegrityError) as error:
            async with transaction(sessions) as session:
                session.add(
                    PatientIdentifier(
                        authority="KOL-SL", type="MR", value="MRN-SECRET-42", patient_ref="pt_none"
                    )
                )
    finally:
        await engine.dispose()
    assert "MRN-SECRET-42" not in str(error.value)
    assert "hidden due to hide_parameters" in str(error.value)
