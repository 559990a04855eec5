"""Placeholder replaced by the manage pages (being written this session)."""

from __future__ import annotations

from flask import abort

from . import bp


@bp.get("/manage/<token>")
def listing(token: str):
    """Show the organiser's page for the listing a manage link names."""
    abort(404)


@bp.route("/manage/<token>/edit", methods=["GET", "POST"])
def edit(token: str):
    """Edit the listing in the listing form."""
    abort(404)


@bp.route("/groups/<id:group_id>/organiser", methods=["GET", "POST"])
def request_link(group_id: int):
    """Offer to email the organiser on file a fresh manage link."""
    abort(404)
