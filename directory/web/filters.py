"""Register the template filters that put listings into plain words, and the error pages."""

from __future__ import annotations

from flask import Flask, render_template

from directory.web import links, words


def init_app(app: Flask) -> None:
    """Register the filters, globals and error pages on ``app``."""
    app.add_template_filter(lambda v: words.label(words.FORMAT_LABELS, v), "format_label")
    app.add_template_filter(lambda v: words.label(words.COST_LABELS, v), "cost_label")
    app.add_template_filter(
        lambda v: words.label(words.FACILITATION_LABELS, v), "facilitation_label"
    )
    app.add_template_filter(words.schedule_text, "schedule_text")
    app.add_template_filter(words.upcoming_meetings, "upcoming_meetings")
    app.add_template_filter(words.meeting_time, "meeting_time")
    app.add_template_filter(words.long_date, "long_date")
    app.add_template_filter(words.verified_ago, "verified_ago")
    app.add_template_filter(words.is_stale, "is_stale")
    app.add_template_filter(words.term_labels, "term_labels")
    app.add_template_filter(words.distance_text, "distance_text")
    app.add_template_filter(words.tel_href, "tel_href")
    app.add_template_global(words.language_name, "language_name")
    app.add_template_global(words.facet_label, "facet_label")
    app.add_template_global(words.FACET_TITLES, "FACET_TITLES")
    app.add_template_global(words.SORT_LABELS, "SORT_LABELS")
    links.init_app(app)

    @app.errorhandler(404)
    def not_found(_error):
        return render_template("errors/404.html"), 404

    @app.errorhandler(405)
    def not_allowed(_error):
        return render_template("errors/404.html"), 405

    @app.errorhandler(500)
    def server_error(_error):
        return render_template("errors/500.html"), 500
