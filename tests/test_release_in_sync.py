"""release/ is exactly what nbgrader generates from source/ now: nobody edits it by hand."""

import shutil

import nbformat
import pytest
from support import ASSIGNMENTS, copy_course, run_nbgrader

from course.paths import RELEASE, notebooks


def _comparable(nb: nbformat.NotebookNode) -> list[tuple]:
    """Cells as learners get them, without volatile fields (outputs, counts, ids)."""
    return [
        (cell.cell_type, cell.source, dict(cell.metadata.get("nbgrader", {})),
         list(cell.metadata.get("tags", [])))
        for cell in nb.cells
    ]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_matches_a_fresh_generate_assignment(assignment, tmp_path):
    root = copy_course(tmp_path / "course")
    shutil.rmtree(root / "release")  # generate from source alone, not over the committed copy
    result = run_nbgrader(root, "generate_assignment", assignment, "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    fresh = [path for path in notebooks(root / "release") if path.parent.name == assignment]
    committed = [path for path in notebooks(RELEASE) if path.parent.name == assignment]
    assert [p.relative_to(root / "release") for p in fresh] == [
        p.relative_to(RELEASE) for p in committed
    ], "release/ has other notebooks than source/: run `make release`"
    for new, old in zip(fresh, committed, strict=True):
        assert _comparable(nbformat.read(new, as_version=4)) == _comparable(
            nbformat.read(old, as_version=4)
        ), f"{old.name} is out of date with source/: run `make release ASSIGNMENT={assignment}`"
