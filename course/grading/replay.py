"""Record a parallel worker's executed notebook in the course's one gradebook.

Each worker grades one submission with stock `nbgrader autograde` in a private copy of the
course (its own gradebook file, so no two processes ever write one SQLite file). The cohort
runner then runs stock `Autograde` once more, serially, against the course's real gradebook,
with `Execute` replaced by `ReplayExecution`: instead of running the notebook again, it takes
the worker's finished notebook, after checking that it was made from exactly the notebook
this pass sanitized. Everything that writes the gradebook (submission and timestamp,
`SaveAutoGrades`, late penalties, missing notebooks scored 0) is nbgrader's own code, fed the
same notebook a serial run would have produced, so the scores are the serial run's.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode


class ReplayMismatch(RuntimeError):
    """The worker's notebook was not made from this submission: do not record it."""


def executed_path(unit_root: Path, assignment: str, student: str, notebook: str) -> Path:
    """Where the worker grading in the course copy `unit_root` wrote its graded `notebook`."""
    return unit_root / "autograded" / student / assignment / f"{notebook}.ipynb"


def _fingerprint(nb) -> list[tuple[str, str, str]]:
    return [
        (cell.cell_type, cell.source, cell.metadata.get("nbgrader", {}).get("grade_id", ""))
        for cell in nb.cells
    ]


class ReplayExecution(NbGraderPreprocessor):
    """Stands in for `Execute`: the outputs come from the worker that executed the notebook."""

    unit_root = Unicode("", help="The worker's course copy.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        path = executed_path(Path(self.unit_root), info["assignment"], info["student"],
                             info["notebook"])
        if not path.is_file():
            raise ReplayMismatch(f"no executed notebook from the worker at {path}")
        executed = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        if _fingerprint(executed) != _fingerprint(nb):
            raise ReplayMismatch(f"{path} was not made from this submission's notebook")
        return executed, resources
