"""Registers the ``slow`` marker used by the figure-regression tests of the evaluate package."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: runs a development set; deselect with -m 'not slow'")
