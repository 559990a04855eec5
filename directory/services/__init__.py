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
from .signin import (
    ResetLinkProblem,
    SignIn,
    SignInOutcome,
    moderator_for_token,
    moderator_to_reset,
    record_failure,
    reset_token,
    set_new_password,
    sign_in,
)
from .submissions import (
    answer_submission,
    ask_submitter,
    find_organization,
    preview_group,
    submit_group,
)

__all__ = [
    "Actor",
    "NotAllowed",
    "ResetLinkProblem",
    "ServiceError",
    "SignIn",
    "SignInOutcome",
    "add_moderator",
    "answer_submission",
    "approve",
    "archive_group",
    "ask_submitter",
    "edit_group",
    "find_organization",
    "history",
    "moderator_for_token",
    "moderator_to_reset",
    "preview_group",
    "record_failure",
    "reject",
    "remove_moderator",
    "reset_token",
    "resolve_duplicate",
    "set_new_password",
    "sign_in",
    "submit_group",
]
