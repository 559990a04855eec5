"""Count the manage-link emails sent about each listing: at most a few an hour.

The per-client limit (DIRECTORY_MANAGE_LINK_RATE_LIMIT) stops one person asking for many
links; this one stops many people (or one with many addresses) filling one organiser's
mailbox. Each ask counts, whether or not the listing has an address on file, so a refusal
says nothing about the address.
"""

from __future__ import annotations

import math
import time

from flask import current_app
from limits import parse
from werkzeug.exceptions import TooManyRequests

from directory.extensions import limiter

#: Manage-link emails about one listing, whoever asks for them.
PER_LISTING = "3 per hour"
_SCOPE = "manage-mail"


def _ids(group_id: int) -> tuple[str, ...]:
    return (current_app.config.get("RATELIMIT_KEY_PREFIX", ""), _SCOPE, str(group_id))


def mail_allowed(group_id: int) -> bool:
    """Count one ask for a manage-link email about the listing; return whether it may go."""
    if not (limiter.enabled and limiter.initialized):
        return True
    try:
        return limiter.limiter.hit(parse(PER_LISTING), *_ids(group_id))
    except Exception:  # the counters' storage went away: a link mailed beats a 500
        current_app.logger.warning("could not count a manage-link email", exc_info=True)
        return True


def refuse(group_id: int) -> TooManyRequests:
    """Return the 429 for a listing that has had its emails for now, with its Retry-After."""
    try:
        reset = limiter.limiter.get_window_stats(parse(PER_LISTING), *_ids(group_id)).reset_time
        seconds = max(1, math.floor(reset - time.time()))
    except Exception:  # as above: a guess beats a 500
        seconds = 3600
    return TooManyRequests(retry_after=seconds)
