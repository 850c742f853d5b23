"""Shared set-up for the pool-rule tests: a region of a few areas."""

import pytest

from tests import factories


@pytest.fixture
def areas(db):
    return factories.four_areas()
