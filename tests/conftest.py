"""Test session set-up: the virtual environment's tools (nbgrader's alembic) come first."""

import os

import pytest

from course.paths import tool_environment

os.environ["PATH"] = tool_environment()["PATH"]


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium for the real-browser tests (installed when missing), or a skip."""
    from browser_support import CHROMIUM, chromium_or_reason

    reason = chromium_or_reason()
    if reason:
        pytest.skip(reason)
    return CHROMIUM
