"""Fixtures the functional tests share."""

from __future__ import annotations

import pytest

from tests.functional.moderate_helpers import add_moderator, sign_in


@pytest.fixture
def moderator(db_app, client):
    """Return a moderator signed in on ``client``, on each database."""
    found = add_moderator()
    sign_in(client, found)
    return found
