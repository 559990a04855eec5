"""Say how much one client may ask of the site, and answer a flood calmly.

Every page, feed and API call counts against one budget per client address
(DIRECTORY_RATE_LIMIT), shared by all routes and, with Redis, by all workers. The answers
that hold many listings also count against a lower budget of their own
(DIRECTORY_FEED_RATE_LIMIT). Static files count against neither.
"""

from __future__ import annotations

import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit

#: Endpoints whose answer holds many listings: the export feeds and the calendar files.
EXPENSIVE_ENDPOINTS = frozenset(
    {
        "feeds.hsds_feed",
        "feeds.meeting_guide_feed",
        "feeds.csv_feed",
        "feeds.calendar_feed",
        "public.group_calendar",
        "shortlist.sheet_pdf",  # a PDF of up to 20 listings: about 0.2 s of CPU
    }
)

#: Seconds a refused client is told to wait when the limiter cannot say (storage down).
FALLBACK_RETRY_AFTER = 60


def _is_static() -> bool:
    return request.endpoint == "static"


def _is_cheap() -> bool:
    return request.endpoint not in EXPENSIVE_ENDPOINTS


#: Application-wide limits: shared by every route, so moving to another page gains nothing.
APPLICATION_LIMITS = [
    ApplicationLimit(lambda: current_app.config["RATE_LIMIT"], exempt_when=_is_static),
    ApplicationLimit(
        lambda: current_app.config["FEED_RATE_LIMIT"], scope="feeds", exempt_when=_is_cheap
    ),
]


def retry_after(response: Response) -> Response:
    """Tell a refused client, in seconds, when it may ask again."""
    if response.status_code != 429 or "Retry-After" in response.headers:
        return response
    from directory.extensions import limiter

    try:
        breached = limiter.current_limit
        # Floored, as Flask-Limiter does: the storages already round the reset time up.
        seconds = math.floor(breached.reset_at - time.time()) if breached else None
    except Exception:  # the storage went away mid-request; a guess beats a 500
        current_app.logger.warning("could not read the rate limit's reset time", exc_info=True)
        seconds = None
    response.headers["Retry-After"] = str(
        FALLBACK_RETRY_AFTER if seconds is None else max(1, seconds)
    )
    return response


def init_app(app: Flask) -> None:
    """Add Retry-After to every 429 that ``app`` sends."""
    app.after_request(retry_after)
