"""Where the course's folders are: everything is relative to the repository root.

The root is the folder above this package, or `$COURSE_ROOT` when the package is installed
elsewhere: on the course's JupyterHub the instructor's commands and formgrader use the hub's
environment, and their course folder is set that way (the Makefile sets it too).
"""

import os
from pathlib import Path

COURSE_ROOT = Path(os.environ.get("COURSE_ROOT") or Path(__file__).resolve().parents[1])
SOURCE = COURSE_ROOT / "source"
RELEASE = COURSE_ROOT / "release"
WORKSPACE = COURSE_ROOT / "workspace"
SUBMITTED = COURSE_ROOT / "submitted"


def notebooks(folder: Path) -> list[Path]:
    """Every assignment notebook below `folder` (`<assignment>/<notebook>.ipynb`), in order."""
    return sorted(
        path for path in folder.glob("*/*.ipynb") if ".ipynb_checkpoints" not in path.parts
    )


def assignments(folder: Path = SOURCE) -> list[str]:
    """The assignment names under `folder`, in course order."""
    return sorted({path.parent.name for path in notebooks(folder)})


def tool_environment() -> dict[str, str]:
    """os.environ with this Python's bin folder first on PATH.

    nbgrader calls the `alembic` command of its own environment by name when it creates a
    gradebook, so the virtual environment's bin folder must be on PATH.
    """
    import os
    import sys

    env = dict(os.environ)
    bin_dir = str(Path(sys.executable).parent)
    rest = [part for part in env.get("PATH", "").split(os.pathsep) if part and part != bin_dir]
    env["PATH"] = os.pathsep.join([bin_dir, *rest])
    return env


LEARNER_JUPYTER_CONFIG = COURSE_ROOT / "config" / "learner"
INSTRUCTOR_JUPYTER_CONFIG = COURSE_ROOT / "config" / "instructor"
