"""Change listings and accounts through named operations, each writing its audit record.

Views and commands call these and never change a listing's status themselves. Every
operation checks, applies, writes an ``AuditRecord`` and flushes; none commits: the caller
owns the transaction (and the search index follows the commit).
"""

from .accounts import add_moderator, remove_moderator
from .actors import Actor, NotAllowed, ServiceError
from .audit import history
from .change_requests import (
    EditOutcome,
    approve_change,
    is_trusted,
    open_request,
    reject_change,
    request_change,
    set_trusted_organiser,
    set_trusted_organization,
)
from .decisions import approve, archive_group, reject, resolve_duplicate
from .editing import edit_group
from .reports import open_reports, report_problem, reported_not_meeting, resolve_report
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
from .upkeep import close, confirm, pause, resume, revoke_links

__all__ = [
    "Actor",
    "EditOutcome",
    "NotAllowed",
    "ResetLinkProblem",
    "ServiceError",
    "SignIn",
    "SignInOutcome",
    "add_moderator",
    "answer_submission",
    "approve",
    "approve_change",
    "archive_group",
    "ask_submitter",
    "close",
    "confirm",
    "edit_group",
    "find_organization",
    "history",
    "is_trusted",
    "moderator_for_token",
    "moderator_to_reset",
    "open_reports",
    "open_request",
    "pause",
    "preview_group",
    "record_failure",
    "reject",
    "reject_change",
    "remove_moderator",
    "report_problem",
    "reported_not_meeting",
    "request_change",
    "reset_token",
    "resolve_duplicate",
    "resolve_report",
    "resume",
    "revoke_links",
    "set_new_password",
    "set_trusted_organiser",
    "set_trusted_organization",
    "sign_in",
    "submit_group",
]
