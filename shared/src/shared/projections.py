"""Versioned projections: apply an aggregate's event-carried state only if it is newer."""

from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel

RowT = TypeVar("RowT", bound=SQLModel)


async def apply_if_newer(
    session: AsyncSession, model: type[RowT], key: str, state: Any, fields: tuple[str, ...]
) -> RowT | None:
    """Upsert the row for `state` when its version is newer; return it, or None if stale.

    Redeliveries, parallel replicas and reordering across streams all reduce to this:
    the highest version wins and older ones are ignored.
    """
    row = await session.get(model, key, with_for_update=True)
    if row is not None and row.version >= state.version:  # type: ignore[attr-defined]
        return None
    values = {field: getattr(state, field) for field in fields}
    if row is None:
        row = model(**values)
        session.add(row)
    else:
        for field, value in values.items():
            setattr(row, field, value)
    await session.flush()
    return row
