"""Public pages: the home page and a group's page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from directory import listings

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """Show the directory's size and recently verified groups."""
    return render_template(
        "public/home.html",
        total=listings.published_count(),
        groups=listings.recently_verified(12),
    )


@bp.get("/groups/<int:group_id>")
def group(group_id: int):
    """Show one published group with everything a person needs to go."""
    found = listings.get_published(group_id)
    if found is None:
        abort(404)
    return render_template("public/group.html", group=found)
