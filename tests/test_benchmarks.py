"""The benchmark's own pieces: the floor notebook and the synthetic cohort (not their timings)."""

import sys

import nbformat
import pytest

from course.paths import COURSE_ROOT, RELEASE, SOURCE

sys.path.insert(0, str(COURSE_ROOT / "benchmarks"))
import cohort_bench  # noqa: E402
import run  # noqa: E402

ASSIGNMENT = "part0_orientation"


def _answers(nb) -> list[str]:
    return [cell.source for cell in nb.cells
            if cell.get("metadata", {}).get("nbgrader", {}).get("solution")]


def test_floor_makes_every_import_of_the_notebook_and_loads_its_packages(tmp_path):
    path = tmp_path / "lesson.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("%matplotlib inline\nimport numpy as np\nx = 1"),
                nbformat.v4.new_code_cell("from course.features import (\n    FEATURES,\n"
                                          "    mail_training_table,\n)\nprint(x)")]
    nbformat.write(nb, path)
    floor = nbformat.read(run._floor_notebook(path, {"sklearn"}, tmp_path / "floor.ipynb"), 4)
    imports, loads = floor.cells[0].source, floor.cells[1].source
    assert "import numpy as np" in imports
    assert "from course.features import FEATURES, mail_training_table" in imports
    assert "print" not in imports and "x = 1" not in imports
    assert "'sklearn'" in loads
    compile(imports + "\n" + loads, "floor", "exec")


def test_half_answered_solves_the_first_half_of_the_answers_only():
    name = sorted((RELEASE / ASSIGNMENT).glob("*.ipynb"))[0].name
    release = nbformat.read(RELEASE / ASSIGNMENT / name, as_version=4)
    source = nbformat.read(SOURCE / ASSIGNMENT / name, as_version=4)
    blank, half = _answers(release), _answers(cohort_bench.half_answered(release, source))
    solved = _answers(cohort_bench.answered(release, source))
    cut = len(blank) // 2
    assert len(blank) >= 2
    assert half[:cut] == solved[:cut] and half[cut:] == blank[cut:]
    assert half[:cut] != blank[:cut]


def test_cohort_has_every_kind_and_every_assignment(tmp_path):
    root = tmp_path / "course"
    for folder in ("source", "release"):
        target = root / folder / ASSIGNMENT
        target.mkdir(parents=True, exist_ok=True)
        for path in (COURSE_ROOT / folder / ASSIGNMENT).glob("*.ipynb"):
            target.joinpath(path.name).write_bytes(path.read_bytes())
    kinds = cohort_bench.submit_cohort(root, [ASSIGNMENT], students=4)
    assert list(kinds.values()) == ["solution", "blank", "half", "solution"]
    for student in kinds:
        folder = root / "submitted" / student / ASSIGNMENT
        assert (folder / "timestamp.txt").is_file()
        assert sorted(p.name for p in folder.glob("*.ipynb")) == sorted(
            p.name for p in (RELEASE / ASSIGNMENT).glob("*.ipynb"))


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_a_cohort_needs_students(tmp_path, bad):
    with pytest.raises(ValueError, match="students"):
        cohort_bench.submit_cohort(tmp_path, [ASSIGNMENT], students=bad)
    assert not (tmp_path / "submitted").exists()
