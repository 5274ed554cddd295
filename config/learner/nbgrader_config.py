"""nbgrader settings for a learner's Validate button: the course's own configuration."""

from pathlib import Path

load_subconfig(str(Path(__file__).resolve().parents[2] / "nbgrader_config.py"))  # noqa: F821
