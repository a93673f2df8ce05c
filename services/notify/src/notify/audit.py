"""The notify service's audit trail: who read and changed notifications and the directory."""

from shared.audit import AuditRecordBase


class AuditRecord(AuditRecordBase, table=True):
    """The notify service's audit trail (append-only)."""

    __tablename__ = "notify_audit"


TABLES = ("notify_audit",)
