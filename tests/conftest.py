"""Test session set-up: the virtual environment's tools (nbgrader's alembic) come first."""

import os
import shutil
import tempfile
from pathlib import Path

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


@pytest.fixture
def outside():
    """A folder anyone may write to, outside the course: what an escaping answer aims at."""
    folder = Path(tempfile.mkdtemp(prefix="outside-the-sandbox-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
