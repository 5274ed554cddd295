"""Test session set-up: the virtual environment's tools (nbgrader's alembic) come first."""

import os

from course.paths import tool_environment

os.environ["PATH"] = tool_environment()["PATH"]
