"""The organiser's pages under /manage, opened by a signed manage link (see ``links``)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("manage", __name__)

from . import views  # noqa: E402,F401
