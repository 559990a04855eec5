"""Change listings and accounts through named operations, each writing its audit record.

Views and commands call these and never change a listing's status themselves. Every
operation checks, applies, writes an ``AuditRecord`` and flushes; none commits: the caller
owns the transaction (and the search index follows the commit).
"""

from .accounts import add_moderator, remove_moderator
from .actors import Actor, NotAllowed, ServiceError
from .audit import history
from .decisions import approve, archive_group, reject, resolve_duplicate
from .editing import edit_group

__all__ = [
    "Actor",
    "NotAllowed",
    "ServiceError",
    "add_moderator",
    "approve",
    "archive_group",
    "edit_group",
    "history",
    "reject",
    "remove_moderator",
    "resolve_duplicate",
]
