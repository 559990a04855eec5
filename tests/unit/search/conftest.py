"""Fixtures for search tests: the fixed directory in a fresh app."""

from __future__ import annotations

import pytest

from tests.unit.search.fixed_directory import build_directory


@pytest.fixture
def ids(app):
    """Build the fixed directory in ``app`` and return its group ids by short name."""
    return build_directory()


@pytest.fixture
def db_ids(db_app):
    """Build the fixed directory on each real database and return its group ids."""
    return build_directory()
