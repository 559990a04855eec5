"""Placeholder replaced by the problem report form (being written this session)."""

from __future__ import annotations

from flask import Blueprint, abort

bp = Blueprint("report", __name__)


@bp.route("/groups/<id:group_id>/report", methods=["GET", "POST"])
def report(group_id: int):
    """Take a visitor's report of a problem with a listing."""
    abort(404)
