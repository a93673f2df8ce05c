"""The intake service's audit trail: one table every feature's routes and consumers write to."""

from shared.audit import AuditRecordBase


class AuditRecord(AuditRecordBase, table=True):
    """The intake service's audit trail (append-only)."""

    __tablename__ = "intake_audit"


TABLES = ("intake_audit",)
