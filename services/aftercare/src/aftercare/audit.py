"""The aftercare service's audit trail: one table every feature's routes and consumers write to."""

from shared.audit import AuditRecordBase


class AuditRecord(AuditRecordBase, table=True):
    """The aftercare service's audit trail (append-only)."""

    __tablename__ = "aftercare_audit"


TABLES = ("aftercare_audit",)
