"""The formgrader's Autograde and Generate Feedback buttons, through the course's own commands.

Stock, the formgrader runs nbgrader's `Autograde` as the server's user, outside any sandbox
(a planted answer can read `source/` and write anywhere the instructor can), and its
`GenerateFeedback`, whose pages show every hidden test. This Jupyter server extension (enabled
by `make formgrader`, in `config/instructor/`) makes every formgrader handler use
`CourseGraderAPI`, whose two methods run the course's commands instead:

- Autograde → `python -m course.instructor grade --assignment A --student S` (sandbox, referee,
  leak-free feedback, grades.csv);
- Generate Feedback (one student or all) → `python -m course.instructor feedback`, which
  renders the gradebook's scores again, hand grades included, and runs no notebook.

Everything else in the formgrader (manual grading, comments, release and collect) is nbgrader's.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from nbgrader.apps.api import NbGraderAPI

from course.paths import tool_environment

COMMAND_TIMEOUT = 3 * 3600  # seconds: a whole cohort's Autograde-all can take long


def run_course_command(root: Path, *args: str) -> dict[str, Any]:
    """`python -m course.instructor ARGS` at the course root, as the formgrader's API reports
    an nbgrader step: {"success": ..., "log": ..., "error": ...}."""
    command = [sys.executable, "-m", "course.instructor", *args, "--root", str(root)]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, text=True,
                              env=tool_environment(), timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        return {"success": False, "error": f"{' '.join(args)} took over {COMMAND_TIMEOUT} s"}
    log = (done.stdout + done.stderr).strip()
    if done.returncode == 0:
        return {"success": True, "log": log}
    return {"success": False, "log": log,
            "error": f"`make {args[0]}` failed (exit {done.returncode}):\n{log[-4000:]}"}


class CourseGraderAPI(NbGraderAPI):
    """nbgrader's formgrader API, with Autograde and Generate Feedback done the course's way."""

    @property
    def _root(self) -> Path:
        return Path(self.coursedir.root)

    def autograde(self, assignment_id, student_id, force=True, create=True):
        result = run_course_command(self._root, "grade", "--assignment", assignment_id,
                                    "--student", student_id, "--quiet")
        graded = Path(self.coursedir.format_path(self.coursedir.autograded_directory,
                                                 student_id, assignment_id))
        if result["success"] and not graded.is_dir():
            result = {"success": False, "log": result.get("log", ""),
                      "error": f"nothing was graded: no submitted/{student_id}/{assignment_id}"}
        return result

    def generate_feedback(self, assignment_id, student_id=None, force=True):
        args = ["feedback", "--assignment", assignment_id]
        if student_id is not None:
            args += ["--student", student_id]
        return run_course_command(self._root, *args)


def _course_api(handler) -> CourseGraderAPI:
    """What `BaseHandler.api` builds, with the course's API class."""
    level = handler.log.level
    handler.coursedir.parent.load_config_file()
    api = CourseGraderAPI(handler.coursedir, handler.authenticator,
                          parent=handler.coursedir.parent)
    api.log_level = level
    return api


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "course.grading.formgrader"}]


def _load_jupyter_server_extension(serverapp) -> None:
    from nbgrader.server_extensions.formgrader import base

    base.BaseHandler.api = property(_course_api)
    serverapp.log.info("course: the formgrader's Autograde and Generate Feedback run the "
                       "course's sandboxed grader and leak-free feedback")
