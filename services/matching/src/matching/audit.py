"""The matching service's audit trail: one table every feature's routes and consumers write to."""

from shared.audit import AuditRecordBase


class AuditRecord(AuditRecordBase, table=True):
    """The matching service's audit trail (append-only)."""

    __tablename__ = "matching_audit"


TABLES = ("matching_audit",)
