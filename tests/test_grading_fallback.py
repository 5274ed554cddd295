"""Without the sandbox (no root, no bubblewrap) grading still works, under resource limits,
and says so loudly."""

from __future__ import annotations

import subprocess
import sys

import nbformat
from nbgrader.api import Gradebook
from test_bad_submissions import ASSIGNMENT, small_course

from course.grading.bad_submissions import MEMORY_CREEP, TIMESTAMP, answered, exercises


def test_grading_without_the_sandbox_uses_limits_and_warns(tmp_path):
    root = small_course(tmp_path / "course")
    release_dir = root / "release" / ASSIGNMENT
    names = sorted(path.stem for path in release_dir.glob("*.ipynb"))
    folder = root / "submitted" / "creep" / ASSIGNMENT  # correct answers, one memory creep
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text(TIMESTAMP)
    for name in names:
        release = nbformat.read(release_dir / f"{name}.ipynb", as_version=4)
        source = nbformat.read(root / "source" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
        nb = answered(release, source)
        if name == names[0]:
            answer = exercises(release, source)[0].answer_id
            cell = next(c for c in nb.cells
                        if c.metadata.get("nbgrader", {}).get("grade_id") == answer)
            cell.source += "\n" + MEMORY_CREEP
        nbformat.write(nb, folder / f"{name}.ipynb")
    result = subprocess.run(
        [sys.executable, "-m", "course.instructor", "grade", "--root", str(root), "--no-sandbox",
         "--jobs", "1", "--cell-timeout", "30", "--memory", "2G", "--no-feedback"],
        capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "WARNING: learners' code runs WITHOUT the sandbox" in result.stderr
    assert "NO SANDBOX (resource limits only)" in result.stdout
    assert "MemoryError" in result.stdout, "the memory limit holds without the sandbox too"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(ASSIGNMENT, "creep")
        assert submission.score == submission.max_score > 0, "the rest was graded"
